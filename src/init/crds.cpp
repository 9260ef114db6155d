#include "init/crds.hpp"

#include <fmt/format.h>

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace kctl::init {

namespace {

constexpr size_t k_block = 512;

Result<std::uint64_t>
octal_field(std::string_view field) {
  std::uint64_t value = 0;
  for (char c : field) {
    if (c == '\0' || c == ' ') {
      if (value != 0) {
        break;
      }
      continue;
    }
    if (c < '0' || c > '7') {
      return fail("bad octal number in tar header");
    }
    value = value * 8 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::string
c_string(std::string_view field) {
  return std::string(field.substr(0, std::min(field.find('\0'), field.size())));
}

// Values of a pax extended header ("<len> path=<value>\n" records) that we need: the path.
std::string
pax_path(std::string_view records) {
  while (!records.empty()) {
    size_t space = records.find(' ');
    if (space == std::string_view::npos) {
      break;
    }
    size_t length = std::strtoul(std::string(records.substr(0, space)).c_str(), nullptr, 10);
    if (length == 0 || length > records.size()) {
      break;
    }
    std::string_view record = records.substr(space + 1, length - space - 2);
    if (record.starts_with("path=")) {
      return std::string(record.substr(5));
    }
    records.remove_prefix(length);
  }
  return {};
}

bool
is_safe_path(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    std::string_view part =
        path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part == "..") {
      return false;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return true;
}

std::string
clean(std::string path) {
  while (path.starts_with("./")) {
    path.erase(0, 2);
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

std::string
mebibytes(std::size_t bytes) {
  return fmt::format("{} MiB", bytes >> 20);
}

} // namespace

Result<std::string>
gunzip(std::string_view bytes, std::string_view source, std::size_t max_bytes) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    return failf("{}: cannot initialise zlib", source);
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[65536];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      std::string message = stream.msg != nullptr ? stream.msg : "truncated or not gzip data";
      inflateEnd(&stream);
      return failf("{}: not a valid gzip file: {}", source, message);
    }
    if (out.size() + (sizeof(buffer) - stream.avail_out) > max_bytes) {
      inflateEnd(&stream);
      return failf("{}: unpacks to more than {}, the limit for a CRD tarball (upstream's is about "
                   "3 MiB); is it the right file?",
                   source,
                   mebibytes(max_bytes));
    }
    out.append(buffer, sizeof(buffer) - stream.avail_out);
    if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      return failf("{}: not a valid gzip file: truncated", source);
    }
  }
  inflateEnd(&stream);
  return out;
}

Result<std::vector<TarFile>>
read_tar(std::string_view archive, std::string_view source) {
  std::vector<TarFile> files;
  std::string next_path;
  size_t offset = 0;
  while (offset + k_block <= archive.size()) {
    std::string_view header = archive.substr(offset, k_block);
    if (header.find_first_not_of('\0') == std::string_view::npos) {
      return files; // end-of-archive marker
    }
    KCTL_TRY_ASSIGN(std::uint64_t size, with_context(octal_field(header.substr(124, 12)), source));
    char type = header[156];
    std::string name = c_string(header.substr(0, 100));
    if (std::string prefix = c_string(header.substr(345, 155));
        header.substr(257, 5) == "ustar" && !prefix.empty()) {
      name = prefix + "/" + name;
    }
    size_t data_start = offset + k_block;
    if (size > k_max_crd_file_bytes) {
      return failf("{}: entry \"{}\" is {} bytes, over the limit of {} for one file of a CRD "
                   "tarball",
                   source,
                   clean(name),
                   size,
                   mebibytes(k_max_crd_file_bytes));
    }
    if (data_start + size > archive.size()) {
      return failf("{}: truncated tar archive at {}", source, name);
    }
    std::string_view data = archive.substr(data_start, size);
    offset = data_start + (size + k_block - 1) / k_block * k_block;
    if (type == 'x') {
      next_path = pax_path(data);
      continue;
    }
    if (type == 'L') {
      next_path = c_string(data); // GNU long name for the next entry
      continue;
    }
    if (type == 'g') {
      continue;
    }
    if (!next_path.empty()) {
      name = std::exchange(next_path, {});
    }
    name = clean(name);
    if (!is_safe_path(name)) {
      return failf("{}: unsafe path \"{}\" in archive", source, name);
    }
    if (type == '5') {
      continue; // directories are implied by file paths
    }
    if (type != '0' && type != '\0') {
      return failf("{}: entry \"{}\" is not a regular file or directory", source, name);
    }
    files.push_back(TarFile{name, std::string(data)});
  }
  return files;
}

Result<CrdBundle>
load_crd_bundle(std::string_view gzip_bytes, std::string_view source) {
  KCTL_TRY_ASSIGN(std::string archive, gunzip(gzip_bytes, source));
  KCTL_TRY_ASSIGN(std::vector<TarFile> files, read_tar(archive, source));
  CrdBundle bundle;
  for (auto& file : files) {
    if (!file.path.starts_with("crds/")) {
      return failf("{}: \"{}\" is outside crds/ (expected upstream's crds.tar.gz layout)",
                   source,
                   file.path);
    }
    if (!file.path.ends_with(".yaml") && !file.path.ends_with(".yml")) {
      continue;
    }
    if (file.path.starts_with("crds/bases/")) {
      bundle.bases.push_back(std::move(file));
    } else if (file.path.starts_with("crds/patches/")) {
      bundle.patches.push_back(std::move(file));
    }
  }
  if (bundle.bases.empty()) {
    return failf("{}: no CRDs under crds/bases (expected upstream's crds.tar.gz layout)", source);
  }
  auto by_path = [](const TarFile& a, const TarFile& b) { return a.path < b.path; };
  std::sort(bundle.bases.begin(), bundle.bases.end(), by_path);
  std::sort(bundle.patches.begin(), bundle.patches.end(), by_path);
  return bundle;
}

std::string
patch_target_crd(std::string_view patch_path) {
  std::string_view base = patch_path.substr(patch_path.rfind('/') + 1);
  base = base.substr(base.rfind('_') + 1);
  base = base.substr(0, base.find('.'));
  return std::string(base) + ".work.karmada.io";
}

std::string
fill_patch_template(std::string_view text,
                    std::string_view ca_bundle_base64,
                    std::string_view webhook_name,
                    std::string_view namespace_name) {
  std::string out(text);
  auto replace_all = [&out](std::string_view from, std::string_view to) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  };
  replace_all("{{caBundle}}", ca_bundle_base64);
  replace_all("{{name}}", webhook_name);
  replace_all("{{namespace}}", namespace_name);
  return out;
}

} // namespace kctl::init
