#include "flow/files.hpp"

namespace kctl::flow {

Result<FileAction>
LocalFiles::write(const std::filesystem::path& path, std::string_view content, mode_t file_mode) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  // Only a file of the same size can hold the same content; nothing larger is read.
  if (exists && std::filesystem::file_size(path, ec) == content.size() && !ec) {
    auto current = fs::read_file(path, content.size(), "a file being replaced");
    if (current && *current == content) {
      return FileAction::unchanged;
    }
  }
  if (m_mode == Mode::write) {
    KCTL_TRY(fs::write_file_atomic(path, content, file_mode));
  }
  return exists ? FileAction::updated : FileAction::created;
}

Status
LocalFiles::ensure_dir(const std::filesystem::path& path) {
  if (m_mode == Mode::dry_run) {
    return {};
  }
  return fs::ensure_dir(path, fs::k_private_dir);
}

Result<bool>
LocalFiles::remove(const std::filesystem::path& path) {
  std::error_code error;
  bool exists = std::filesystem::exists(std::filesystem::symlink_status(path, error));
  if (!exists || m_mode == Mode::dry_run) {
    return exists;
  }
  if (!std::filesystem::remove(path, error) && error) {
    return failf("cannot remove {}: {}", path.string(), error.message());
  }
  return true;
}

std::string_view
to_string(FileAction action) {
  switch (action) {
  case FileAction::created:
    return "created";
  case FileAction::updated:
    return "updated";
  case FileAction::unchanged:
    return "unchanged";
  }
  return "unchanged";
}

} // namespace kctl::flow
