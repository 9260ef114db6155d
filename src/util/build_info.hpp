// Facts fixed at build time, shown by `karmadactl version`.
#pragma once

#include <string_view>

namespace kctl::build_info {

extern const std::string_view k_version;         // this tool's version, e.g. "v0.1.0"
extern const std::string_view k_karmada_version; // default control-plane version, e.g. "v1.18.2"
extern const std::string_view k_git_commit;      // full commit hash, or "unknown"
extern const std::string_view k_git_tree_state;  // "clean", "dirty" or "unknown"
extern const std::string_view k_build_date;      // RFC 3339, UTC
extern const std::string_view k_compiler;        // e.g. "g++ 12.2.0"
extern const std::string_view k_platform;        // e.g. "linux/amd64"

} // namespace kctl::build_info
