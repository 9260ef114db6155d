// token, register and unregister as users meet them on the command line: flags, usage errors
// (exit 2, before any cluster is contacted), help; register against a hostile "Karmada API
// server" (tests/support/hostile_apiserver.py) that never gets the token (issue 20).
#include "kube_test_server.hpp"
#include "pki/certificate.hpp"
#include "pki/pin.hpp"
#include "run_binary.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>

using kctl::Json;
using kctl::test::FakeApiServer;
using kctl::test::HostileApiServer;
using kctl::test::HostileJws;
using kctl::test::run_karmadactl;
using kctl::test::TempDir;

namespace {

const std::string k_token = "abcdef.0123456789abcdef";
const std::string k_secret = "0123456789abcdef";

// A member cluster: the fake apiserver with a kube-system namespace (register's cluster ID), and
// a kubeconfig for it in `dir`.
struct Member {
  FakeApiServer server;
  TempDir dir;
  std::string kubeconfig = (dir / "member.kubeconfig").string();

  Member() {
    const auto& pki = kctl::test::test_pki();
    server.seed("/api/v1/namespaces/kube-system",
                Json{{"apiVersion", "v1"},
                     {"kind", "Namespace"},
                     {"metadata", {{"name", "kube-system"}, {"uid", "member-uid-1"}}}});
    std::ofstream(kubeconfig) << fmt::format(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: member\n  cluster:\n"
        "    server: {}\n    certificate-authority: {}\nusers:\n- name: admin\n  user:\n"
        "    client-certificate: {}\n    client-key: {}\ncontexts:\n- name: member\n"
        "  context:\n    cluster: member\n    user: admin\ncurrent-context: member\n",
        server.url(),
        pki.ca_crt.string(),
        pki.client_crt.string(),
        pki.client_key.string());
  }
};

// The pin of the test PKI's CA: the "real" control plane's CA, which the hostile server may copy
// into its cluster-info (a CA certificate is public) but holds no key of.
std::string
real_ca_pin() {
  auto cert = kctl::pki::parse_certificate_pem(
      kctl::test::TestPki::read(kctl::test::test_pki().ca_crt), "ca.crt");
  REQUIRE(cert);
  auto pin = kctl::pki::ca_pin(*cert);
  REQUIRE(pin);
  return *pin;
}

} // namespace

