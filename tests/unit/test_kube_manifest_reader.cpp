// Reading -f inputs: documents, Lists, directories, and the errors that name the input.
#include "kube/manifest_reader.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
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

std::string
config_map(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n";
}

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
    REQUIRE(flat->objects.size() == 2);
    CHECK(flat->objects[0].object["metadata"]["name"] == "first");
    CHECK(flat->objects[1].object["metadata"]["name"] == "second");
    auto deep = read_manifests({{dir.path.string()}, true});
    REQUIRE(deep);
    CHECK(deep->objects.size() == 3);
    CHECK(deep->warnings.empty());
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

  // Issue 20: two links back to the parent made -R walk for ever; one made it read the same
  // files again and again.
  TEST_CASE("-R does not follow links to directories, so a loop of links ends at once") {
    TempDir dir;
    dir.write("tree/cm.yaml", config_map("one"));
    fs::create_directory_symlink("..", dir.path / "tree/a");
    fs::create_directory_symlink("..", dir.path / "tree/b");
    fs::create_directory_symlink(dir.path / "tree", dir.path / "tree/self.yaml");
    auto start = std::chrono::steady_clock::now();
    auto read = read_manifests({{(dir.path / "tree").string()}, true});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    REQUIRE(read);
    REQUIRE(read->objects.size() == 1);
    CHECK(read->objects[0].object["metadata"]["name"] == "one");
    REQUIRE(read->warnings.size() == 3);
    CHECK(read->warnings[0] == (dir.path / "tree/a").string() +
                                   ": a symbolic link to a directory, not followed (-R does not "
                                   "follow directory links, as kubectl's); pass the directory "
                                   "itself with -f");
    // From the parent too: tree is walked once, its links are not followed.
    auto parent = read_manifests({{dir.path.string()}, true});
    REQUIRE(parent);
    CHECK(parent->objects.size() == 1);
    // Without -R, subdirectories (links or not) are not looked into, and nothing is said.
    auto flat = read_manifests({{(dir.path / "tree").string()}, false});
    REQUIRE(flat);
    CHECK(flat->objects.size() == 1);
    CHECK(flat->warnings.empty());
    // A link named with -f is the user's choice, and is followed.
    auto named = read_manifests({{(dir.path / "tree/a/tree").string()}, false});
    REQUIRE(named);
    CHECK(named->objects.size() == 1);
  }

  TEST_CASE("links to files are read; a file reached twice is read once") {
    TempDir dir;
    dir.write("tree/real.yaml", config_map("real"));
    dir.write("outside/other.yaml", config_map("other"));
    fs::create_symlink("real.yaml", dir.path / "tree/link1.yaml");
    fs::create_directories(dir.path / "tree/sub");
    fs::create_symlink("../real.yaml", dir.path / "tree/sub/link2.yaml");
    fs::create_symlink(dir.path / "outside/other.yaml", dir.path / "tree/sub/other.yaml");
    fs::create_hard_link(dir.path / "tree/real.yaml", dir.path / "tree/sub/hard.yaml");
    fs::create_symlink("missing", dir.path / "tree/notes"); // a broken link, not a manifest
    auto read = read_manifests({{(dir.path / "tree").string()}, true});
    REQUIRE(read);
    REQUIRE(read->objects.size() == 2);
    // Name order: tree/link1.yaml (first to reach real.yaml), then tree/sub/other.yaml.
    CHECK(read->objects[0].source == (dir.path / "tree/link1.yaml").string());
    CHECK(read->objects[1].object["metadata"]["name"] == "other");
    CHECK(read->warnings.empty());
    // The same file given twice, directly and through a directory, is read once too.
    auto twice = read_manifests({{(dir.path / "tree/real.yaml").string(),
                                  (dir.path / "tree/real.yaml").string(),
                                  (dir.path / "tree").string()},
                                 false});
    REQUIRE(twice);
    CHECK(twice->objects.size() == 1);
    // A link to a missing manifest is an error naming it.
    fs::create_symlink("gone.yaml", dir.path / "tree/dangling.yaml");
    auto dangling = read_manifests({{(dir.path / "tree").string()}, false});
    REQUIRE_FALSE(dangling);
    CHECK(dangling.error().message ==
          (dir.path / "tree/dangling.yaml").string() + ": a symbolic link to a missing file");
  }

  TEST_CASE("a walk reads regular files only: a FIFO named x.yaml is refused, not waited on") {
    TempDir dir;
    dir.write("tree/cm.yaml", config_map("one"));
    REQUIRE(::mkfifo((dir.path / "tree/pipe.yaml").c_str(), 0600) == 0);
    auto read = read_manifests({{(dir.path / "tree").string()}, false});
    REQUIRE_FALSE(read);
    CHECK(read.error().message.find("pipe.yaml: not a regular file") != std::string::npos);
  }

  TEST_CASE("walks are bounded: k_max_manifest_depth levels, k_max_manifest_files files") {
    TempDir dir;
    fs::path deep = dir.path / "deep";
    for (std::size_t level = 0; level <= k_max_manifest_depth + 1; ++level) {
      deep /= "d";
    }
    fs::create_directories(deep);
    std::ofstream(deep / "cm.yaml") << config_map("deep");
    auto too_deep = read_manifests({{(dir.path / "deep").string()}, true});
    REQUIRE_FALSE(too_deep);
    CHECK(too_deep.error().message.find("more than 64 directory levels below the directory given "
                                        "with -f; -R descends at most 64 levels") !=
          std::string::npos);

    fs::create_directories(dir.path / "many");
    for (std::size_t i = 0; i <= k_max_manifest_files; ++i) {
      std::ofstream(dir.path / "many" / (std::to_string(i) + ".yaml"));
    }
    auto too_many = read_manifests({{(dir.path / "many").string()}, false});
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().message ==
          "more than 10000 manifest files: apply reads at most 10000 files per command; split the "
          "input into several runs");
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
