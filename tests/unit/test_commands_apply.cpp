// apply run as a user runs it, against the fake apiserver.
#include "kube_test_server.hpp"
#include "run_binary.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"
#include "util/json.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

std::string
kubeconfig_for(const kctl::test::TempDir& dir, const std::string& server) {
  const auto& pki = kctl::test::test_pki();
  std::string text =
      "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n"
      "- name: k\n  cluster:\n    server: " +
      server + "\n    certificate-authority: " + pki.ca_crt.string() +
      "\nusers:\n- name: u\n  user:\n    client-certificate: " + pki.client_crt.string() +
      "\n    client-key: " + pki.client_key.string() +
      "\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n";
  auto path = dir / "kubeconfig";
  REQUIRE(kctl::fs::write_file_atomic(path, text));
  return path.string();
}

void
write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string
config_map(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: default}\n";
}

std::size_t
count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_SUITE("commands.apply") {

  // Issue 20: two links back to the parent made `apply -R` walk for ever; one link applied the
  // same file 41 times. Links to directories are not followed, as kubectl's walk does not follow
  // them; each file is read once.
  TEST_CASE("apply -R: a loop of directory links ends at once; a linked file is applied once") {
    kctl::test::FakeApiServer server;
    kctl::test::TempDir dir;
    auto kubeconfig = kubeconfig_for(dir, server.url());
    write(dir / "tree/cm.yaml", config_map("in-tree"));
    write(dir / "elsewhere/other.yaml", config_map("linked"));
    std::filesystem::create_directory_symlink("..", dir / "tree/a");
    std::filesystem::create_directory_symlink("..", dir / "tree/b");
    std::filesystem::create_symlink(dir / "elsewhere/other.yaml", dir / "tree/link.yaml");
    std::filesystem::create_symlink("cm.yaml", dir / "tree/again.yaml");

    auto start = std::chrono::steady_clock::now();
    auto r = kctl::test::run_karmadactl("apply -R -f " + (dir / "tree").string() +
                                        " --dry-run=client --kubeconfig " + kubeconfig);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    // A loop walked for ever before; a generous bound (sanitizers, a busy CI machine) still catches
    // that.
    CHECK(took < std::chrono::seconds(20));
    CHECK(count(r.out, "configmap/in-tree created (dry run)\n") == 1);
    CHECK(count(r.out, "configmap/linked created (dry run)\n") == 1);
    CHECK(count(r.out, "\n") == 2);
    CHECK(r.err == "warning: " + (dir / "tree/a").string() +
                       ": a symbolic link to a directory, not followed (-R does not follow "
                       "directory links, as kubectl's); pass the directory itself with -f\n"
                       "warning: " +
                       (dir / "tree/b").string() +
                       ": a symbolic link to a directory, not followed (-R does not follow "
                       "directory links, as kubectl's); pass the directory itself with -f\n");
    CHECK(server.count("PATCH") == 0); // a client dry run writes nothing
  }

  // Issue 21: three objects with -o yaml were three documents without "---" between them.
  TEST_CASE("apply -f DIR --dry-run=client -o yaml|json|name prints one stream") {
    kctl::test::FakeApiServer server;
    kctl::test::TempDir dir;
    auto kubeconfig = kubeconfig_for(dir, server.url());
    for (const char* name : {"a", "b", "c"}) {
      write(dir / "dir" / (std::string(name) + ".yaml"), config_map(name));
    }
    auto apply = [&](const std::string& format) {
      auto r = kctl::test::run_karmadactl("apply -f " + (dir / "dir").string() +
                                          " --dry-run=client -o " + format + " --kubeconfig " +
                                          kubeconfig);
      CHECK_MESSAGE(r.exit_code == 0, r.err);
      return r.out;
    };
    std::vector<YAML::Node> documents = YAML::LoadAll(apply("yaml"));
    REQUIRE(documents.size() == 3);
    CHECK(documents[2]["metadata"]["name"].as<std::string>() == "c");
    kctl::Json list = kctl::Json::parse(apply("json"));
    CHECK(list["kind"] == "List");
    CHECK(list["items"].size() == 3);
    CHECK(apply("name") == "configmap/a\nconfigmap/b\nconfigmap/c\n");
  }
}
