// Local file writes of a flow, at one choke point: a dry run records what would be written and
// touches nothing, exactly as the dry-run transport does for cluster writes.
#pragma once

#include "util/fs.hpp"
#include "util/result.hpp"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace kctl::flow {

enum class FileAction { created, updated, unchanged };

class LocalFiles {
public:
  enum class Mode { write, dry_run };
  explicit LocalFiles(Mode mode) : m_mode(mode) {}

  // Writes `content` to `path` atomically with `file_mode` unless it already holds exactly that;
  // in dry-run mode only says what it would do.
  Result<FileAction>
  write(const std::filesystem::path& path, std::string_view content, mode_t file_mode);
  // Creates `path` (0700) unless it exists.
  Status ensure_dir(const std::filesystem::path& path);
  // Removes the file `path`; returns whether it existed. A dry run removes nothing (and says
  // whether there was something to remove).
  Result<bool> remove(const std::filesystem::path& path);

  bool dry_run() const { return m_mode == Mode::dry_run; }

private:
  Mode m_mode;
};

std::string_view to_string(FileAction action);

} // namespace kctl::flow
