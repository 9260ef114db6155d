// Helpers shared by the libFuzzer targets (tests/fuzz/fuzz_<parser>.cpp). Each target feeds the
// bytes libFuzzer gives it to the project's real parsers; a crash, a sanitizer report, a leak or a
// broken property (checked with KCTL_FUZZ_CHECK) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::fuzz {

// The input as text (any bytes, NULs included).
inline std::string_view
text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input split at '\n' (a trailing empty line dropped): one word, flag value or field per line.
inline std::vector<std::string>
lines(std::string_view input) {
  std::vector<std::string> out;
  while (!input.empty()) {
    auto end = input.find('\n');
    out.emplace_back(input.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    input.remove_prefix(end + 1);
  }
  return out;
}

// The first line and the rest, for targets that take two inputs (a template and a document).
inline std::pair<std::string_view, std::string_view>
split_first_line(std::string_view input) {
  auto end = input.find('\n');
  if (end == std::string_view::npos) {
    return {input, {}};
  }
  return {input.substr(0, end), input.substr(end + 1)};
}

// Aborts (a finding) when a property of the parser does not hold.
[[noreturn]] inline void
property_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
  std::abort();
}

} // namespace kctl::fuzz

#define KCTL_FUZZ_CHECK(condition)                                                                 \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      ::kctl::fuzz::property_failed(#condition, __FILE__, __LINE__);                               \
    }                                                                                              \
  } while (false)
