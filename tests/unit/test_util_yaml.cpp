#include "util/yaml.hpp"

#include <doctest/doctest.h>

using kctl::Json;

TEST_SUITE("util::yaml") {
  TEST_CASE("plain scalars are typed the Kubernetes way, quoted ones stay strings") {
    auto doc =
        kctl::yaml::parse("a: 1\nb: true\nc: null\nd: \"1\"\ne: 'true'\nf: 1.5\ng: text\nh: ~\n"
                          "i: -3\nj: 0x10\n",
                          "t.yaml");
    REQUIRE(doc);
    CHECK((*doc)["a"] == 1);
    CHECK((*doc)["b"] == true);
    CHECK((*doc)["c"].is_null());
    CHECK((*doc)["d"] == "1");
    CHECK((*doc)["e"] == "true");
    CHECK((*doc)["f"] == 1.5);
    CHECK((*doc)["g"] == "text");
    CHECK((*doc)["h"].is_null());
    CHECK((*doc)["i"] == -3);
    CHECK((*doc)["j"] == "0x10");
  }

  TEST_CASE("keeps key order and nests") {
    auto doc = kctl::yaml::parse("z: 1\na:\n  - x: [1, 2]\n  - y\n", "t.yaml");
    REQUIRE(doc);
    CHECK(doc->begin().key() == "z");
    CHECK((*doc)["a"][0]["x"] == Json::array({1, 2}));
    CHECK((*doc)["a"][1] == "y");
  }

  TEST_CASE("errors name the source and the line") {
    auto doc = kctl::yaml::parse("a: 1\nb: [1, 2\n", "/tmp/broken.yaml");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().message.starts_with("/tmp/broken.yaml:"));
  }

  TEST_CASE("multi-document streams skip empty documents") {
    auto docs = kctl::yaml::parse_all("---\na: 1\n---\n---\nb: 2\n", "s.yaml");
    REQUIRE(docs);
    REQUIRE(docs->size() == 2);
    CHECK((*docs)[1]["b"] == 2);
  }

  TEST_CASE("dump quotes strings that would change type and round-trips") {
    Json value = {{"s", "true"},
                  {"n", "123"},
                  {"y", "yes"},
                  {"e", ""},
                  {"b", false},
                  {"i", 42},
                  {"ml", "line1\nline2\n"},
                  {"list", Json::array({"a", 1})},
                  {"obj", {{"k", "v"}}},
                  {"empty_obj", Json::object()},
                  {"empty_list", Json::array()},
                  {"nested", {{"emptyDir", Json::object()}, {"x", 1}}}};
    std::string text = kctl::yaml::dump(value);
    CHECK(text.find("s: \"true\"") != std::string::npos);
    CHECK(text.find("y: \"yes\"") != std::string::npos);
    auto back = kctl::yaml::parse(text, "dump");
    REQUIRE(back);
    CHECK(*back == value);
  }
}
