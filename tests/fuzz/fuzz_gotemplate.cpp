// -o go-template templates (first line) rendered against a document (the rest, as JSON, or a
// fixed List when it is not JSON), with missing keys allowed and refused. Lower limits than the
// CLI's keep each input fast; the properties: errors speak Go's "template: output:" and a
// rendering is the same twice.
#include "fuzz_common.hpp"
#include "output/gotemplate.hpp"
#include "util/json_parse.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto [text, document] = kctl::fuzz::split_first_line(input);
  kctl::Json value = {{"kind", "List"},
                      {"items",
                       {{{"metadata", {{"name", "a"}, {"labels", {{"env", "prod"}}}}}, {"n", 1}},
                        {{"metadata", {{"name", nullptr}}}, {"n", 2.5}, {"l", {1, "x", true}}}}}};
  if (auto parsed = kctl::json::parse(document)) {
    value = std::move(*parsed);
  }
  auto tmpl = kctl::output::GoTemplate::parse(text);
  if (!tmpl) {
    KCTL_FUZZ_CHECK(tmpl.error().message.starts_with("template: output:"));
    return 0;
  }
  kctl::output::GoTemplateLimits limits;
  limits.output_bytes = 1 << 20;
  limits.iterations = 10'000;
  limits.steps = 100'000;
  for (bool allow : {true, false}) {
    auto first = tmpl->render(value, allow, limits);
    auto second = tmpl->render(value, allow, limits);
    KCTL_FUZZ_CHECK(first.has_value() == second.has_value());
    if (first && second) {
      KCTL_FUZZ_CHECK(*first == *second);
    } else if (!first) {
      KCTL_FUZZ_CHECK(first.error().message.starts_with("template: output"));
    }
  }
  return 0;
}