TEST_SUITE("commands::registration") {

  TEST_CASE("register --help lists every upstream flag") {
    auto r = run_karmadactl("register --help");
    CHECK(r.exit_code == 0);
    for (const char* flag : {"--kubeconfig",
                             "--context",
                             "--namespace",
                             "--cluster-name",
                             "--cluster-namespace",
                             "--cluster-provider",
                             "--cluster-region",
                             "--cluster-zones",
                             "--enable-cert-rotation",
                             "--token",
                             "--discovery-token-ca-cert-hash",
                             "--discovery-token-unsafe-skip-ca-verification",
                             "--discovery-timeout",
                             "--karmada-agent-image",
                             "--karmada-agent-replicas",
                             "--cert-expiration-seconds",
                             "--dry-run",
                             "--proxy-server-address"}) {
      CHECK_MESSAGE(r.out.find(flag) != std::string::npos, flag);
    }
  }

  TEST_CASE("unregister --help lists every upstream flag") {
    auto r = run_karmadactl("unregister --help");
    CHECK(r.exit_code == 0);
    for (const char* flag : {"--cluster-kubeconfig",
                             "--cluster-context",
                             "--karmada-config",
                             "--karmada-context",
                             "--namespace",
                             "--agent-name",
                             "--cluster-namespace",
                             "--wait",
                             "--dry-run"}) {
      CHECK_MESSAGE(r.out.find(flag) != std::string::npos, flag);
    }
  }

  TEST_CASE("register refuses missing or malformed inputs with exit 2") {
    auto no_token = run_karmadactl("register 10.0.0.1:32443 --discovery-token-ca-cert-hash "
                                   "sha256:00 --kubeconfig /nonexistent");
    CHECK(no_token.exit_code == 2);
    CHECK(no_token.err.find("--token is required") != std::string::npos);
    auto no_hash =
        run_karmadactl("register 10.0.0.1:32443 --token abcdef.0123456789abcdef --kubeconfig x");
    CHECK(no_hash.exit_code == 2);
    CHECK(no_hash.err.find("--discovery-token-unsafe-skip-ca-verification") != std::string::npos);
    auto bad_token = run_karmadactl("register 10.0.0.1:32443 --token abc.def "
                                    "--discovery-token-unsafe-skip-ca-verification");
    CHECK(bad_token.exit_code == 2);
    auto bad_name =
        run_karmadactl("register 10.0.0.1:32443 --token abcdef.0123456789abcdef "
                       "--discovery-token-unsafe-skip-ca-verification --cluster-name Bad_Name");
    CHECK(bad_name.exit_code == 2);
    CHECK(bad_name.err.find("DNS-1123") != std::string::npos);
  }

  TEST_CASE("token flags are validated before any cluster is contacted") {
    auto groups = run_karmadactl("token create --groups system:masters --kubeconfig /nonexistent");
    CHECK(groups.exit_code == 2);
    CHECK(groups.err.find("system:bootstrappers") != std::string::npos);
    auto usages = run_karmadactl("token create --usages kubelet --kubeconfig /nonexistent");
    CHECK(usages.exit_code == 2);
    auto bad_delete = run_karmadactl("token delete nope --kubeconfig /nonexistent");
    CHECK(bad_delete.exit_code == 2);
    auto no_arg = run_karmadactl("token delete --kubeconfig /nonexistent");
    CHECK(no_arg.exit_code == 2);
  }

  TEST_CASE("unregister needs the cluster name and the member kubeconfig") {
    CHECK(run_karmadactl("unregister --cluster-kubeconfig x").exit_code == 2);
    auto no_kubeconfig = run_karmadactl("unregister member3");
    CHECK(no_kubeconfig.exit_code == 2);
    CHECK(no_kubeconfig.err.find("--cluster-kubeconfig") != std::string::npos);
  }

  TEST_CASE("register sends the token to no server that has not proved who it is (issue 20)") {
    Member member;
    struct Case {
      const char* name;
      HostileJws jws;
      bool pinned;
      const char* expected; // in the error
    };
    const Case cases[] = {
        {"no pin, no signature for the token id",
         HostileJws::none,
         false,
         "has no signature for token id \"abcdef\""},
        {"no pin, a signature made with another secret",
         HostileJws::wrong,
         false,
         "does not match the token's secret"},
        {"pinned CA in the bundle, no signature",
         HostileJws::none,
         true,
         "has no signature for token id \"abcdef\""},
        {"pinned CA in the bundle, a wrong signature",
         HostileJws::wrong,
         true,
         "does not match the token's secret"},
        {"pinned CA in the bundle, signed, server certificate from another CA",
         HostileJws::valid,
         true,
         "does not present a certificate signed by the pinned CA"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      std::vector<std::filesystem::path> extra;
      if (c.pinned) {
        extra.push_back(kctl::test::test_pki().ca_crt);
      }
      HostileApiServer hostile("abcdef", c.jws, k_secret, extra);
      std::string trust = c.pinned ? "--discovery-token-ca-cert-hash " + real_ca_pin()
                                   : "--discovery-token-unsafe-skip-ca-verification";
      auto r = run_karmadactl(fmt::format("register {} --token {} {} --kubeconfig {} "
                                          "--discovery-timeout 2s",
                                          hostile.endpoint(),
                                          k_token,
                                          trust,
                                          member.kubeconfig));
      CHECK(r.exit_code == 1);
      CHECK_MESSAGE(r.err.find("error: ") != std::string::npos, r.err);
      CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, r.err);
      CHECK(r.err.find(k_secret) == std::string::npos);
      CHECK(r.out.find(k_secret) == std::string::npos);
      Json requests = hostile.requests();
      CHECK_MESSAGE(!requests.empty(), "discovery never asked the server");
      Json sent = hostile.authorized_requests();
      CHECK_MESSAGE(sent.empty(), sent.dump());
      CHECK(requests.dump().find(k_secret) == std::string::npos);
    }
  }

  TEST_CASE("register checks ENDPOINT before anything is read or contacted (issue 20)") {
    Member member;
    struct Case {
      const char* endpoint;
      const char* expected;
    };
    const Case cases[] = {
        {":32443", "invalid endpoint \":32443\": no host before \":\""},
        {"127.0.0.1:99999", "the port 99999 is out of range: a port is 1-65535"},
        {"[::1", "\"[\" without \"]\""},
        {"http://x", "invalid endpoint \"http://x\": http:// is refused"},
        {"u:hunter2@host/x", "invalid endpoint \"<redacted>@host/x\": an endpoint has no user "},
    };
    for (const Case& c : cases) {
      CAPTURE(c.endpoint);
      auto r = run_karmadactl(fmt::format("register '{}' --token {} "
                                          "--discovery-token-unsafe-skip-ca-verification "
                                          "--kubeconfig {}",
                                          c.endpoint,
                                          k_token,
                                          member.kubeconfig));
      CHECK(r.exit_code == 2);
      CHECK_MESSAGE(r.err.starts_with("error: "), r.err);
      CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, r.err);
      CHECK(r.err.find("hunter2") == std::string::npos);
      CHECK(r.out.find("hunter2") == std::string::npos);
    }
    // Not the member either: nothing was read before the endpoint was refused.
    Json requests = member.server.requests();
    CHECK_MESSAGE(requests.empty(), requests.dump());
    // Without a kubeconfig, the endpoint is still what is named first.
    auto missing = run_karmadactl("register 'http://x' --token " + k_token +
                                  " --discovery-token-unsafe-skip-ca-verification --kubeconfig "
                                  "/nonexistent/kubeconfig");
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("http:// is refused") != std::string::npos);
  }
}
