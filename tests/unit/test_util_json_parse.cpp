#include "util/json_parse.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {
std::string
nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}
} // namespace

TEST_SUITE("util::json_parse") {
  TEST_CASE("parses what nlohmann parses, in the order written") {
    auto parsed = kctl::json::parse(R"( {"b": [1, -2, 3.5, true, null, "x"], "a": {"c": {}}} )");
    REQUIRE(parsed.has_value());
    CHECK(parsed->dump() == R"({"b":[1,-2,3.5,true,null,"x"],"a":{"c":{}}})");
    CHECK(*kctl::json::parse("18446744073709551615") == kctl::Json(18446744073709551615ULL));
    CHECK(*kctl::json::parse(R"("\u00e9")") == kctl::Json("é"));
    // A repeated key keeps its last value, as Json::parse does.
    CHECK(*kctl::json::parse(R"({"k": 1, "k": 2})") == kctl::Json({{"k", 2}}));
  }

  TEST_CASE("nesting is limited to k_max_json_depth levels") {
    CHECK(kctl::json::parse(nested_arrays(kctl::json::k_max_json_depth)).has_value());
    auto deep = kctl::json::parse(nested_arrays(kctl::json::k_max_json_depth + 1));
    REQUIRE_FALSE(deep.has_value());
    CHECK(deep.error().message == "JSON nested deeper than 1000 levels (the limit)");
    // Far deeper input (a hostile server) stops at the limit instead of exhausting the stack.
    auto hostile = kctl::json::parse(std::string(std::size_t{8} << 20, '['));
    REQUIRE_FALSE(hostile.has_value());
    CHECK(hostile.error().message == "JSON nested deeper than 1000 levels (the limit)");
    std::string objects;
    for (int i = 0; i < 1001; ++i) {
      objects += R"({"a":)";
    }
    CHECK_FALSE(kctl::json::parse(objects + "1" + std::string(1001, '}')).has_value());
  }

  TEST_CASE("errors give the position, never the text") {
    auto bad = kctl::json::parse(R"({"token": "s3cr3t-value)");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.starts_with("not JSON (invalid at byte "));
    CHECK(bad.error().message.find("s3cr3t") == std::string::npos);
    CHECK_FALSE(kctl::json::parse("").has_value());
    CHECK_FALSE(kctl::json::parse("{} {}").has_value());
    CHECK_FALSE(kctl::json::parse("[1,]").has_value());
  }

  TEST_CASE("a dropped member is skipped at any depth, whatever its value") {
    auto parsed = kctl::json::parse(
        R"({"metadata": {"name": "m1", "managedFields": [{"f": {"a": [1, {"b": 2}]}}], "uid": "u"},
            "items": [{"managedFields": "x", "k": 1}, {"managedFields": null}],
            "managedFields": {"deep": [[[]]]}, "last": true})",
        kctl::json::k_max_json_depth,
        "managedFields");
    REQUIRE(parsed.has_value());
    CHECK(parsed->dump() ==
          R"({"metadata":{"name":"m1","uid":"u"},"items":[{"k":1},{}],"last":true})");
    // Dropped values still count towards the nesting limit.
    std::string deep = R"({"managedFields": )" + nested_arrays(kctl::json::k_max_json_depth) + "}";
    CHECK_FALSE(kctl::json::parse(deep, kctl::json::k_max_json_depth, "managedFields").has_value());
    CHECK(kctl::json::parse(R"({"managedFields": 1})", 2, "managedFields")->dump() == "{}");
  }
}
