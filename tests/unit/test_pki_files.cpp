#include "pki/files.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>
#include <vector>

using kctl::test::pki::make_test_ca;
using kctl::test::pki::must;
using namespace kctl::pki;

namespace {

unsigned
mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode & 07777);
}

} // namespace

TEST_SUITE("pki files") {

  TEST_CASE("a pair is written as <name>.crt 0644 and <name>.key 0600 in a 0700 directory") {
    kctl::test::TempDir tmp;
    std::filesystem::path dir = tmp / "pki";
    CertKeyPair ca = make_test_ca("karmada");
    REQUIRE(write_cert_key_pair(dir, "ca", ca));
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(dir / "ca.key") == 0600);
    CHECK(mode_of(dir / "ca.crt") == 0644);
    CHECK(cert_path(dir, "ca") == dir / "ca.crt");
    CHECK(key_path(dir, "ca") == dir / "ca.key");
    CertKeyPair back = must(read_cert_key_pair(dir, "ca"));
    CHECK(must(back.cert.to_der()) == must(ca.cert.to_der()));
    CHECK(same_public_key(back.key.public_key(), ca.key.public_key()));
    // Atomic writes leave no temporary files behind.
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 2);
  }

  TEST_CASE("public keys are written 0600 and read back") {
    kctl::test::TempDir tmp;
    PrivateKey key = must(generate_ecdsa_p256_key());
    REQUIRE(write_public_key(tmp / "sa.pub", key.public_key()));
    CHECK(mode_of(tmp / "sa.pub") == 0600);
    CHECK(same_public_key(must(read_public_key(tmp / "sa.pub")), key.public_key()));
  }

  TEST_CASE("bundles are written and read in order") {
    kctl::test::TempDir tmp;
    std::vector<Certificate> bundle{make_test_ca("a").cert, make_test_ca("b").cert};
    REQUIRE(write_certificates(tmp / "bundle.crt", bundle));
    std::vector<Certificate> back = must(read_certificates(tmp / "bundle.crt"));
    REQUIRE(back.size() == 2);
    CHECK(inspect(back[1]).common_name == "b");
    CHECK(inspect(must(read_certificate(tmp / "bundle.crt"))).common_name == "a");
  }

  TEST_CASE("read errors name the file and the problem") {
    kctl::test::TempDir tmp;
    std::string missing = (tmp / "missing.key").string();
    auto absent = read_private_key(missing);
    REQUIRE_FALSE(absent);
    CHECK(absent.error().message.starts_with("cannot read " + missing + ": "));

    REQUIRE(kctl::fs::write_file_atomic(tmp / "garbage.key",
                                        "-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n"));
    auto garbage = read_private_key(tmp / "garbage.key");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().message.starts_with(
        "cannot parse private key from " + (tmp / "garbage.key").string() + ": malformed PEM: "));

    std::string pem = must(make_test_ca().key.to_pem());
    REQUIRE(kctl::fs::write_file_atomic(tmp / "cut.key", pem.substr(0, pem.size() / 2)));
    auto cut = read_private_key(tmp / "cut.key");
    REQUIRE_FALSE(cut);
    CHECK(cut.error().message.starts_with("cannot parse private key from " +
                                          (tmp / "cut.key").string() + ": "));

    REQUIRE(kctl::fs::write_file_atomic(tmp / "empty.crt", ""));
    auto empty = read_certificate(tmp / "empty.crt");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message ==
          "cannot parse certificate from " + (tmp / "empty.crt").string() + ": no PEM data found");
  }

  TEST_CASE("a pair whose key belongs elsewhere is refused") {
    kctl::test::TempDir tmp;
    CertKeyPair ca = make_test_ca();
    REQUIRE(write_certificate(cert_path(tmp.path(), "ca"), ca.cert));
    REQUIRE(write_private_key(key_path(tmp.path(), "ca"), make_test_ca().key));
    auto pair = read_cert_key_pair(tmp.path(), "ca");
    REQUIRE_FALSE(pair);
    CHECK(pair.error().message == key_path(tmp.path(), "ca").string() + " does not belong to " +
                                      cert_path(tmp.path(), "ca").string());
  }

} // TEST_SUITE

TEST_SUITE("pki files limits") {
  TEST_CASE("a certificate or key file over k_max_pem_file_bytes is refused without reading it") {
    kctl::test::TempDir tmp;
    auto path = tmp / "huge.crt";
    { std::ofstream create(path); }
    std::filesystem::resize_file(path, kctl::fs::k_max_pem_file_bytes + 1);
    auto cert = read_certificate(path);
    REQUIRE_FALSE(cert.has_value());
    CHECK(cert.error().message ==
          path.string() + ": larger than 4 MiB, the limit for a certificate file");
    auto key = read_private_key(path);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().message == path.string() + ": larger than 4 MiB, the limit for a key file");
  }
}
