// The --crds tarball: gzip, then ustar/pax entries, then upstream's layout. The first byte chooses
// between a whole crds.tar.gz and a bare tar archive (which lets the fuzzer reach tar parsing
// without producing valid gzip).
#include "fuzz_common.hpp"
#include "init/crds.hpp"

#include <filesystem>

namespace {
// Small enough that the fuzzer meets the limit, as a zip bomb would.
constexpr std::size_t k_fuzz_unpacked_limit = std::size_t{1} << 20;
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view bytes = kctl::fuzz::text(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    (void)kctl::init::load_crd_bundle(bytes, "fuzz.tar.gz");
    (void)kctl::init::gunzip(bytes, "fuzz.gz", k_fuzz_unpacked_limit);
  } else if (auto files = kctl::init::read_tar(bytes, "fuzz.tar")) {
    for (const auto& file : *files) {
      // Extracting can never write outside its directory.
      KCTL_FUZZ_CHECK(!file.path.empty() && file.path.front() != '/');
      for (const auto& part : std::filesystem::path(file.path)) {
        KCTL_FUZZ_CHECK(part != "..");
      }
      (void)kctl::init::patch_target_crd(file.path);
    }
  }
  return 0;
}
