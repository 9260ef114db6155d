// Local file access. Secrets (keys, kubeconfigs) are written atomically with owner-only modes.
#pragma once

#include "util/result.hpp"

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace kctl::fs {

inline constexpr mode_t k_private_file = 0600;
inline constexpr mode_t k_public_file = 0644;
inline constexpr mode_t k_private_dir = 0700;

// Reads the whole of `path`; the error names the path and the system error. Unbounded: for files
// this program wrote itself; input from users and other programs goes through the overload below.
Result<std::string> read_file(const std::filesystem::path& path);

// Limits of files read from disk that are not kubeconfigs, --config files or manifests (those have
// their own). Real certificate bundles (a whole public CA store is under 300 KiB), keys, tokens
// and the CRD tarball (about 60 KiB) are far smaller.
inline constexpr std::size_t k_max_pem_file_bytes = std::size_t{4} << 20;    // certificates, keys
inline constexpr std::size_t k_max_token_file_bytes = std::size_t{1} << 20;  // bearer tokens
inline constexpr std::size_t k_max_small_file_bytes = std::size_t{64} << 10; // one-line settings

// Reads the whole of `path`, refusing one larger than `max_bytes` without reading the rest:
// "<path>: larger than <limit>, the limit for <what>" (limits print as "4 MiB", "64 KiB" or
// "100 bytes"). Works for pipes too (--kubeconfig <(...)).
Result<std::string>
read_file(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what);

// A byte count as limits are shown in messages: "16 MiB", "64 KiB", else "<n> bytes".
std::string format_limit(std::size_t bytes);

// Creates `path` and its missing parents with `mode` (existing directories keep theirs).
Status ensure_dir(const std::filesystem::path& path, mode_t mode = k_private_dir);

// Whether write_file_atomic waits for the bytes to reach the disk before renaming: a cache that
// a crash may cost its latest write (a torn file reads as a miss) skips the wait.
enum class Durability { synced, unsynced };

// Writes `content` to `path` through a temporary file in the same directory, fsynced (unless
// `durability` is unsynced) and renamed over the target, so readers see the old or the new file,
// never a torn one. The file has `mode` from its creation on; missing parent directories are
// created 0700.
Status write_file_atomic(const std::filesystem::path& path,
                         std::string_view content,
                         mode_t mode = k_private_file,
                         Durability durability = Durability::synced);

// Expands a leading "~/" to $HOME.
std::filesystem::path expand_home(std::string_view path);

} // namespace kctl::fs
