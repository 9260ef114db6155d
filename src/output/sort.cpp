#include "output/sort.hpp"

#include "output/jsonpath.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>

namespace kctl::output {

namespace {

// A quantity's suffix and the power of ten or two it multiplies by.
struct Suffix {
  std::string_view text;
  int base;
  int exponent;
};

constexpr std::array<Suffix, 12> k_suffixes = {{{"Ki", 2, 10},
                                                {"Mi", 2, 20},
                                                {"Gi", 2, 30},
                                                {"Ti", 2, 40},
                                                {"Pi", 2, 50},
                                                {"Ei", 2, 60},
                                                {"n", 10, -9},
                                                {"u", 10, -6},
                                                {"m", 10, -3},
                                                {"k", 10, 3},
                                                {"M", 10, 6},
                                                {"G", 10, 9}}};
constexpr std::array<Suffix, 3> k_large_suffixes = {{{"T", 10, 12}, {"P", 10, 15}, {"E", 10, 18}}};

// The multiplier of a suffix ("", "Ki", "m", "e3", ...), or nullopt.
std::optional<long double>
suffix_multiplier(std::string_view suffix) {
  if (suffix.empty()) {
    return 1.0L;
  }
  for (const auto& table :
       {std::span<const Suffix>(k_suffixes), std::span<const Suffix>(k_large_suffixes)}) {
    for (const auto& known : table) {
      if (known.text == suffix) {
        return std::pow(static_cast<long double>(known.base), known.exponent);
      }
    }
  }
  if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    int exponent = 0;
    std::string_view digits = suffix.substr(suffix[1] == '+' ? 2 : 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
      return std::pow(10.0L, exponent);
    }
  }
  return std::nullopt;
}

// The first value the path finds in a row's object, if any.
std::optional<Json>
sort_value(const JsonPath& path, const Row& row) {
  auto values = path.values(row.object);
  if (!values || values->empty()) {
    return std::nullopt;
  }
  return std::move(values->front());
}

// Whether `a` sorts before `b`, both present.
bool
less(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
        !b.is_number_unsigned()) {
      return a.get<std::int64_t>() < b.get<std::int64_t>();
    }
    return a.get<double>() < b.get<double>();
  }
  if (a.is_string() && b.is_string()) {
    const auto& x = a.get_ref<const std::string&>();
    const auto& y = b.get_ref<const std::string&>();
    auto qx = quantity_value(x);
    auto qy = quantity_value(y);
    if (qx && qy) {
      return *qx < *qy;
    }
    return x < y;
  }
  // kubectl stops on values it cannot order (booleans, objects); their JSON text orders them
  // here, so that the listing still prints.
  return a.dump() < b.dump();
}

} // namespace

std::optional<long double>
quantity_value(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::size_t start = i;
  bool digits = false;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) {
    digits = digits || text[i] != '.';
    ++i;
  }
  if (!digits || std::count(text.begin() + static_cast<std::ptrdiff_t>(start),
                            text.begin() + static_cast<std::ptrdiff_t>(i),
                            '.') > 1) {
    return std::nullopt;
  }
  auto multiplier = suffix_multiplier(text.substr(i));
  if (!multiplier) {
    return std::nullopt;
  }
  double number = 0;
  std::string_view number_text = text.substr(start, i - start);
  auto [end, error] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  if (error != std::errc() || end != number_text.data() + number_text.size()) {
    return std::nullopt;
  }
  long double value = static_cast<long double>(number) * *multiplier;
  return negative ? -value : value;
}

Status
sort_rows(std::vector<Row>& rows, std::string_view field) {
  KCTL_TRY_ASSIGN(JsonPath path, JsonPath::parse_relaxed(field));
  std::vector<std::pair<std::optional<Json>, std::size_t>> keys;
  keys.reserve(rows.size());
  bool found = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    keys.emplace_back(sort_value(path, rows[i]), i);
    found = found || keys.back().first.has_value();
  }
  if (!rows.empty() && !found) {
    // Named as kubectl names it after relaxing it: "{.metadata.x}".
    std::string_view bare = field;
    bool braced = bare.starts_with('{') && bare.ends_with('}');
    if (!braced && bare.starts_with('.')) {
      bare.remove_prefix(1);
    }
    return failf("couldn't find any field with path \"{}\" in the list of objects",
                 braced ? std::string(bare) : fmt::format("{{.{}}}", bare));
  }
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    if (!a.first || !b.first) {
      return !a.first && b.first; // rows without the field first
    }
    return less(*a.first, *b.first);
  });
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (auto& [key, index] : keys) {
    sorted.push_back(std::move(rows[index]));
  }
  rows = std::move(sorted);
  return {};
}

} // namespace kctl::output
