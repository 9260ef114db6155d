// Kubeconfig files: YAML, base64 *-data fields, exec stanzas, relative paths.
#include "fuzz_common.hpp"
#include "kube/kubeconfig.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto config = kctl::kube::parse_kubeconfig(input, "/fuzz/dir/config");
  if (config) {
    kctl::kube::Kubeconfig merged;
    kctl::kube::merge_kubeconfig(merged, *config);
    KCTL_FUZZ_CHECK(merged.clusters.size() == config->clusters.size());
    (void)merged.describe_sources();
  }
  (void)kctl::kube::split_kubeconfig_env(input);
  return 0;
}
