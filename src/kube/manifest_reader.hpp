// Reading the objects a user names with -f: files, directories (optionally recursive), URLs and
// standard input, each a stream of YAML or JSON documents; List objects are expanded into their
// items, as kubectl does. Every input is bounded in size.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace kctl::kube {

// The largest single manifest input (file, URL body or standard input) read.
inline constexpr std::size_t k_max_manifest_bytes = 16u << 20;

// One object read, with where it came from for messages ("deploy.yaml", "https://...", "-").
struct SourcedObject {
  std::string source;
  Json object;
};

struct ManifestSources {
  std::vector<std::string> paths; // files, directories, URLs, or "-"
  bool recursive = false;         // -R: descend into subdirectories
};

// Reads every object of `sources` in order (directories in name order, files ending .yaml, .yml or
// .json). Fails naming the input on unreadable or oversized input, on YAML errors and on documents
// without apiVersion or kind; a directory with no manifest is an error too.
Result<std::vector<SourcedObject>> read_manifests(const ManifestSources& sources);

// Parses one input's text into objects, expanding Lists (for tests and for standard input).
Result<std::vector<SourcedObject>> parse_manifests(std::string_view text,
                                                   const std::string& source);

} // namespace kctl::kube
