#include "pki/csr.hpp"
#include "pki/files.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <vector>

using kctl::test::pki::fixed_now;
using kctl::test::pki::make_test_ca;
using kctl::test::pki::must;
using kctl::test::pki::run_command;
using namespace kctl::pki;
using namespace std::chrono_literals;

namespace {

CsrConfig
agent_request() {
  CsrConfig config;
  config.common_name = "system:karmada:agent:member1";
  config.organizations = {"system:karmada:agents"};
  config.alt_names.dns_names = {"member1.example"};
  config.alt_names.ip_addresses = {"192.168.1.10", "2001:db8::10"};
  return config;
}

CertConfig
client_policy() {
  CertConfig policy;
  policy.ext_key_usages = {ExtKeyUsage::client_auth};
  policy.not_before = fixed_now();
  policy.not_after = fixed_now() + 24h;
  return policy;
}

} // namespace

TEST_SUITE("pki csr") {

  TEST_CASE("a CSR round trips through PEM with its subject and SANs") {
    for (PrivateKey key : {must(generate_ecdsa_p256_key()), must(generate_rsa_key(2048))}) {
      CertificateRequest request = must(create_csr(agent_request(), key));
      std::string pem = must(request.to_pem());
      CHECK(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
      CertificateRequest back = must(parse_csr_pem(pem, "agent.csr"));
      CsrConfig asked = inspect_csr(back);
      CHECK(asked.common_name == "system:karmada:agent:member1");
      CHECK(asked.organizations == std::vector<std::string>{"system:karmada:agents"});
      CHECK(asked.alt_names.dns_names == std::vector<std::string>{"member1.example"});
      CHECK(asked.alt_names.ip_addresses ==
            std::vector<std::string>{"192.168.1.10", "2001:db8::10"});
      CHECK(same_public_key(back.public_key(), key.public_key()));
    }
  }

  TEST_CASE("the openssl command line verifies our CSR") {
    kctl::test::TempDir dir;
    CertificateRequest request = must(create_csr(agent_request(), must(generate_ecdsa_p256_key())));
    REQUIRE(kctl::fs::write_file_atomic(dir / "agent.csr", must(request.to_pem())));
    auto out = run_command("openssl req -verify -noout -subject -nameopt RFC2253 -in " +
                           (dir / "agent.csr").string() + " 2>&1");
    CHECK(out.status == 0);
    CHECK(out.out.find("subject=CN=system:karmada:agent:member1,O=system:karmada:agents") !=
          std::string::npos);
  }

  TEST_CASE("signing a CSR takes the subject from the request and usages from the policy") {
    auto [ca, ca_key] = make_test_ca("karmada");
    PrivateKey key = must(generate_ecdsa_p256_key());
    CertificateRequest request = must(create_csr(agent_request(), key));
    CertConfig policy = client_policy();
    policy.common_name = "ignored";
    Certificate cert = must(sign_csr(request, policy, ca, ca_key));
    CertInfo info = inspect(cert);
    CHECK(info.common_name == "system:karmada:agent:member1");
    CHECK(info.organizations == std::vector<std::string>{"system:karmada:agents"});
    CHECK(info.alt_names.ip_addresses == std::vector<std::string>{"192.168.1.10", "2001:db8::10"});
    CHECK(info.ext_key_usages == std::vector<ExtKeyUsage>{ExtKeyUsage::client_auth});
    CHECK(info.not_after == fixed_now() + 24h);
    CHECK(matches_key(cert, key));
    CHECK(verify_certificate(cert, std::vector<Certificate>{ca}, {}, fixed_now() + 1h));
  }

  TEST_CASE("a CSR made by the openssl command line can be parsed and signed") {
    kctl::test::TempDir dir;
    std::string key = (dir / "k.pem").string();
    std::string csr = (dir / "r.csr").string();
    REQUIRE(run_command(
                "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " +
                key + " -subj '/O=team/CN=alice' -addext subjectAltName=DNS:alice.example -out " +
                csr + " 2>/dev/null")
                .status == 0);
    CertificateRequest request = must(parse_csr_pem(must(kctl::fs::read_file(csr)), csr));
    CHECK(inspect_csr(request).common_name == "alice");
    CHECK(inspect_csr(request).alt_names.dns_names == std::vector<std::string>{"alice.example"});
    auto [ca, ca_key] = make_test_ca();
    Certificate cert = must(sign_csr(request, client_policy(), ca, ca_key));
    CHECK(matches_key(cert, must(read_private_key(key))));
  }

  TEST_CASE("a tampered CSR fails its signature check") {
    CertificateRequest request = must(create_csr(agent_request(), must(generate_ecdsa_p256_key())));
    std::string pem = must(request.to_pem());
    // Flip one base64 character inside the subject; the body still decodes, the signature breaks.
    std::string tampered = pem;
    size_t at = tampered.find('\n') + 60;
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    auto parsed = parse_csr_pem(tampered, "bad.csr");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.starts_with("cannot parse certificate request from bad.csr: "));
  }

  TEST_CASE("no CSR in the input is an error naming the source") {
    auto parsed = parse_csr_pem("nothing here", "empty.csr");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message ==
          "cannot parse certificate request from empty.csr: no PEM data found");
  }

} // TEST_SUITE
