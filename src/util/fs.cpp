#include "util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kctl::fs {

namespace {

std::string
errno_text() {
  return std::strerror(errno);
}

Status
write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(errno_text());
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return {};
}

} // namespace

Result<std::string>
read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return failf("cannot read {}: {}", path.string(), errno_text());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return failf("cannot read {}: {}", path.string(), errno_text());
  }
  return buffer.str();
}

Result<std::string>
read_file(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return failf("cannot read {}: {}", path.string(), errno_text());
  }
  std::string text;
  std::array<char, 65536> buffer{};
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto got = static_cast<std::size_t>(in.gcount());
    if (got > max_bytes - text.size()) {
      return failf(
          "{}: larger than {}, the limit for {}", path.string(), format_limit(max_bytes), what);
    }
    text.append(buffer.data(), got);
  }
  if (in.bad()) {
    return failf("cannot read {}: {}", path.string(), errno_text());
  }
  return text;
}

std::string
format_limit(std::size_t bytes) {
  constexpr std::size_t k_kib = 1024;
  constexpr std::size_t k_mib = k_kib * 1024;
  if (bytes >= k_mib && bytes % k_mib == 0) {
    return fmt::format("{} MiB", bytes / k_mib);
  }
  if (bytes >= k_kib && bytes % k_kib == 0) {
    return fmt::format("{} KiB", bytes / k_kib);
  }
  return fmt::format("{} bytes", bytes);
}

Status
ensure_dir(const std::filesystem::path& path, mode_t mode) {
  if (path.empty()) {
    return {};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return {};
  }
  if (path.has_parent_path() && path.parent_path() != path) {
    KCTL_TRY(ensure_dir(path.parent_path(), mode));
  }
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return failf("cannot create directory {}: {}", path.string(), errno_text());
  }
  return {};
}

Status
write_file_atomic(const std::filesystem::path& path,
                  std::string_view content,
                  mode_t mode,
                  Durability durability) {
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  KCTL_TRY(with_context(ensure_dir(dir), fmt::format("cannot write {}", path.string())));
  std::string tmp_name = (dir / ("." + path.filename().string() + ".tmpXXXXXX")).string();
  int fd = ::mkstemp(tmp_name.data());
  if (fd < 0) {
    return failf("cannot write {}: {}", path.string(), errno_text());
  }
  auto cleanup_on_error = [&](std::string_view what) {
    std::string message = fmt::format("cannot write {}: {}: {}", path.string(), what, errno_text());
    ::close(fd);
    ::unlink(tmp_name.c_str());
    return fail(std::move(message));
  };
  // mkstemp creates 0600; widen only when asked, and before any byte is written.
  if (::fchmod(fd, mode) != 0) {
    return cleanup_on_error("chmod");
  }
  if (auto written = write_all(fd, content); !written) {
    return cleanup_on_error("write");
  }
  if (durability == Durability::synced && ::fsync(fd) != 0) {
    return cleanup_on_error("fsync");
  }
  if (::close(fd) != 0) {
    ::unlink(tmp_name.c_str());
    return failf("cannot write {}: close: {}", path.string(), errno_text());
  }
  if (::rename(tmp_name.c_str(), path.c_str()) != 0) {
    std::string message = fmt::format("cannot write {}: rename: {}", path.string(), errno_text());
    ::unlink(tmp_name.c_str());
    return fail(std::move(message));
  }
  return {};
}

std::filesystem::path
expand_home(std::string_view path) {
  if (path == "~" || path.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    std::string base = home != nullptr ? home : "";
    return std::filesystem::path(base + std::string(path.substr(1)));
  }
  return std::filesystem::path(path);
}

} // namespace kctl::fs
