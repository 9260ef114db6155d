#include "init/crds.hpp"
#include "init/download.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

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

  TEST_CASE("a zip bomb is stopped at the unpacked limits (issue 12)") {
    kctl::test::TempDir dir;
    SUBCASE("one file over the per-file limit") {
      auto tarball = make_tarball(
          dir, "mkdir -p crds/bases && head -c 33554433 /dev/zero > crds/bases/big.yaml");
      auto bundle = kctl::init::load_crd_bundle(tarball, "big.tar.gz");
      REQUIRE_FALSE(bundle);
      CHECK(bundle.error().message ==
            "big.tar.gz: entry \"crds/bases/big.yaml\" is 33554433 bytes, over the limit of 32 "
            "MiB for one file of a CRD tarball");
    }
    SUBCASE("the whole archive over the unpacked limit") {
      std::string command = "head -c " + std::to_string((256u << 20) + 1) +
                            " /dev/zero | gzip -1 > '" + (dir / "zeros.gz").string() + "'";
      REQUIRE(std::system(command.c_str()) == 0);
      auto bytes = *kctl::fs::read_file(dir / "zeros.gz");
      auto bundle = kctl::init::load_crd_bundle(bytes, "zeros.gz");
      REQUIRE_FALSE(bundle);
      CHECK(bundle.error().message.starts_with(
          "zeros.gz: unpacks to more than 256 MiB, the limit for a CRD tarball"));
    }
  }

  TEST_CASE("the --crds download has a size limit (issue 12)") {
    CHECK(kctl::init::k_max_crds_download_bytes == std::size_t{64} << 20);
    kctl::test::TempDir dir;
    std::string setup = "head -c 4096 /dev/zero > '" + (dir / "crds.tar.gz").string() + "'";
    REQUIRE(std::system(setup.c_str()) == 0);
    // A throw-away HTTP server for the directory; it writes its port to a file.
    std::string start = "cd '" + dir.path().string() +
                        "' && python3 -c 'import http.server, socketserver\n"
                        "s = socketserver.TCPServer((\"127.0.0.1\", 0), "
                        "http.server.SimpleHTTPRequestHandler)\n"
                        "open(\"port.tmp\", \"w\").write(str(s.server_address[1]))\n"
                        "__import__(\"os\").rename(\"port.tmp\", \"port\")\n"
                        "s.serve_forever()' >/dev/null 2>&1 & echo $! > '" +
                        (dir / "pid").string() + "'";
    REQUIRE(std::system(start.c_str()) == 0);
    for (int i = 0; i < 100 && !std::filesystem::exists(dir / "port"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string url = "http://127.0.0.1:" + *kctl::fs::read_file(dir / "port") + "/crds.tar.gz";
    auto small = kctl::init::download(url, std::chrono::seconds(5), 1024);
    auto fits = kctl::init::download(url, std::chrono::seconds(5), 8192);
    std::string stop = "kill $(cat '" + (dir / "pid").string() + "')";
    CHECK(std::system(stop.c_str()) == 0);
    REQUIRE_FALSE(small);
    CHECK_MESSAGE(small.error().message == "cannot download " + url +
                                               ": larger than the limit of 1024 bytes; download "
                                               "it elsewhere and pass the file with --crds",
                  small.error().message);
    REQUIRE(fits);
    CHECK(fits->size() == 4096);
  }
}
