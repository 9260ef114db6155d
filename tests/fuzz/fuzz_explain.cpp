// explain's rendering of an OpenAPI v3 (or v2) document a server returned (the input, as JSON): the
// schemas of the Widget of tests/unit/test_explain.cpp's shape, or any other, walked with the
// field path the document's "fuzzPath" names (else none), plainly and --recursive; and
// go-wordwrap's breaking of the raw input, whose non-space bytes must all stay, in order.
#include "explain/explain.hpp"
#include "explain/openapi_v2.hpp"
#include "fuzz_common.hpp"
#include "util/json_parse.hpp"

namespace {

std::string
without_white_space(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\v' && c != '\f') {
      out += c;
    }
  }
  return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  bool ascii = true;
  for (char c : input) {
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  }
  std::string wrapped = kctl::explain::word_wrap(input, size % 90);
  if (ascii) { // other bytes may be white space (U+2000...) or replaced (invalid UTF-8)
    KCTL_FUZZ_CHECK(without_white_space(wrapped) == without_white_space(input));
  }
  if (!kctl::json::parse(input)) {
    return 0; // the command parses with the depth bound first, as here
  }
  auto document = kctl::explain::Document::parse(input, nullptr, false);
  if (document.is_discarded()) {
    return 0;
  }
  std::vector<std::string> path;
  if (auto found = document.find("fuzzPath"); found != document.end() && found->is_string()) {
    auto words = kctl::explain::split_type_path(found->get<std::string>());
    if (words) {
      path = std::move(*words);
    }
  }
  for (bool recursive : {false, true}) {
    (void)kctl::explain::render_plaintext(document, {"ex.io", "v1", "widgets"}, path, recursive);
    (void)kctl::explain::render_openapi_v2(document, {"ex.io", "v1", "Widget"}, path, recursive);
  }
  return 0;
}
