#include "pki/key.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

using kctl::test::pki::must;
using kctl::test::pki::run_command;
using namespace kctl::pki;

TEST_SUITE("pki key") {

  TEST_CASE("rsa keys default to 3072 bits and write PKCS#1 PEM") {
    PrivateKey key = must(generate_rsa_key());
    CHECK(key.algorithm() == KeyAlgorithm::rsa);
    CHECK(key.bits() == 3072);
    std::string pem = must(key.to_pem());
    CHECK(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    CHECK(pem.ends_with("-----END RSA PRIVATE KEY-----\n"));
  }

  TEST_CASE("rsa key size is configurable and bounded") {
    CHECK(must(generate_key(KeySpec{KeyAlgorithm::rsa, 2048})).bits() == 2048);
    auto too_small = generate_rsa_key(1024);
    REQUIRE_FALSE(too_small);
    CHECK(too_small.error().message == "rsa key size 1024 is outside 2048..8192");
  }

  TEST_CASE("ecdsa keys are P-256 and write SEC1 PEM") {
    PrivateKey key = must(generate_key(KeySpec{KeyAlgorithm::ecdsa, 0}));
    CHECK(key.algorithm() == KeyAlgorithm::ecdsa);
    CHECK(key.bits() == 256);
    CHECK(must(key.to_pem()).starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
  }

  TEST_CASE("private keys round trip through every PEM form") {
    for (PrivateKey key : {must(generate_rsa_key(2048)), must(generate_ecdsa_p256_key())}) {
      CAPTURE(static_cast<int>(key.algorithm()));
      for (std::string pem : {must(key.to_pem()), must(key.to_pkcs8_pem())}) {
        PrivateKey back = must(parse_private_key_pem(pem, "mem"));
        CHECK(back.algorithm() == key.algorithm());
        CHECK(same_public_key(back.public_key(), key.public_key()));
      }
    }
    CHECK(must(must(generate_ecdsa_p256_key()).to_pkcs8_pem())
              .starts_with("-----BEGIN PRIVATE KEY-----\n"));
  }

  TEST_CASE("the openssl command line reads the keys we write") {
    kctl::test::TempDir dir;
    PrivateKey rsa = must(generate_rsa_key(2048));
    PrivateKey ec = must(generate_ecdsa_p256_key());
    REQUIRE(kctl::fs::write_file_atomic(dir / "rsa.key", must(rsa.to_pem())));
    REQUIRE(kctl::fs::write_file_atomic(dir / "ec.key", must(ec.to_pem())));
    CHECK(
        run_command("openssl rsa -check -noout -in " + (dir / "rsa.key").string() + " 2>&1").out ==
        "RSA key ok\n");
    auto ec_text =
        run_command("openssl ec -noout -text -in " + (dir / "ec.key").string() + " 2>/dev/null");
    CHECK(ec_text.status == 0);
    CHECK(ec_text.out.find("NIST CURVE: P-256") != std::string::npos);
  }

  TEST_CASE("keys made by the openssl command line are read, skipping EC PARAMETERS") {
    kctl::test::TempDir dir;
    std::string path = (dir / "ec.pem").string();
    REQUIRE(run_command("openssl ecparam -name prime256v1 -genkey -out " + path + " 2>/dev/null")
                .status == 0);
    std::string pem = must(kctl::fs::read_file(path));
    REQUIRE(pem.starts_with("-----BEGIN EC PARAMETERS-----"));
    CHECK(must(parse_private_key_pem(pem, path)).algorithm() == KeyAlgorithm::ecdsa);
  }

  TEST_CASE("public keys write PKIX PEM and read back") {
    PrivateKey key = must(generate_ecdsa_p256_key());
    std::string pem = must(key.public_key().to_pem());
    CHECK(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    PublicKey back = must(parse_public_key_pem(pem, "sa.pub"));
    CHECK(same_public_key(back, key.public_key()));
    CHECK_FALSE(same_public_key(back, must(generate_ecdsa_p256_key()).public_key()));
  }

  TEST_CASE("bad key input is an error naming the source and the problem") {
    SUBCASE("no PEM at all") {
      auto key = parse_private_key_pem("hello", "/etc/karmada/pki/ca.key");
      REQUIRE_FALSE(key);
      CHECK(key.error().message ==
            "cannot parse private key from /etc/karmada/pki/ca.key: no PEM data found");
    }
    SUBCASE("a certificate where a key is expected") {
      auto key = parse_private_key_pem(
          "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x.key");
      REQUIRE_FALSE(key);
      CHECK(key.error().message ==
            "cannot parse private key from x.key: no private key PEM block found");
    }
    SUBCASE("truncated key body") {
      std::string pem = must(must(generate_rsa_key(2048)).to_pem());
      std::string truncated = pem.substr(0, 200) + "\n-----END RSA PRIVATE KEY-----\n";
      auto key = parse_private_key_pem(truncated, "short.key");
      REQUIRE_FALSE(key);
      CHECK(key.error().message.starts_with("cannot parse private key from short.key: "));
    }
    SUBCASE("missing end line") {
      std::string pem = must(must(generate_ecdsa_p256_key()).to_pem());
      auto key = parse_private_key_pem(pem.substr(0, pem.size() - 20), "cut.key");
      REQUIRE_FALSE(key);
      CHECK(key.error().message.starts_with(
          "cannot parse private key from cut.key: malformed PEM: "));
    }
    SUBCASE("encrypted keys") {
      auto key = parse_private_key_pem(
          "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
          "enc.key");
      REQUIRE_FALSE(key);
      CHECK(key.error().message ==
            "cannot parse private key from enc.key: encrypted private keys are not supported");
    }
    SUBCASE("unsupported key type") {
      kctl::test::TempDir dir;
      std::string path = (dir / "ed.key").string();
      REQUIRE(
          run_command("openssl genpkey -algorithm ed25519 -out " + path + " 2>/dev/null").status ==
          0);
      auto key = parse_private_key_pem(must(kctl::fs::read_file(path)), path);
      REQUIRE_FALSE(key);
      CHECK(key.error().message.find("unsupported key type ED25519") != std::string::npos);
    }
  }

} // TEST_SUITE
