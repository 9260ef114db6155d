// YAML streams (kubeconfigs, --config, manifests are read through it). What parses must print as
// YAML that parses back to the same value.
#include "fuzz_common.hpp"
#include "util/yaml.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto documents = kctl::yaml::parse_all(input, "fuzz.yaml");
  if (!documents) {
    return 0;
  }
  for (const auto& document : *documents) {
    std::string printed = kctl::yaml::dump(document);
    auto again = kctl::yaml::parse(printed, "printed.yaml");
    KCTL_FUZZ_CHECK(again.has_value());
    // Compared as JSON text: NaN (".nan") is unequal to itself but prints the same.
    KCTL_FUZZ_CHECK(again->dump() == document.dump());
  }
  return 0;
}
