// Discovery's decisions on a kube-public/cluster-info ConfigMap: pins (match, mismatch, several,
// unsafe skip), the JWS (Kubernetes' own vectors and a signed document), malformed documents.
#include "karmada/discovery.hpp"
#include "pki/jws.hpp"
#include "pki/pin.hpp"
#include "test_pki_support.hpp"
#include "util/encoding.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::karmada;
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
}
