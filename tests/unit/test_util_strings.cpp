#include "util/strings.hpp"

#include <doctest/doctest.h>

using kctl::strings::join;
using kctl::strings::split;
using kctl::strings::split_list;
using Views = std::vector<std::string_view>;
using Strings = std::vector<std::string>;

TEST_SUITE("util::strings") {
  TEST_CASE("split keeps every part, empty ones included") {
    CHECK(split("a::b", ':') == Views{"a", "", "b"});
    CHECK(split("key=value", '=') == Views{"key", "value"});
    CHECK(split("", ',') == Views{""});
    CHECK(split(",", ',') == Views{"", ""});
  }

  TEST_CASE("split_list keeps the non-empty items of a flag's list") {
    CHECK(split_list("a,,b,") == Strings{"a", "b"});
    CHECK(split_list("").empty());
    CHECK(split_list("10.0.0.1") == Strings{"10.0.0.1"});
    CHECK(split_list("x;y", ';') == Strings{"x", "y"});
  }

  TEST_CASE("join puts the separator between items, empty items included") {
    CHECK(join({"a", "b", "c"}, ",") == "a,b,c");
    CHECK(join({}, ",").empty());
    CHECK(join({"", "a"}, ",") == ",a");
    CHECK(join(split_list("a,b"), ", ") == "a, b");
  }
}
