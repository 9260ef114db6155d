#include "pki/jws.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

using kctl::test::pki::must;
using kctl::test::pki::run_command;
using namespace kctl::pki;

namespace {

// Vectors from k8s.io/cluster-bootstrap token/jws/jws_test.go (older and newer secrets).
constexpr const char* k_content = "Hello from the other side. I must have called a thousand times.";
constexpr const char* k_id = "joshua";

} // namespace

TEST_SUITE("pki jws") {

  TEST_CASE("the protected header is what go-jose emits") {
    CHECK(jws_header("abcdef") == R"({"alg":"HS256","kid":"abcdef"})");
    CHECK(kctl::encoding::base64url_encode(jws_header("joshua")) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9");
  }

  TEST_CASE("detached signatures match the Kubernetes test vectors") {
    CHECK(must(compute_detached_jws(k_content, k_id, "my voice is my passcode")) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8");
    CHECK(must(compute_detached_jws("", k_id, "my voice is my passcode")) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..7Ui1ALizW4jXphVUB7xUqC9vLYLL9RZeOFfVLoB7Tgk");
    CHECK(must(compute_detached_jws(k_content, k_id, "")) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..UfkqvDGiIFxrMnFseDj9LYJOLNrvjW8aHhF71mvvAs8");
    const char* long_secret = "my voice is my passcode. my voice is my passcode";
    CHECK(must(compute_detached_jws(k_content, k_id, long_secret)) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..SFoKn0-YxqnvpSExt4LuCZ_7pvIBdX3SoUO_NsTpkdg");
    CHECK(must(compute_detached_jws("", k_id, long_secret)) ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..kzZha466Sbz_vFhUBjjYp2rl3F7yHgdDdUIBGxQg4js");
  }

  TEST_CASE("the signature equals an HMAC computed by the openssl command line") {
    kctl::test::TempDir dir;
    std::string content = "apiVersion: v1\nkind: Config\nclusters:\n- name: \"\"\n";
    std::string header = kctl::encoding::base64url_encode(jws_header("abcdef"));
    std::string signing_input = header + "." + kctl::encoding::base64url_encode(content);
    REQUIRE(kctl::fs::write_file_atomic(dir / "input", signing_input));
    auto out =
        run_command("openssl dgst -sha256 -hmac 0123456789abcdef -binary " +
                    (dir / "input").string() + " | openssl base64 -A | tr '+/' '-_' | tr -d '='");
    REQUIRE(out.status == 0);
    CHECK(must(compute_detached_jws(content, "abcdef", "0123456789abcdef")) ==
          header + ".." + out.out);
  }

  TEST_CASE("verification accepts the right token only") {
    std::string sig = must(compute_detached_jws(k_content, "abcdef", "0123456789abcdef"));
    CHECK(detached_jws_is_valid(sig, k_content, "abcdef", "0123456789abcdef"));
    CHECK_FALSE(detached_jws_is_valid(sig + "foo", k_content, "abcdef", "0123456789abcdef"));
    CHECK_FALSE(detached_jws_is_valid(sig, k_content, "abcdef", "0123456789abcdeg"));
    CHECK_FALSE(detached_jws_is_valid(sig, k_content, "abcdeg", "0123456789abcdef"));
    CHECK_FALSE(
        detached_jws_is_valid(sig, std::string(k_content) + " ", "abcdef", "0123456789abcdef"));
    CHECK_FALSE(detached_jws_is_valid("", k_content, "abcdef", "0123456789abcdef"));
  }

} // TEST_SUITE
