// Local file access. Secrets (keys, kubeconfigs) are written atomically with owner-only modes.
#pragma once

#include "util/result.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace kctl::fs {

inline constexpr mode_t k_private_file = 0600;
inline constexpr mode_t k_public_file = 0644;
inline constexpr mode_t k_private_dir = 0700;

// Reads the whole of `path`; the error names the path and the system error.
Result<std::string> read_file(const std::filesystem::path& path);

// Creates `path` and its missing parents with `mode` (existing directories keep theirs).
Status ensure_dir(const std::filesystem::path& path, mode_t mode = k_private_dir);

// Writes `content` to `path` through a temporary file in the same directory, fsynced and renamed
// over the target, so readers see the old or the new file, never a torn one. The file has `mode`
// from its creation on; missing parent directories are created 0700.
Status write_file_atomic(const std::filesystem::path& path,
                         std::string_view content,
                         mode_t mode = k_private_file);

// Expands a leading "~/" to $HOME.
std::filesystem::path expand_home(std::string_view path);

} // namespace kctl::fs
