#include "util/yaml.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>

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
    // Keys follow the same rules: YAML 1.1 readers (go-yaml v2) take a bare y or n key as a
    // boolean.
    CHECK(text.find("\"y\": \"yes\"") != std::string::npos);
    auto back = kctl::yaml::parse(text, "dump");
    REQUIRE(back);
    CHECK(*back == value);
    CHECK(text.find("ml: |\n  line1\n  line2\n") !=
          std::string::npos); // a certificate stays a block
  }

  TEST_CASE("dump quotes what YAML 1.1 readers take as timestamps or sexagesimal numbers") {
    // Found by the get parity test: kubectl prints creationTimestamp quoted.
    Json value = {{"at", "2026-12-06T05:47:35Z"},
                  {"date", "2026-1-2"},
                  {"spaced", "2026-12-06 05:47:35.5 +01:00"},
                  {"time", "1:20"},
                  {"name", "web-2026-12-06"},
                  {"ratio", "1:2:x"}};
    std::string text = kctl::yaml::dump(value);
    CHECK(text.find("at: \"2026-12-06T05:47:35Z\"\n") != std::string::npos);
    CHECK(text.find("date: \"2026-1-2\"\n") != std::string::npos);
    CHECK(text.find("spaced: \"2026-12-06 05:47:35.5 +01:00\"\n") != std::string::npos);
    CHECK(text.find("time: \"1:20\"\n") != std::string::npos);
    CHECK(text.find("name: web-2026-12-06\n") != std::string::npos);
    CHECK(text.find("ratio: 1:2:x\n") != std::string::npos);
    auto back = kctl::yaml::parse(text, "dump");
    REQUIRE(back);
    CHECK(*back == value);
  }

  // Found by tests/fuzz/fuzz_yaml: a multi-line string without its final newline came back with
  // one.
  TEST_CASE("dump round-trips line breaks, control bytes and document markers") {
    for (std::string s : {"a\n b",
                          "9inlseL7\r",
                          "bell\x07",
                          "\ttab",
                          "---",
                          "...",
                          "--- x",
                          "a\nb\n\n",
                          " lead\nx\n",
                          "\nfirst\n",
                          "cr\r\nlf\n",
                          "c\x01\n",
                          "tab\there\n",
                          "two\nlines\n"}) {
      Json value = {{"k", s}, {s, "as a key"}};
      std::string text = kctl::yaml::dump(value);
      auto back = kctl::yaml::parse(text, "dump");
      REQUIRE_MESSAGE(back, text);
      CHECK_MESSAGE(*back == value, text);
    }
  }
}

namespace {

// A "billion laughs" document: nine levels of nine aliases, 9^9 strings once expanded.
std::string
billion_laughs() {
  std::string text =
      "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", "
      "\"lol\"]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    char previous = static_cast<char>(level - 1);
    text += fmt::format("{0}: &{0} [", level);
    for (int i = 0; i < 9; ++i) {
      text += fmt::format("{}*{}", i == 0 ? "" : ", ", previous);
    }
    text += "]\n";
  }
  return text;
}

} // namespace

TEST_SUITE("util.yaml.limits") {
  TEST_CASE("a billion-laughs document is refused quickly, naming the source and line (issue 12)") {
    auto started = std::chrono::steady_clock::now();
    auto doc = kctl::yaml::parse(billion_laughs(), "/tmp/laughs.yaml");
    auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(doc);
    CHECK_MESSAGE(doc.error().message.starts_with("/tmp/laughs.yaml:"), doc.error().message);
    CHECK_MESSAGE(doc.error().message.find("excessive aliasing") != std::string::npos,
                  doc.error().message);
    CHECK(elapsed < std::chrono::seconds(2));
    auto all = kctl::yaml::parse_all("x: 1\n---\n" + billion_laughs(), "crds/x.yaml");
    REQUIRE_FALSE(all);
    CHECK(all.error().message.find("excessive aliasing") != std::string::npos);
  }

  TEST_CASE("ordinary aliases still work") {
    std::string text = "base: &base {a: 1, b: [1, 2]}\n";
    for (int i = 0; i < 50; ++i) {
      text += fmt::format("k{}: *base\n", i);
    }
    auto doc = kctl::yaml::parse(text, "t");
    REQUIRE_MESSAGE(doc, doc.error().message);
    CHECK((*doc)["k49"]["b"] == Json::array({1, 2}));
  }

  TEST_CASE("nesting is bounded, and a self-referencing alias does not recurse forever") {
    std::string deep = std::string(1500, '[') + std::string(1500, ']');
    auto doc = kctl::yaml::parse(deep, "deep.yaml");
    REQUIRE_FALSE(doc);
    CHECK_MESSAGE(doc.error().message.starts_with("deep.yaml:1:"), doc.error().message);
    auto self = kctl::yaml::parse("a: &a [*a]\n", "self.yaml");
    REQUIRE_FALSE(self);
    CHECK(self.error().message.starts_with("self.yaml:"));
  }
}

