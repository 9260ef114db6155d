#include "kube/manifest_reader.hpp"

#include "util/download.hpp"
#include "util/json_parse.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <utility>

namespace kctl::kube {

namespace {

namespace fs = std::filesystem;

bool
is_url(std::string_view path) {
  return path.starts_with("http://") || path.starts_with("https://");
}

bool
is_manifest_file(const fs::path& path) {
  std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

Result<std::string>
read_bounded(std::istream& in, const std::string& source) {
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > k_max_manifest_bytes) {
      return failf("{}: larger than the limit of {} bytes", source, k_max_manifest_bytes);
    }
  }
  if (in.bad()) {
    return failf("{}: read error", source);
  }
  return text;
}

Result<std::string>
read_file(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > k_max_manifest_bytes) {
    return failf(
        "{}: {} bytes, over the limit of {} bytes", path.string(), size, k_max_manifest_bytes);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return failf("{}: cannot open for reading", path.string());
  }
  return read_bounded(in, path.string());
}

// Adds `object` (or, for a List, its items) to `out`.
Status
add_object(Json object, const std::string& source, std::vector<SourcedObject>& out) {
  if (!object.is_object()) {
    return failf("{}: a document is not an object", source);
  }
  std::string kind = json::string_or(object, "kind");
  if (kind.ends_with("List") && object.contains("items") && object["items"].is_array()) {
    for (auto& item : object["items"]) {
      KCTL_TRY(add_object(std::move(item), source, out));
    }
    return {};
  }
  if (kind.empty() || json::string_or(object, "apiVersion").empty()) {
    return failf("{}: an object has no apiVersion or kind", source);
  }
  if (json::string_at(object, "/metadata/name"_json_pointer).empty()) {
    return failf(
        "{}: the {} has no metadata.name (generateName is not supported by apply)", source, kind);
  }
  out.push_back({source, std::move(object)});
  return {};
}

// A file or directory by identity, so that two links to it are one.
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  auto operator<=>(const FileId&) const = default;
};

FileId
id_of(const struct stat& info) {
  return {info.st_dev, info.st_ino};
}

// One read_manifests call: what was read, where a walk is, and what to report.
struct Walk {
  Walk(bool recursive_walk, Manifests& into) : recursive(recursive_walk), out(into) {}

  bool recursive = false;
  std::set<FileId> files_read; // every file read so far, across all -f inputs
  // The directories from the -f directory down to the one being listed.
  std::vector<std::pair<FileId, fs::path>> directories;
  std::size_t file_count = 0;      // files read
  std::size_t manifests_found = 0; // manifest files met in walks, read or already read
  Manifests& out;
};

Status
read_one_file(const fs::path& path, Walk& walk) {
  if (++walk.file_count > k_max_manifest_files) {
    return failf("more than {} manifest files: apply reads at most {} files per command; split "
                 "the input into several runs",
                 k_max_manifest_files,
                 k_max_manifest_files);
  }
  KCTL_TRY_ASSIGN(std::string text, read_file(path));
  KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, path.string()));
  std::move(objects.begin(), objects.end(), std::back_inserter(walk.out.objects));
  return {};
}

// Reads `path` unless the same file was read already (a second link to it, or a repeated -f).
Status
read_file_once(const fs::path& path, const struct stat& info, Walk& walk) {
  if (!walk.files_read.insert(id_of(info)).second) {
    return {};
  }
  return read_one_file(path, walk);
}

Status walk_directory(const fs::path& dir, Walk& walk);

