// Manifests given to apply -f: YAML or JSON document streams, Lists expanded.
#include "fuzz_common.hpp"
#include "kube/manifest_reader.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  if (auto objects = kctl::kube::parse_manifests(input, "fuzz.yaml")) {
    for (const auto& object : *objects) {
      KCTL_FUZZ_CHECK(object.object.is_object());
    }
  }
  return 0;
}
