// -o jsonpath= and custom-columns templates (first line) rendered against a document (the rest,
// as JSON, or a fixed Cluster when it is not JSON).
#include "fuzz_common.hpp"
#include "output/jsonpath.hpp"
#include "util/json_parse.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto [expression, document] = kctl::fuzz::split_first_line(input);
  kctl::Json value = {
      {"kind", "Cluster"},
      {"metadata", {{"name", "member1"}, {"labels", {{"env", "prod"}}}}},
      {"items", {{{"name", "a"}, {"n", 1}}, {{"name", "b"}, {"n", 2.5}}, {{"name", nullptr}}}}};
  if (auto parsed = kctl::json::parse(document)) {
    value = std::move(*parsed);
  }
  if (auto path = kctl::output::JsonPath::parse(expression)) {
    (void)path->render(value);
    (void)path->values(value);
  }
  if (auto path = kctl::output::JsonPath::parse_relaxed(expression)) {
    (void)path->values(value);
  }
  return 0;
}
