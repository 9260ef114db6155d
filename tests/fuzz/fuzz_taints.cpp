// Taint words of `taint clusters` ("k=v:NoSchedule", "k:NoSchedule-"), one per line, applied to
// a Cluster's existing taints.
#include "fuzz_common.hpp"
#include "kube/taints.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  std::vector<std::string> words = kctl::fuzz::lines(input);
  for (const auto& word : words) {
    if (auto taint = kctl::kube::parse_taint(word)) {
      (void)taint->to_string();
    }
  }
  auto changes = kctl::kube::parse_taint_changes(words);
  if (!changes) {
    return 0;
  }
  kctl::Json previous = kctl::Json::array(
      {{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}, {"timeAdded", "x"}}});
  std::vector<kctl::kube::Taint> current = kctl::kube::taints_from_json(previous);
  for (bool overwrite : {false, true}) {
    if (auto update = kctl::kube::apply_taints(current, *changes, overwrite, "cluster/member1")) {
      kctl::Json written = kctl::kube::taints_to_json(update->taints, previous);
      KCTL_FUZZ_CHECK(kctl::kube::taints_from_json(written) == update->taints);
    }
  }
  return 0;
}
