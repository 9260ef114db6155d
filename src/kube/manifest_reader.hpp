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

// The most manifest files one command reads (all -f inputs together), and how many directory
// levels -R descends below a directory given with -f. Real trees (kustomize overlays, Helm
// output) have tens to hundreds of files a few levels deep.
inline constexpr std::size_t k_max_manifest_files = 10000;
inline constexpr std::size_t k_max_manifest_depth = 64;

// One object read, with where it came from for messages ("deploy.yaml", "https://...", "-").
struct SourcedObject {
  std::string source;
  Json object;
};

struct ManifestSources {
  std::vector<std::string> paths; // files, directories, URLs, or "-"
  bool recursive = false;         // -R: descend into subdirectories
};

// What read_manifests found: the objects, and what it skipped that the user should hear about.
struct Manifests {
  std::vector<SourcedObject> objects;
  std::vector<std::string> warnings; // one sentence each, without "warning: "
};

// Reads every object of `sources` in order (directories in name order, files ending .yaml, .yml or
// .json). Fails naming the input on unreadable or oversized input, on YAML errors and on documents
// without apiVersion or kind; a directory with no manifest is an error too.
//
// Directory walks are kubectl's (filepath.Walk): a symbolic link to a directory found inside a
// directory is not followed (with -R it is reported in `warnings`), a symbolic link to a file is
// read. A path given with -f is followed whatever it is. Each file is read once, however many
// links or -f arguments reach it. Only regular files are read in a walk (a FIFO named x.yaml would
// block). More than k_max_manifest_files files, more than k_max_manifest_depth levels, or a
// directory inside itself (a bind mount) are errors.
Result<Manifests> read_manifests(const ManifestSources& sources);

// Parses one input's text into objects, expanding Lists (for tests and for standard input).
Result<std::vector<SourcedObject>> parse_manifests(std::string_view text,
                                                   const std::string& source);

} // namespace kctl::kube
