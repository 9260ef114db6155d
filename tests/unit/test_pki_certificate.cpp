#include "pki/certificate.hpp"
#include "pki/files.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"

#include <doctest/doctest.h>

#include <vector>

using kctl::test::pki::fixed_now;
using kctl::test::pki::make_test_ca;
using kctl::test::pki::must;
using kctl::test::pki::run_command;
using namespace kctl::pki;
using namespace std::chrono_literals;

namespace {

CertConfig
server_config() {
  CertConfig config;
  config.common_name = "karmada-apiserver";
  config.organizations = {"system:masters", "example"};
  config.alt_names.dns_names = {"localhost", "karmada-apiserver", "*.karmada-system.svc"};
  config.alt_names.ip_addresses = {"127.0.0.1", "10.0.0.7", "fd00::0:1"};
  config.ext_key_usages = {ExtKeyUsage::server_auth, ExtKeyUsage::client_auth};
  config.not_before = fixed_now();
  config.not_after = fixed_now() + 8760h;
  return config;
}

} // namespace

TEST_SUITE("pki certificate") {

  TEST_CASE("a self-signed CA has the shape client-go gives it") {
    auto [ca, key] = make_test_ca("karmada");
    CertInfo info = inspect(ca);
    CHECK(info.subject == "CN=karmada");
    CHECK(info.issuer == "CN=karmada");
    CHECK(info.common_name == "karmada");
    CHECK(info.is_ca);
    CHECK(info.alt_names.dns_names == std::vector<std::string>{"karmada"});
    CHECK(info.key_usages == std::vector<KeyUsage>{KeyUsage::digital_signature,
                                                   KeyUsage::key_encipherment,
                                                   KeyUsage::cert_sign});
    CHECK(info.ext_key_usages.empty());
    CHECK(info.not_before == fixed_now());
    CHECK(info.not_after == fixed_now() + k_ca_validity);
    CHECK(matches_key(ca, key));
    CHECK(verify_certificate(ca, std::vector<Certificate>{ca}, {}, fixed_now() + 1h));
  }

  TEST_CASE("a leaf carries subject, SANs, usages and validity as configured") {
    auto [ca, ca_key] = make_test_ca();
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate cert = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));
    CertInfo info = inspect(cert);
    CHECK(info.common_name == "karmada-apiserver");
    // One multi-valued RDN, as Go writes it; DER orders its members by their encoding.
    CHECK(info.organizations == std::vector<std::string>{"example", "system:masters"});
    CHECK(info.issuer_common_name == "test-ca");
    CHECK_FALSE(info.is_ca);
    CHECK(info.alt_names.dns_names ==
          std::vector<std::string>{"localhost", "karmada-apiserver", "*.karmada-system.svc"});
    CHECK(info.alt_names.ip_addresses ==
          std::vector<std::string>{"127.0.0.1", "10.0.0.7", "fd00::1"});
    CHECK(info.key_usages ==
          std::vector<KeyUsage>{KeyUsage::digital_signature, KeyUsage::key_encipherment});
    CHECK(info.ext_key_usages ==
          std::vector<ExtKeyUsage>{ExtKeyUsage::server_auth, ExtKeyUsage::client_auth});
    CHECK(info.not_before == fixed_now());
    CHECK(info.not_after == fixed_now() + 8760h);
    CHECK(days_until_expiry(cert, fixed_now()) == 365);
    CHECK(days_until_expiry(cert, fixed_now() + 8760h + 1s) == -1);
    CHECK(matches_key(cert, key));
    CHECK_FALSE(matches_key(cert, ca_key));
  }

  TEST_CASE("serial numbers are random, positive and about 127 bits") {
    auto [ca, ca_key] = make_test_ca();
    std::string first =
        inspect(must(sign_certificate(server_config(), ca_key.public_key(), ca, ca_key)))
            .serial_hex;
    std::string second =
        inspect(must(sign_certificate(server_config(), ca_key.public_key(), ca, ca_key)))
            .serial_hex;
    CHECK(first != second);
    CHECK(first.size() >= 24);
    CHECK(first.size() <= 32);
    CHECK(first.front() != '-');
  }

  TEST_CASE("chains verify with OpenSSL, and only against the right CA") {
    auto [ca, ca_key] = make_test_ca("root");
    auto [other, other_key] = make_test_ca("other");
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));
    std::vector<Certificate> roots{ca};
    CHECK(verify_certificate(leaf, roots, {}, fixed_now() + 24h));

    auto wrong = verify_certificate(leaf, std::vector<Certificate>{other}, {}, fixed_now() + 24h);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message ==
          "certificate verification failed: unable to get local issuer certificate");

    auto expired = verify_certificate(leaf, roots, {}, fixed_now() + 8761h);
    REQUIRE_FALSE(expired);
    CHECK(expired.error().message == "certificate verification failed: certificate has expired");

    auto early = verify_certificate(leaf, roots, {}, fixed_now() - 1h);
    REQUIRE_FALSE(early);
    CHECK(early.error().message == "certificate verification failed: certificate is not yet valid");
  }

  TEST_CASE("is_signed_by checks the issuing CA's signature, not the clock") {
    auto [ca, ca_key] = make_test_ca("root");
    auto [other, other_key] = make_test_ca("root");
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));
    CHECK(is_signed_by(leaf, ca));
    CHECK(is_signed_by(ca, ca));
    // Same subject name, different key: the signature decides.
    CHECK_FALSE(is_signed_by(leaf, other));
    CHECK_FALSE(is_signed_by(ca, leaf));
  }

  TEST_CASE("an intermediate CA chains leaf to root") {
    auto [root, root_key] = make_test_ca("root");
    PrivateKey mid_key = must(generate_ecdsa_p256_key());
    CertConfig mid_config = ca_config("intermediate", fixed_now());
    Certificate mid = must(sign_certificate(mid_config, mid_key.public_key(), root, root_key));
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), mid, mid_key));
    std::vector<Certificate> roots{root};
    std::vector<Certificate> intermediates{mid};
    CHECK(verify_certificate(leaf, roots, intermediates, fixed_now() + 1h));
    CHECK_FALSE(verify_certificate(leaf, roots, {}, fixed_now() + 1h));
  }

  TEST_CASE("signing refuses a non-CA issuer, a mismatched CA key and an empty validity window") {
    auto [ca, ca_key] = make_test_ca();
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));

    auto not_ca = sign_certificate(server_config(), key.public_key(), leaf, key);
    REQUIRE_FALSE(not_ca);
    CHECK(not_ca.error().message == "certificate \"karmada-apiserver\": the issuer is not a CA");

    auto wrong_key = sign_certificate(server_config(), key.public_key(), ca, key);
    REQUIRE_FALSE(wrong_key);
    CHECK(wrong_key.error().message ==
          "certificate \"karmada-apiserver\": the CA key does not match the CA certificate");

    CertConfig backwards = server_config();
    backwards.not_after = backwards.not_before;
    auto empty = sign_certificate(backwards, key.public_key(), ca, ca_key);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message ==
          "certificate \"karmada-apiserver\": not-after must be later than not-before");

    CertConfig bad_ip = server_config();
    bad_ip.alt_names.ip_addresses = {"300.1.1.1"};
    auto invalid = sign_certificate(bad_ip, key.public_key(), ca, ca_key);
    REQUIRE_FALSE(invalid);
    CHECK(invalid.error().message == "invalid IP address \"300.1.1.1\"");
  }

  TEST_CASE("RSA CAs sign RSA leaves") {
    PrivateKey ca_key = must(generate_rsa_key(2048));
    Certificate ca = must(create_self_signed_certificate(ca_config("rsa-ca", fixed_now()), ca_key));
    PrivateKey key = must(generate_rsa_key(2048));
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));
    CHECK(verify_certificate(leaf, std::vector<Certificate>{ca}, {}, fixed_now() + 1h));
    CHECK(leaf.public_key().algorithm() == KeyAlgorithm::rsa);
    CHECK(leaf.public_key().bits() == 2048);
  }

  TEST_CASE("a subject with an empty organization, as upstream's apiserver cert has") {
    auto [ca, ca_key] = make_test_ca();
    CertConfig config = server_config();
    config.organizations = {""};
    Certificate cert = must(sign_certificate(config, ca_key.public_key(), ca, ca_key));
    CHECK(inspect(cert).organizations == std::vector<std::string>{""});
  }

  TEST_CASE("a CA made by the openssl command line without key identifiers signs our leaves") {
    kctl::test::TempDir dir;
    std::string key_file = (dir / "ca.key").string();
    std::string cert_file = (dir / "ca.crt").string();
    REQUIRE(run_command("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key_file + " -out " +
                        cert_file + " -subj /CN=user-ca -days 2 -addext subjectKeyIdentifier=none" +
                        " -addext authorityKeyIdentifier=none" +
                        " -addext basicConstraints=critical,CA:TRUE 2>/dev/null")
                .status == 0);
    Certificate ca = must(read_certificate(cert_file));
    PrivateKey ca_key = must(read_private_key(key_file));
    CertConfig config = server_config();
    config.not_before = kctl::pki::Clock::now() - 1h;
    config.not_after = kctl::pki::Clock::now() + 1h;
    Certificate leaf = must(sign_certificate(config, ca_key.public_key(), ca, ca_key));
    CHECK(verify_certificate(leaf, std::vector<Certificate>{ca}));
    CHECK(inspect(leaf).issuer == "CN=user-ca");
  }

  // Issue 21: a notAfter past 2262 overflowed the nanosecond clock.
  TEST_CASE("a certificate valid until the year 9960 is read without overflow") {
    kctl::test::TempDir dir;
    std::string key_file = (dir / "ca.key").string();
    std::string cert_file = (dir / "ca.crt").string();
    REQUIRE(run_command("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes" +
                        std::string(" -keyout ") + key_file + " -out " + cert_file +
                        " -subj /CN=forever -days 2900000 2>/dev/null")
                .status == 0);
    Certificate cert = must(read_certificate(cert_file));
    CHECK(inspect(cert).not_after == kctl::pki::TimePoint::max());
    CHECK(days_until_expiry(cert) > 2800000);
  }

  TEST_CASE("certificates and bundles round trip through PEM") {
    auto [a, a_key] = make_test_ca("a");
    auto [b, b_key] = make_test_ca("b");
    std::vector<Certificate> both{a, b};
    std::string bundle = must(encode_certificates_pem(both));
    std::vector<Certificate> back = must(parse_certificates_pem(bundle, "bundle.crt"));
    REQUIRE(back.size() == 2);
    CHECK(must(back[0].to_der()) == must(a.to_der()));
    CHECK(must(back[1].to_der()) == must(b.to_der()));
    CHECK(inspect(must(parse_certificate_pem(bundle, "bundle.crt"))).common_name == "a");
  }

  TEST_CASE("the openssl command line agrees with what we wrote") {
    kctl::test::TempDir dir;
    auto [ca, ca_key] = make_test_ca("karmada");
    PrivateKey key = must(generate_ecdsa_p256_key());
    Certificate leaf = must(sign_certificate(server_config(), key.public_key(), ca, ca_key));
    REQUIRE(write_certificate(dir / "ca.crt", ca));
    REQUIRE(write_certificate(dir / "leaf.crt", leaf));
    std::string ca_file = (dir / "ca.crt").string();
    std::string leaf_file = (dir / "leaf.crt").string();

    auto verified =
        run_command("openssl verify -attime 1767229200 -CAfile " + ca_file + " " + leaf_file);
    CHECK(verified.status == 0);
    CHECK(verified.out == leaf_file + ": OK\n");

    auto text = run_command("openssl x509 -noout -text -in " + leaf_file);
    REQUIRE(text.status == 0);
    CHECK(
        text.out.find(
            "DNS:localhost, DNS:karmada-apiserver, DNS:*.karmada-system.svc, IP Address:127.0.0.1, "
            "IP Address:10.0.0.7, IP Address:FD00:0:0:0:0:0:0:1") != std::string::npos);
    CHECK(text.out.find("TLS Web Server Authentication, TLS Web Client Authentication") !=
          std::string::npos);
    CHECK(text.out.find("CA:FALSE") != std::string::npos);
    CHECK(text.out.find("Not Before: Jan  1 00:00:00 2026 GMT") != std::string::npos);

    auto subject = run_command("openssl x509 -noout -subject -nameopt RFC2253 -in " + leaf_file);
    CHECK(subject.out == "subject=CN=karmada-apiserver,O=system:masters+O=example\n");
  }

  TEST_CASE("PEM with CRLF line ends and text around the blocks is read") {
    auto [ca, ca_key] = make_test_ca("crlf");
    std::string pem = must(ca.to_pem());
    std::string crlf;
    for (char c : pem) {
      crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    std::string text = "Certificate:\r\n    Data: ...\r\n" + crlf + "trailing words\r\n";
    CHECK(inspect(must(parse_certificate_pem(text, "windows.crt"))).common_name == "crlf");
  }

  TEST_CASE("bad certificate input is an error naming the source") {
    auto none = parse_certificate_pem("", "/tmp/ca.crt");
    REQUIRE_FALSE(none);
    CHECK(none.error().message == "cannot parse certificate from /tmp/ca.crt: no PEM data found");

    auto garbage = parse_certificate_pem(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "ca.crt");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().message.starts_with(
        "cannot parse certificate from ca.crt: invalid CERTIFICATE (block 1): "));

    auto [ca, ca_key] = make_test_ca();
    std::string pem = must(ca.to_pem());
    auto cut = parse_certificate_pem(pem.substr(0, pem.size() / 2), "half.crt");
    REQUIRE_FALSE(cut);
    CHECK(
        cut.error().message.starts_with("cannot parse certificate from half.crt: malformed PEM: "));
  }

} // TEST_SUITE
