#include "kube/manifest_reader.hpp"

#include "util/download.hpp"
#include "util/json_parse.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

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

Status
read_path(const std::string& path, bool recursive, bool top, std::vector<SourcedObject>& out) {
  if (path == "-") {
    KCTL_TRY_ASSIGN(std::string text, read_bounded(std::cin, "standard input"));
    KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, "standard input"));
    std::move(objects.begin(), objects.end(), std::back_inserter(out));
    return {};
  }
  if (is_url(path)) {
    net::DownloadOptions options;
    options.max_bytes = k_max_manifest_bytes;
    options.hint = "download it and pass the file with -f";
    KCTL_TRY_ASSIGN(std::string text, net::download(path, options));
    KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, path));
    std::move(objects.begin(), objects.end(), std::back_inserter(out));
    return {};
  }
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return failf("the path \"{}\" does not exist", path);
  }
  if (fs::is_directory(status)) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      entries.push_back(entry.path());
    }
    if (ec) {
      return failf("{}: cannot list the directory: {}", path, ec.message());
    }
    std::sort(entries.begin(), entries.end());
    size_t before = out.size();
    for (const auto& entry : entries) {
      if (fs::is_directory(entry, ec)) {
        if (recursive) {
          KCTL_TRY(read_path(entry.string(), recursive, false, out));
        }
      } else if (is_manifest_file(entry)) {
        KCTL_TRY(read_path(entry.string(), recursive, false, out));
      }
    }
    if (top && out.size() == before) {
      return failf("no objects passed to apply: {} has no .yaml, .yml or .json file{}",
                   path,
                   recursive ? "" : " (use -R for subdirectories)");
    }
    return {};
  }
  KCTL_TRY_ASSIGN(std::string text, read_file(path));
  KCTL_TRY_ASSIGN(auto objects, parse_manifests(text, path));
  std::move(objects.begin(), objects.end(), std::back_inserter(out));
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

Result<std::vector<SourcedObject>>
read_manifests(const ManifestSources& sources) {
  std::vector<SourcedObject> out;
  for (const auto& path : sources.paths) {
    KCTL_TRY(read_path(path, sources.recursive, true, out));
  }
  if (out.empty()) {
    return fail("no objects passed to apply");
  }
  return out;
}

} // namespace kctl::kube
