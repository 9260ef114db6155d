// Discovery's decisions on a kube-public/cluster-info ConfigMap: pins (match, mismatch, several,
// unsafe skip), the JWS (Kubernetes' own vectors and a signed document), malformed documents;
// and discover() against tests/support/fake_apiserver.py standing in for a server that has not
// proved who it is: the bootstrap token is never sent to it (issue 20).
#include "karmada/discovery.hpp"
#include "kube_test_server.hpp"
#include "pki/jws.hpp"
#include "pki/pin.hpp"
#include "test_pki_support.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::karmada;
using kctl::test::FakeApiServer;
using kctl::test::TestPki;
using kctl::test::pki::make_test_ca;
using kctl::test::pki::must;

namespace {

std::string
kubeconfig_with(const std::vector<std::string>& ca_pems) {
  std::string text = "apiVersion: v1\nkind: Config\nclusters:\n";
  for (size_t i = 0; i < ca_pems.size(); ++i) {
    text += fmt::format("- name: \"{}\"\n  cluster:\n    server: https://10.200.0.1:32443\n"
                        "    certificate-authority-data: {}\n",
                        i == 0 ? "" : "other",
                        encoding::base64_encode(ca_pems[i]));
  }
  return text + "contexts: []\nusers: []\n";
}

Json
config_map(const std::string& kubeconfig, const BootstrapToken& token) {
  Json data = {{"kubeconfig", kubeconfig}};
  data["jws-kubeconfig-" + token.id] =
      must(pki::compute_detached_jws(kubeconfig, token.id, token.secret));
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", "cluster-info"}, {"namespace", "kube-public"}}},
          {"data", data}};
}

Json
unsigned_config_map(const std::string& kubeconfig) {
  // Signed for another token id only, as a real cluster-info may be.
  BootstrapToken other{"zzzzzz", "0123456789abcdef"};
  return config_map(kubeconfig, other);
}

const std::string k_cluster_info_path = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

// What discover() is asked, against `server`, with `trust`.
DiscoveryRequest
request_to(const FakeApiServer& server, const BootstrapToken& token, TrustOptions trust) {
  DiscoveryRequest request;
  request.endpoint = fmt::format("localhost:{}", server.port());
  request.token = token;
  request.trust = std::move(trust);
  request.timeout = std::chrono::seconds(1);
  return request;
}

// The requests `server` received that carried an Authorization header, and checks that it was
// asked for cluster-info at least `min_reads` times (so the test shows discovery talked to it).
Json
authorized_requests(const FakeApiServer& server, int min_reads) {
  Json out = Json::array();
  int reads = 0;
  for (const auto& request : server.requests()) {
    if (!request["authorization"].is_null()) {
      out.push_back(request);
    }
    reads += request["path"] == k_cluster_info_path ? 1 : 0;
  }
  CHECK(reads >= min_reads);
  return out;
}

std::string
pem_of(const std::filesystem::path& path) {
  return TestPki::read(path);
}

std::string
pin_of(const std::string& pem) {
  return must(pki::ca_pin(must(pki::parse_certificate_pem(pem, "test"))));
}

struct Fixture {
  pki::CertKeyPair ca = make_test_ca("karmada");
  std::string ca_pem = must(ca.cert.to_pem());
  std::string pin = must(pki::ca_pin(ca.cert));
  BootstrapToken token{"abcdef", "0123456789abcdef"};
  Json cm = config_map(kubeconfig_with({ca_pem}), token);
};

} // namespace

