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

TEST_SUITE("util::fs bounded reads") {
  TEST_CASE("read_file with a limit reads up to it and refuses more, naming the file") {
    kctl::test::TempDir dir;
    auto path = dir / "token";
    REQUIRE(kctl::fs::write_file_atomic(path, std::string(1024, 'x')));
    auto exact = kctl::fs::read_file(path, 1024, "a token file");
    REQUIRE(exact.has_value());
    CHECK(exact->size() == 1024);
    auto over = kctl::fs::read_file(path, 1023, "a token file");
    REQUIRE_FALSE(over.has_value());
    CHECK(over.error().message ==
          path.string() + ": larger than 1023 bytes, the limit for a token file");
    auto missing = kctl::fs::read_file(dir / "absent", 10, "a token file");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.starts_with("cannot read "));
  }

  TEST_CASE("limits print in MiB, KiB or bytes") {
    CHECK(kctl::fs::format_limit(kctl::fs::k_max_pem_file_bytes) == "4 MiB");
    CHECK(kctl::fs::format_limit(kctl::fs::k_max_small_file_bytes) == "64 KiB");
    CHECK(kctl::fs::format_limit(1500) == "1500 bytes");
  }
}
