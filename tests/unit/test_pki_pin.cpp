#include "pki/files.hpp"
#include "pki/pin.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"

#include <doctest/doctest.h>

#include <vector>

using kctl::test::pki::fixed_now;
using kctl::test::pki::make_test_ca;
using kctl::test::pki::must;
using kctl::test::pki::run_command;
using namespace kctl::pki;

namespace {

// The pin as the kubeadm docs tell users to compute it with the openssl command line.
std::string
openssl_pin(const std::filesystem::path& cert_file) {
  auto out = run_command("openssl x509 -pubkey -noout -in " + cert_file.string() +
                         " | openssl pkey -pubin -outform DER | sha256sum");
  REQUIRE(out.status == 0);
  return "sha256:" + out.out.substr(0, 64);
}

} // namespace

TEST_SUITE("pki pin") {

  TEST_CASE("the CA pin equals what the openssl command line computes") {
    kctl::test::TempDir dir;
    PrivateKey rsa_key = must(generate_rsa_key(2048));
    Certificate rsa_ca =
        must(create_self_signed_certificate(ca_config("karmada", fixed_now()), rsa_key));
    Certificate ec_ca = make_test_ca().cert;
    for (const Certificate& ca : {rsa_ca, ec_ca}) {
      REQUIRE(write_certificate(dir / "ca.crt", ca));
      std::string pin = must(ca_pin(ca));
      CHECK(pin.size() == 7 + 64);
      CHECK(pin == openssl_pin(dir / "ca.crt"));
    }
  }

  TEST_CASE("a bundle yields one pin per certificate, in order") {
    std::vector<Certificate> bundle{make_test_ca("a").cert, make_test_ca("b").cert};
    std::vector<std::string> pins = must(ca_pins(bundle));
    REQUIRE(pins.size() == 2);
    CHECK(pins[0] == must(ca_pin(bundle[0])));
    CHECK(pins[1] == must(ca_pin(bundle[1])));
    CHECK(pins[0] != pins[1]);
  }

  TEST_CASE("a pin set accepts any of several pins, case-insensitively") {
    Certificate ca = make_test_ca().cert;
    Certificate other = make_test_ca().cert;
    std::string pin = must(ca_pin(ca));
    std::string upper = "SHA256:";
    for (char c : pin.substr(7)) {
      upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::vector<std::string> values{must(ca_pin(other)), upper};
    PinSet pins = must(PinSet::parse(values));
    CHECK(pins.check_any(std::vector<Certificate>{ca}));
    CHECK(pins.check_any(std::vector<Certificate>{other}));
  }

  TEST_CASE("an unpinned CA is refused, naming its pin") {
    Certificate ca = make_test_ca().cert;
    std::vector<std::string> values{must(ca_pin(make_test_ca().cert))};
    PinSet pins = must(PinSet::parse(values));
    auto checked = pins.check_any(std::vector<Certificate>{ca});
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message == "none of the CA public keys [" + must(ca_pin(ca)) +
                                         "] matches a --discovery-token-ca-cert-hash");
  }

  TEST_CASE("malformed pins are refused") {
    PinSet pins;
    CHECK(pins.empty());
    auto no_format = pins.allow("abcd");
    REQUIRE_FALSE(no_format);
    CHECK(no_format.error().message == "invalid CA cert hash \"abcd\": expected \"sha256:<hex>\"");
    auto md5 = pins.allow("md5:0123");
    REQUIRE_FALSE(md5);
    CHECK(md5.error().message ==
          "invalid CA cert hash \"md5:0123\": unknown format \"md5\" (known: sha256)");
    auto short_hex = pins.allow("sha256:0123");
    REQUIRE_FALSE(short_hex);
    CHECK(short_hex.error().message ==
          "invalid CA cert hash \"sha256:0123\": expected 64 hex digits");
    auto not_hex = pins.allow("sha256:" + std::string(64, 'g'));
    REQUIRE_FALSE(not_hex);
    CHECK(pins.empty());
  }

} // TEST_SUITE