// An entry of a directory being walked; symbolic links are looked at, not through.
Status
walk_entry(const fs::path& entry, Walk& walk) {
  struct stat link_info {};
  if (::lstat(entry.c_str(), &link_info) != 0) {
    return failf("{}: cannot read: {}", entry.string(), std::strerror(errno));
  }
  if (S_ISDIR(link_info.st_mode)) {
    return walk.recursive ? walk_directory(entry, walk) : Status{};
  }
  struct stat info = link_info;
  if (S_ISLNK(link_info.st_mode) && ::stat(entry.c_str(), &info) != 0) {
    if (!is_manifest_file(entry)) {
      return {};
    }
    return failf("{}: a symbolic link to a missing file", entry.string());
  }
  if (S_ISDIR(info.st_mode)) {
    if (walk.recursive) {
      walk.out.warnings.push_back(fmt::format(
          "{}: a symbolic link to a directory, not followed (-R does not follow directory "
          "links, as kubectl's); pass the directory itself with -f",
          entry.string()));
    }
    return {};
  }
  if (!is_manifest_file(entry)) {
    return {};
  }
  ++walk.manifests_found;
  if (!S_ISREG(info.st_mode)) {
    return failf("{}: not a regular file (a pipe, socket or device is read only when named "
                 "with -f)",
                 entry.string());
  }
  return read_file_once(entry, info, walk);
}

Status
walk_directory(const fs::path& dir, Walk& walk) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) {
    return failf("{}: cannot read: {}", dir.string(), std::strerror(errno));
  }
  for (const auto& [id, ancestor] : walk.directories) {
    if (id == id_of(info)) {
      return failf("{}: a directory loop: it is {}, which contains it (a bind mount?)",
                   dir.string(),
                   ancestor.string());
    }
  }
  if (walk.directories.size() > k_max_manifest_depth) {
    return failf("{}: more than {} directory levels below the directory given with -f; -R "
                 "descends at most {} levels",
                 dir.string(),
                 k_max_manifest_depth,
                 k_max_manifest_depth);
  }
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) {
    return failf("{}: cannot list the directory: {}", dir.string(), ec.message());
  }
  std::sort(entries.begin(), entries.end());
  walk.directories.emplace_back(id_of(info), dir);
  for (const auto& entry : entries) {
    Status status = walk_entry(entry, walk);
    if (!status) {
      walk.directories.pop_back();
      return status;
    }
  }
  walk.directories.pop_back();
  return {};
}

// One -f argument: standard input, a URL, a file or a directory (links followed: the user named
// it).
Status
read_path(const std::string& path, Walk& walk) {
  if (path == "-") {
    KCTL_TRY_ASSIGN(std::string text, read_bounded(std::cin, "standard input"));
    KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, "standard input"));
    std::move(objects.begin(), objects.end(), std::back_inserter(walk.out.objects));
    return {};
  }
  if (is_url(path)) {
    net::DownloadOptions options;
    options.max_bytes = k_max_manifest_bytes;
    options.hint = "download it and pass the file with -f";
    KCTL_TRY_ASSIGN(std::string text, net::download(path, options));
    KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, path));
    std::move(objects.begin(), objects.end(), std::back_inserter(walk.out.objects));
    return {};
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return failf("the path \"{}\" does not exist", path);
  }
  if (!S_ISDIR(info.st_mode)) {
    // Pipes and devices are read when named (-f <(...), -f /dev/stdin).
    return S_ISREG(info.st_mode) ? read_file_once(path, info, walk) : read_one_file(path, walk);
  }
  std::size_t before = walk.manifests_found;
  KCTL_TRY(walk_directory(path, walk));
  if (walk.manifests_found == before) {
    return failf("no objects passed to apply: {} has no .yaml, .yml or .json file{}",
                 path,
                 walk.recursive ? "" : " (use -R for subdirectories)");
  }
  return {};
}

} // namespace

Result<std::vector<SourcedObject>>
parse_manifests(std::string_view text, const std::string& source) {
  KCTL_TRY_ASSIGN(std::vector<Json> documents, yaml::parse_all(text, source));
  std::vector<SourcedObject> out;
  for (auto& document : documents) {
    if (document.is_null()) {
      continue;
    }
    KCTL_TRY(add_object(std::move(document), source, out));
  }
  return out;
}

Result<Manifests>
read_manifests(const ManifestSources& sources) {
  Manifests out;
  Walk walk(sources.recursive, out);
  for (const auto& path : sources.paths) {
    KCTL_TRY(read_path(path, walk));
  }
  if (out.objects.empty()) {
    return fail("no objects passed to apply");
  }
  return out;
}

} // namespace kctl::kube