TEST_SUITE("karmada.discovery") {

  TEST_CASE("a signed document whose CA matches the pin is trusted") {
    Fixture f;
    auto info = verify_cluster_info(f.cm, f.token, {{f.pin}, false});
    REQUIRE(info);
    CHECK(info->server == "https://10.200.0.1:32443");
    CHECK(info->ca_pem == f.ca_pem);
    CHECK(info->ca_pins == std::vector<std::string>{f.pin});
  }

  TEST_CASE("a pin in upper case hex matches too") {
    Fixture f;
    std::string upper = "sha256:";
    for (char c : f.pin.substr(7)) {
      upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CHECK(verify_cluster_info(f.cm, f.token, {{upper}, false}));
  }

  TEST_CASE("a CA that matches no pin is refused and the message names its actual pin") {
    Fixture f;
    std::string other = must(pki::ca_pin(make_test_ca("other").cert));
    auto info = verify_cluster_info(f.cm, f.token, {{other}, false});
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_pin_mismatch);
    CHECK(info.error().message.find(f.pin) != std::string::npos);
    CHECK(info.error().message.find(other) != std::string::npos);
  }

  TEST_CASE("with several pins one match is enough") {
    Fixture f;
    std::string other = must(pki::ca_pin(make_test_ca("other").cert));
    CHECK(verify_cluster_info(f.cm, f.token, {{other, f.pin}, false}));
    CHECK(verify_cluster_info(f.cm, f.token, {{f.pin, other}, false}));
  }

  TEST_CASE("without pins only the unsafe skip lets the CA through") {
    Fixture f;
    CHECK(verify_cluster_info(f.cm, f.token, {{}, true}));
    auto refused = verify_cluster_info(f.cm, f.token, {{}, false});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().reason == k_reason_usage);
    // A given pin is still checked when the skip is also given.
    std::string other = must(pki::ca_pin(make_test_ca("other").cert));
    CHECK_FALSE(verify_cluster_info(f.cm, f.token, {{other}, true}));
  }

  TEST_CASE("a malformed pin is a usage error") {
    Fixture f;
    auto bad = verify_cluster_info(f.cm, f.token, {{"md5:abcd"}, false});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == k_reason_usage);
  }

  TEST_CASE("no signature for the token id: not signed (yet or any more)") {
    Fixture f;
    BootstrapToken other{"zzzzzz", "0123456789abcdef"};
    auto info = verify_cluster_info(f.cm, other, {{f.pin}, false});
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_not_signed);
  }

  TEST_CASE("a signature made with another secret is refused") {
    Fixture f;
    BootstrapToken wrong{"abcdef", "ffffffffffffffff"};
    auto info = verify_cluster_info(f.cm, wrong, {{f.pin}, false});
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_bad_signature);
    CHECK(info.error().message.find("ffffffffffffffff") == std::string::npos);
  }

  TEST_CASE("an altered document no longer matches its signature") {
    Fixture f;
    Json altered = f.cm;
    altered["data"]["kubeconfig"] = f.cm["data"]["kubeconfig"].get<std::string>() + "# x\n";
    auto info = verify_cluster_info(altered, f.token, {{f.pin}, false});
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_bad_signature);
  }

  TEST_CASE("the signature check agrees with Kubernetes' jws_test.go vectors") {
    // k8s.io/cluster-bootstrap/token/jws/jws_test.go: content, id "joshua", two secrets.
    const std::string content = "Hello from the other side. I must have called a thousand times.";
    Json cm = {{"data",
                {{"kubeconfig", content},
                 {"jws-kubeconfig-joshua",
                  "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_"
                  "8QTNDHYxQIEBsAYYiIj1_8"}}}};
    CHECK(check_signature(cm, {"joshua", "my voice is my passcode"}));
    CHECK_FALSE(check_signature(cm, {"joshua", "my voice is my passcode."}));
    cm["data"]["jws-kubeconfig-joshua"] =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..SFoKn0-YxqnvpSExt4LuCZ_7pvIBdX3SoUO_NsTpkdg";
    CHECK(check_signature(cm, {"joshua", "my voice is my passcode. my voice is my passcode"}));
  }

  TEST_CASE("documents without exactly one cluster with a CA are malformed") {
    Fixture f;
    Json two = config_map(kubeconfig_with({f.ca_pem, f.ca_pem}), f.token);
    auto info = verify_cluster_info(two, f.token, {{f.pin}, false});
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_malformed);
    Json none = {{"data", Json::object()}};
    CHECK(parse_cluster_info(none).error().reason == k_reason_malformed);
  }

  // Found by tests/fuzz/fuzz_cluster_info: Json::value threw on fields of another type.
  TEST_CASE("a cluster-info with fields of the wrong type is malformed, not an exception") {
    for (const Json& cm : {Json{{"data", 5}},
                           Json::array(),
                           Json{{"data", {{"kubeconfig", "clusters: 3"}}}},
                           Json{{"data", {{"kubeconfig", "[1, 2]"}}}},
                           Json{{"data", {{"kubeconfig", "clusters: [{cluster: {server: [1]}}]"}}}},
                           Json{{"data", {{"kubeconfig", "clusters: [7]"}}}}}) {
      auto info = parse_cluster_info(cm);
      REQUIRE_FALSE(info);
      CHECK(info.error().reason == k_reason_malformed);
    }
    Json wrong = {{"data", {{"kubeconfig", 1}, {"jws-kubeconfig-abcdef", "x..y"}}}};
    CHECK_FALSE(check_signature(wrong, {"abcdef", "0123456789abcdef"}));
  }

  TEST_CASE("endpoints take or leave https://") {
    CHECK(endpoint_url("10.0.0.1:32443") == "https://10.0.0.1:32443");
    CHECK(endpoint_url("https://10.0.0.1:32443") == "https://10.0.0.1:32443");
  }

  TEST_CASE("a verified document names the token it was signed for and what token requests "
            "trust") {
    Fixture f;
    std::string extra_pem = must(make_test_ca("extra").cert.to_pem());
    Json bundle = config_map(kubeconfig_with({f.ca_pem + extra_pem}), f.token);
    // With a pin, only the pinned CA of the bundle: a bundle may add any CA beside it.
    auto pinned = verify_cluster_info(bundle, f.token, {{f.pin}, false});
    REQUIRE(pinned);
    CHECK(pinned->signed_for_token_id == f.token.id);
    CHECK(pinned->ca_pem == f.ca_pem + extra_pem);
    CHECK(pinned->token_ca_pem == f.ca_pem);
    // Without a pin, the signed bundle.
    auto skipped = verify_cluster_info(bundle, f.token, {{}, true});
    REQUIRE(skipped);
    CHECK(skipped->token_ca_pem == f.ca_pem + extra_pem);
  }

  TEST_CASE("bootstrap_rest_config refuses a cluster-info not verified for the token (issue 20)") {
    Fixture f;
    ClusterInfo parsed = must(parse_cluster_info(f.cm)); // read, nothing checked
    auto refused = bootstrap_rest_config("localhost:32443", parsed, f.token);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("refusing to send the bootstrap token") !=
          std::string::npos);
    ClusterInfo verified = must(verify_cluster_info(f.cm, f.token, {{f.pin}, false}));
    BootstrapToken other{"zzzzzz", "0123456789abcdef"};
    CHECK_FALSE(bootstrap_rest_config("localhost:32443", verified, other));
    auto rest = bootstrap_rest_config("localhost:32443", verified, f.token);
    REQUIRE(rest);
    CHECK(rest->server == "https://localhost:32443");
    CHECK(rest->tls.ca_pem == f.ca_pem);
    CHECK(rest->auth.token == f.token.full());
  }

  TEST_CASE("without a pin, the token goes to no server before cluster-info is signed for it "
            "(issue 20)") {
    // The server's own CA in cluster-info (all a server that is not the control plane can give),
    // no signature for the token id: nothing proves who it is.
    FakeApiServer server;
    Fixture f;
    server.seed(k_cluster_info_path,
                unsigned_config_map(kubeconfig_with({pem_of(kctl::test::test_pki().ca_crt)})));
    std::vector<std::string> statuses;
    auto info = discover(request_to(server, f.token, {{}, true}),
                         [&](const std::string& text) { statuses.push_back(text); });
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_not_signed);
    CHECK(info.error().message.find("has no signature for token id \"abcdef\"") !=
          std::string::npos);
    CHECK(info.error().message.find("wrong, expired or deleted") != std::string::npos);
    CHECK(info.error().message.find("The token was not sent") != std::string::npos);
    CHECK(info.error().message.find(f.token.secret) == std::string::npos);
    CHECK_FALSE(statuses.empty()); // it waited for the signature, reading again
    Json sent = authorized_requests(server, 2);
    CHECK_MESSAGE(sent.empty(), sent.dump());
  }

  TEST_CASE("with a pin, a bundle that adds the server's CA beside the pinned one gets no token "
            "before the signature (issue 20)") {
    FakeApiServer server;
    Fixture f;
    std::string pinned = pem_of(kctl::test::test_pki().other_ca_crt);
    std::string server_ca = pem_of(kctl::test::test_pki().ca_crt);
    server.seed(k_cluster_info_path, unsigned_config_map(kubeconfig_with({pinned + server_ca})));
    auto info = discover(request_to(server, f.token, {{pin_of(pinned)}, false}));
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == k_reason_not_signed);
    Json sent = authorized_requests(server, 2);
    CHECK_MESSAGE(sent.empty(), sent.dump());
  }

  TEST_CASE("with a pin, a signed bundle still needs a server certificate from the pinned CA "
            "(issue 20)") {
    // Signed with the token (its secret is known to whoever made the document), the pinned CA
    // first, the server's CA beside it: the server never proves it holds a pinned CA's key.
    FakeApiServer server;
    Fixture f;
    std::string pinned = pem_of(kctl::test::test_pki().other_ca_crt);
    std::string server_ca = pem_of(kctl::test::test_pki().ca_crt);
    server.seed(k_cluster_info_path, config_map(kubeconfig_with({pinned + server_ca}), f.token));
    auto info = discover(request_to(server, f.token, {{pin_of(pinned)}, false}));
    REQUIRE_FALSE(info);
    CHECK(info.error().reason == "CertificateUntrusted");
    CHECK(info.error().message.find("pinned CA") != std::string::npos);
    CHECK(authorized_requests(server, 1).empty());
  }

  TEST_CASE("a signed cluster-info is discovered without sending the token") {
    FakeApiServer server;
    Fixture f;
    std::string server_ca = pem_of(kctl::test::test_pki().ca_crt);
    server.seed(k_cluster_info_path, config_map(kubeconfig_with({server_ca}), f.token));
    for (const TrustOptions& trust :
         {TrustOptions{{}, true}, TrustOptions{{pin_of(server_ca)}, false}}) {
      auto info = discover(request_to(server, f.token, trust));
      REQUIRE_MESSAGE(info, info.error().message);
      CHECK(info->signed_for_token_id == f.token.id);
      CHECK(pin_of(info->token_ca_pem) == pin_of(server_ca));
    }
    CHECK(authorized_requests(server, 4).empty());
  }
}
