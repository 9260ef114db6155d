// The Karmada CRD tarball (crds.tar.gz): upstream's release layout is crds/bases/**.yaml (the CRDs)
// and crds/patches/*.yaml (strategic-merge patches adding conversion webhooks).
#pragma once

#include "util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::init {

// Upstream's crds.tar.gz is about 60 KiB compressed and 3 MiB unpacked, its largest CRD under
// 1 MiB; these limits leave ample room and stop a "zip bomb" before it fills memory.
inline constexpr std::size_t k_max_crds_unpacked_bytes = std::size_t{256} << 20; // whole archive
inline constexpr std::size_t k_max_crd_file_bytes = std::size_t{32} << 20;       // one entry

struct TarFile {
  std::string path;
  std::string content;
};

struct CrdBundle {
  std::vector<TarFile> bases;   // sorted by path
  std::vector<TarFile> patches; // sorted by path
};

// Decompresses gzip `bytes` (zlib). `source` names the input in errors. Output beyond
// `max_bytes` is an error.
Result<std::string> gunzip(std::string_view bytes,
                           std::string_view source,
                           std::size_t max_bytes = k_max_crds_unpacked_bytes);

// Reads the regular files of a ustar/pax tar archive. Rejects links, devices and paths that are
// absolute or climb out with "..", so extracting can never write outside its directory, and
// entries larger than k_max_crd_file_bytes.
Result<std::vector<TarFile>> read_tar(std::string_view archive, std::string_view source);

// Reads a crds.tar.gz and checks upstream's layout: every entry under crds/, and both
// crds/bases and crds/patches present.
Result<CrdBundle> load_crd_bundle(std::string_view gzip_bytes, std::string_view source);

// The CRD a patch file applies to: "crds/patches/webhook_in_resourcebindings.yaml" ->
// "resourcebindings.work.karmada.io" (upstream's naming rule: the text after the last "_" up to the
// first ".", in group work.karmada.io).
std::string patch_target_crd(std::string_view patch_path);

// Replaces upstream's placeholders {{caBundle}}, {{name}} and {{namespace}} in a patch.
std::string fill_patch_template(std::string_view text,
                                std::string_view ca_bundle_base64,
                                std::string_view webhook_name,
                                std::string_view namespace_name);

} // namespace kctl::init
