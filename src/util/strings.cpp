#include "util/strings.hpp"

namespace kctl::strings {

std::string
join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += items[i];
  }
  return out;
}

std::vector<std::string_view>
split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t found = text.find(separator, start);
    parts.push_back(text.substr(start, found - start));
    if (found == std::string_view::npos) {
      return parts;
    }
    start = found + 1;
  }
}

std::vector<std::string>
split_list(std::string_view text, char separator) {
  std::vector<std::string> items;
  for (std::string_view part : split(text, separator)) {
    if (!part.empty()) {
      items.emplace_back(part);
    }
  }
  return items;
}

} // namespace kctl::strings
