#include "commands/columns.hpp"

#include "output/printer.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::cli {

namespace {

constexpr std::size_t k_max_input = 4 * 1024 * 1024;

} // namespace

int
run_columns_request() {
  std::string input;
  char buffer[65536];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0;) {
    input.append(buffer, got);
    if (input.size() > k_max_input) {
      fmt::print(stderr, "error: {}: the input is larger than 4 MiB\n", k_columns_command);
      return 1;
    }
  }
  std::vector<std::vector<std::string>> rows;
  std::size_t at = 0;
  while (at < input.size()) {
    std::size_t end = input.find('\n', at);
    std::string_view line = std::string_view(input).substr(
        at, end == std::string::npos ? std::string_view::npos : end - at);
    at = end == std::string::npos ? input.size() : end + 1;
    std::vector<std::string>& row = rows.emplace_back();
    std::size_t start = 0;
    while (true) {
      std::size_t tab = line.find('\t', start);
      row.emplace_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) {
        break;
      }
      start = tab + 1;
    }
  }
  fmt::print("{}", output::render_columns(rows));
  return 0;
}

} // namespace kctl::cli
