// Reading -f inputs: documents, Lists, directories, and the errors that name the input.
#include "kube/manifest_reader.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace kctl;
using namespace kctl::kube;

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / fs::path("kctl-manifests-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
};

constexpr const char* k_two_documents = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
---
{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "b"}}
)";

} // namespace

TEST_SUITE("kube.manifest_reader") {

  TEST_CASE("documents in order; empty documents skipped; JSON is YAML") {
    auto objects = parse_manifests(k_two_documents, "in.yaml");
    REQUIRE(objects);
    REQUIRE(objects->size() == 2);
    CHECK((*objects)[0].object["kind"] == "ConfigMap");
    CHECK((*objects)[1].object["metadata"]["name"] == "b");
    CHECK((*objects)[1].source == "in.yaml");
  }

  TEST_CASE("a List is expanded into its items") {
    auto objects = parse_manifests(R"({"apiVersion":"v1","kind":"List","items":[
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}},
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"y"}}]})",
                                   "list.json");
    REQUIRE(objects);
    REQUIRE(objects->size() == 2);
    CHECK((*objects)[1].object["kind"] == "Secret");
  }

  TEST_CASE("objects without kind or name are refused, naming the input") {
    auto no_kind = parse_manifests("apiVersion: v1\nmetadata: {name: a}\n", "bad.yaml");
    REQUIRE_FALSE(no_kind);
    CHECK(no_kind.error().message == "bad.yaml: an object has no apiVersion or kind");
    auto no_name = parse_manifests("apiVersion: v1\nkind: ConfigMap\n", "bad.yaml");
    REQUIRE_FALSE(no_name);
    CHECK(no_name.error().message.find("has no metadata.name") != std::string::npos);
    auto scalar = parse_manifests("just text\n", "bad.yaml");
    REQUIRE_FALSE(scalar);
  }

  TEST_CASE("directories: manifest files in name order, subdirectories only with -R") {
    TempDir dir;
    dir.write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: second}\n");
    dir.write("a.json", R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first"}})");
    dir.write("notes.txt", "not a manifest");
    dir.write("sub/c.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nested}\n");
    auto flat = read_manifests({{dir.path.string()}, false});
    REQUIRE(flat);
    REQUIRE(flat->size() == 2);
    CHECK((*flat)[0].object["metadata"]["name"] == "first");
    CHECK((*flat)[1].object["metadata"]["name"] == "second");
    auto deep = read_manifests({{dir.path.string()}, true});
    REQUIRE(deep);
    CHECK(deep->size() == 3);
  }

  TEST_CASE("missing paths and empty directories are errors") {
    TempDir dir;
    auto missing = read_manifests({{(dir.path / "nope.yaml").string()}, false});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("does not exist") != std::string::npos);
    fs::create_directories(dir.path / "empty");
    auto empty = read_manifests({{(dir.path / "empty").string()}, false});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message.find("has no .yaml, .yml or .json file") != std::string::npos);
  }

  TEST_CASE("oversized files are refused before they are read") {
    TempDir dir;
    {
      std::ofstream out(dir.path / "big.yaml");
      std::string line(1024, '#');
      for (size_t i = 0; i <= k_max_manifest_bytes / 1024; ++i) {
        out << line << '\n';
      }
    }
    auto big = read_manifests({{(dir.path / "big.yaml").string()}, false});
    REQUIRE_FALSE(big);
    CHECK(big.error().message.find("over the limit") != std::string::npos);
  }
}

TEST_CASE("manifests whose kind, apiVersion or name are not strings are refused, not thrown") {
  for (const char* text : {"apiVersion: v1\nkind: 5\nmetadata: {name: a}\n",
                           "apiVersion: [v1]\nkind: ConfigMap\nmetadata: {name: a}\n",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {x: 1}}\n",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata: 3\n"}) {
    auto objects = parse_manifests(text, "weird.yaml");
    REQUIRE_FALSE(objects);
    CHECK(objects.error().message.starts_with("weird.yaml: "));
  }
}
