#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

namespace {
mode_t
mode_of(const std::filesystem::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}
} // namespace

TEST_SUITE("util::fs") {
  TEST_CASE("atomic writes create parents 0700 and files 0600 by default") {
    kctl::test::TempDir dir;
    auto target = dir / "a/b/key.pem";
    REQUIRE(kctl::fs::write_file_atomic(target, "secret"));
    CHECK(*kctl::fs::read_file(target) == "secret");
    CHECK(mode_of(target) == 0600);
    CHECK(mode_of(dir / "a") == 0700);
    CHECK(mode_of(dir / "a/b") == 0700);
  }

  TEST_CASE("overwrites leave no temporary files and honour the mode") {
    kctl::test::TempDir dir;
    auto target = dir / "ca.crt";
    REQUIRE(kctl::fs::write_file_atomic(target, "one", kctl::fs::k_public_file));
    REQUIRE(kctl::fs::write_file_atomic(target, "two", kctl::fs::k_public_file));
    CHECK(*kctl::fs::read_file(target) == "two");
    CHECK(mode_of(target) == 0644);
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      ++entries;
    }
    CHECK(entries == 1);
  }

  TEST_CASE("errors name the path") {
    auto missing = kctl::fs::read_file("/nonexistent/file.yaml");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("/nonexistent/file.yaml") != std::string::npos);
    auto unwritable = kctl::fs::write_file_atomic("/proc/kctl-test/x", "x");
    REQUIRE_FALSE(unwritable);
    CHECK(unwritable.error().message.find("/proc/kctl-test/x") != std::string::npos);
  }
}
