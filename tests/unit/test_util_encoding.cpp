#include "util/encoding.hpp"

#include <doctest/doctest.h>

using namespace kctl::encoding;

TEST_SUITE("util::encoding") {
  TEST_CASE("base64 matches RFC 4648 vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(*base64_decode("Zm9vYmE=") == "fooba");
    CHECK(*base64_decode("Zm9v\nYmFy\n") == "foobar");
  }

  TEST_CASE("base64 rejects junk") {
    CHECK_FALSE(base64_decode("Zm9v*"));
    CHECK_FALSE(base64_decode("Zm=9"));
    CHECK_FALSE(base64_decode("Z"));
  }

  TEST_CASE("base64url has no padding and URL-safe letters") {
    std::string bytes("\xfb\xff\xfe", 3);
    CHECK(base64_encode(bytes) == "+//+");
    CHECK(base64url_encode(bytes) == "-__-");
    CHECK(base64url_encode("f") == "Zg");
    CHECK(*base64url_decode("-__-") == bytes);
    CHECK_FALSE(base64url_decode("+//+"));
  }

  TEST_CASE("binary round trip") {
    std::string all;
    for (int i = 0; i < 256; ++i) {
      all += static_cast<char>(i);
    }
    CHECK(*base64_decode(base64_encode(all)) == all);
    CHECK(*base64url_decode(base64url_encode(all)) == all);
    CHECK(hex_encode(std::string("\x00\xab\xff", 3)) == "00abff");
  }
}
