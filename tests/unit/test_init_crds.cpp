#include "init/crds.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace {
// Builds a tarball with the system tar, as upstream's release workflow does.
std::string
make_tarball(const kctl::test::TempDir& dir, const std::string& setup) {
  std::string command =
      "cd '" + dir.path().string() + "' && " + setup + " && tar -czf out.tar.gz crds";
  REQUIRE(std::system(command.c_str()) == 0);
  return *kctl::fs::read_file(dir / "out.tar.gz");
}
} // namespace

TEST_SUITE("init::crds") {
  TEST_CASE("reads upstream's layout") {
    kctl::test::TempDir dir;
    std::string tarball = make_tarball(
        dir,
        "mkdir -p crds/bases/work crds/patches && echo 'kind: CustomResourceDefinition' > "
        "crds/bases/work/work.karmada.io_works.yaml && echo 'b: 1' > crds/bases/a.yaml && "
        "echo 'caBundle: {{caBundle}}' > crds/patches/webhook_in_resourcebindings.yaml && "
        "mkdir -p crds/bases/" +
            std::string(120, 'x') + " && echo long > crds/bases/" + std::string(120, 'x') +
            "/long.yaml");
    auto bundle = kctl::init::load_crd_bundle(tarball, "crds.tar.gz");
    REQUIRE_MESSAGE(bundle, (bundle ? "" : bundle.error().message));
    REQUIRE(bundle->bases.size() == 3);
    CHECK(bundle->bases[0].path == "crds/bases/a.yaml");
    CHECK(bundle->bases[1].content == "kind: CustomResourceDefinition\n");
    CHECK(bundle->bases[2].path.ends_with("/long.yaml"));
    REQUIRE(bundle->patches.size() == 1);
    CHECK(kctl::init::patch_target_crd(bundle->patches[0].path) ==
          "resourcebindings.work.karmada.io");
  }

  TEST_CASE("rejects archives that are not a CRD bundle") {
    kctl::test::TempDir dir;
    auto no_bases =
        kctl::init::load_crd_bundle(make_tarball(dir, "mkdir -p crds/patches"), "x.tar.gz");
    REQUIRE_FALSE(no_bases);
    CHECK(no_bases.error().message.find("no CRDs under crds/bases") != std::string::npos);

    auto not_gzip = kctl::init::load_crd_bundle("this is not gzip", "plain.txt");
    REQUIRE_FALSE(not_gzip);
    CHECK(not_gzip.error().message.starts_with("plain.txt: not a valid gzip file"));

    kctl::test::TempDir dir2;
    auto with_link = kctl::init::load_crd_bundle(
        make_tarball(dir2, "mkdir -p crds/bases && ln -s /etc/passwd crds/bases/evil.yaml"),
        "link.tar.gz");
    REQUIRE_FALSE(with_link);
    CHECK(with_link.error().message.find("not a regular file") != std::string::npos);
  }

  TEST_CASE("rejects paths that escape") {
    kctl::test::TempDir dir;
    std::string command = "cd '" + dir.path().string() +
                          "' && mkdir -p a/crds && echo x > a/evil.yaml && cd a/crds && tar -czf "
                          "../../out.tar.gz ../evil.yaml";
    REQUIRE(std::system((command + " 2>/dev/null").c_str()) == 0);
    auto archive = kctl::init::gunzip(*kctl::fs::read_file(dir / "out.tar.gz"), "out.tar.gz");
    REQUIRE(archive);
    // GNU tar strips a leading "../" unless told otherwise; write the header by hand to be sure.
    std::string tar(1024 + 512, '\0');
    std::string name = "../evil.yaml";
    tar.replace(0, name.size(), name);
    tar.replace(124, 11, "00000000000");
    tar[156] = '0';
    auto files = kctl::init::read_tar(tar, "hand.tar");
    REQUIRE_FALSE(files);
    CHECK(files.error().message.find("unsafe path") != std::string::npos);
  }

  TEST_CASE("patch templates are filled") {
    CHECK(kctl::init::fill_patch_template(
              "url: https://{{name}}.{{namespace}}.svc:443/convert\ncaBundle: {{caBundle}}",
              "Q0E=",
              "karmada-webhook",
              "karmada-system") ==
          "url: https://karmada-webhook.karmada-system.svc:443/convert\ncaBundle: Q0E=");
  }
}