// Found by tests/fuzz/fuzz_manifests: yaml-cpp's LoadAll looped forever on this stream.
TEST_CASE("yaml::parse_all fails instead of looping on a stream the parser cannot get past") {
  // (The fuzzer's input had a \x88 byte after the comma; that alone is now refused as not UTF-8
  // before yaml-cpp sees it, and yaml-cpp still loops without it.)
  std::string stream = ",\"kind\": \"Deployment\", \"metadata\": {\"name\"mmmm\x01";
  auto parsed = kctl::yaml::parse_all(stream, "loop.yaml");
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().message.starts_with("loop.yaml:1:1: "));
  // Ordinary streams, explicit empty documents included, still parse.
  auto fine = kctl::yaml::parse_all("---\n---\na: 1\n---\nb: 2\n", "fine.yaml");
  REQUIRE(fine.has_value());
  CHECK(fine->size() == 2);
}

// Found by tests/fuzz/fuzz_yaml: a string that is not UTF-8 made Json::dump throw later.
TEST_CASE("yaml::parse refuses text that is not UTF-8, naming the offset") {
  auto bad = kctl::yaml::parse("a: \"b\xff\"\n", "bad.yaml");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "bad.yaml: not UTF-8 text (invalid byte at offset 5)");
  CHECK_FALSE(kctl::yaml::parse_all("a: \xed\xa0\x80\n", "surrogate.yaml").has_value());
  CHECK(kctl::yaml::parse("name: caf\xc3\xa9 \xf0\x9f\x98\x80\n", "ok.yaml").has_value());
  // Found by tests/fuzz/fuzz_yaml: leading NULs made yaml-cpp decode the text as UTF-32.
  auto nul = kctl::yaml::parse(std::string("\x01\0\0\0\0\0\0\x04"
                                           "a2a2.\"/V",
                                           16),
                               "nul.yaml");
  REQUIRE_FALSE(nul.has_value());
  CHECK(nul.error().message == "nul.yaml: not YAML text (a NUL byte at offset 1)");
}

// Found by tests/fuzz/fuzz_manifests: std::stod threw out_of_range and aborted the process.
TEST_CASE("a float beyond a double's range stays a string") {
  auto doc = kctl::yaml::parse("big: 8e99999\nsmall: 1e-99999\nfine: 2.5e3\n", "range.yaml");
  REQUIRE(doc.has_value());
  CHECK((*doc)["big"] == "8e99999");
  CHECK((*doc)["fine"] == 2500.0);
}

TEST_CASE("a key longer than YAML's 1024-character limit for simple keys reads back (fuzz_yaml)") {
  // Found by CI's fuzz step: 318 control bytes in a key, each escaped as \x06 when printed, made a
  // key of over 1024 characters, which YAML readers refuse as a simple key.
  for (const std::string& key :
       {std::string(318, '\x06') + "\"items\"", std::string(1100, 'k'), std::string(600, '\x01')}) {
    kctl::Json document = {{key, kctl::Json::array({1, 2})}, {"kt", nullptr}};
    std::string printed = kctl::yaml::dump(document);
    auto again = kctl::yaml::parse(printed, "printed.yaml");
    REQUIRE_MESSAGE(again.has_value(), printed.substr(0, 200));
    CHECK(again->dump() == document.dump());
  }
}
