// Label selectors (-l) and label/annotation changes ("k=v", "k-"): one item per line.
#include "fuzz_common.hpp"
#include "kube/labels.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto [first, rest] = kctl::fuzz::split_first_line(input);
  if (auto selector = kctl::kube::parse_selector(first)) {
    kctl::Json labels = {{"env", "prod"}, {"tier", "web"}, {"a.b/c", ""}};
    (void)kctl::kube::selector_matches(*selector, labels);
    (void)kctl::kube::selector_matches(*selector, kctl::Json::object());
  }
  std::vector<std::string> words = kctl::fuzz::lines(rest);
  for (const auto& word : words) {
    (void)kctl::kube::qualified_name_error(word);
    (void)kctl::kube::label_value_error(word);
    (void)kctl::kube::is_meta_change(word);
  }
  kctl::Json object = {
      {"metadata", {{"labels", {{"env", "prod"}}}, {"annotations", {{"a", "b"}}}}}};
  for (auto field : {kctl::kube::MetaField::labels, kctl::kube::MetaField::annotations}) {
    (void)kctl::kube::split_resources_and_changes(words, field);
    if (auto changes = kctl::kube::parse_meta_changes(words, field)) {
      for (bool overwrite : {false, true}) {
        (void)kctl::kube::meta_update(object, field, *changes, overwrite, "42");
      }
    }
  }
  return 0;
}
