#include "util/duration.hpp"

#include <cstdint>
#include <utility>

namespace kctl {

namespace {

struct Unit {
  std::string_view name;
  std::int64_t nanos;
};

constexpr Unit k_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000},
    {"\xce\xbcs", 1000},
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60LL * 1000000000},
    {"h", 3600LL * 1000000000},
};

} // namespace

Result<std::chrono::nanoseconds>
parse_duration(std::string_view text) {
  auto invalid = [&] { return failf("invalid duration \"{}\" (use e.g. 30s, 5m, 1h30m)", text); };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") {
    return std::chrono::nanoseconds(0);
  }
  if (rest.empty()) {
    return invalid();
  }
  long double total = 0;
  while (!rest.empty()) {
    size_t digits = 0;
    bool seen_dot = false;
    while (digits < rest.size() &&
           ((rest[digits] >= '0' && rest[digits] <= '9') || (rest[digits] == '.' && !seen_dot))) {
      seen_dot = seen_dot || rest[digits] == '.';
      ++digits;
    }
    if (digits == 0 || (digits == 1 && rest[0] == '.')) {
      return invalid();
    }
    long double number = std::stold(std::string(rest.substr(0, digits)));
    rest.remove_prefix(digits);
    const Unit* matched = nullptr;
    for (const Unit& unit : k_units) {
      if (rest.starts_with(unit.name) &&
          (matched == nullptr || unit.name.size() > matched->name.size())) {
        matched = &unit;
      }
    }
    if (matched == nullptr) {
      return invalid();
    }
    rest.remove_prefix(matched->name.size());
    total += number * static_cast<long double>(matched->nanos);
  }
  if (total > static_cast<long double>(INT64_MAX)) {
    return invalid();
  }
  auto nanos = static_cast<std::int64_t>(total);
  return std::chrono::nanoseconds(negative ? -nanos : nanos);
}

std::string
format_duration(std::chrono::nanoseconds duration) {
  std::int64_t n = duration.count();
  if (n == 0) {
    return "0s";
  }
  std::string sign = n < 0 ? "-" : "";
  auto u = static_cast<std::uint64_t>(n < 0 ? -n : n);
  if (u < 1000000000ULL) {
    if (u < 1000ULL) {
      return fmt::format("{}{}ns", sign, u);
    }
    auto fraction = [](std::uint64_t value, std::uint64_t unit) {
      std::string text = fmt::format("{}", static_cast<double>(value) / static_cast<double>(unit));
      return text;
    };
    if (u < 1000000ULL) {
      return fmt::format("{}{}\xc2\xb5s", sign, fraction(u, 1000));
    }
    return fmt::format("{}{}ms", sign, fraction(u, 1000000));
  }
  std::uint64_t hours = u / 3600000000000ULL;
  std::uint64_t minutes = u / 60000000000ULL % 60;
  std::uint64_t nanos_in_minute = u % 60000000000ULL;
  std::string seconds = fmt::format("{}", nanos_in_minute / 1000000000ULL);
  if (std::uint64_t frac = nanos_in_minute % 1000000000ULL; frac != 0) {
    std::string digits = fmt::format("{:09}", frac);
    while (digits.back() == '0') {
      digits.pop_back();
    }
    seconds += "." + digits;
  }
  if (hours > 0) {
    return fmt::format("{}{}h{}m{}s", sign, hours, minutes, seconds);
  }
  if (minutes > 0) {
    return fmt::format("{}{}m{}s", sign, minutes, seconds);
  }
  return fmt::format("{}{}s", sign, seconds);
}

} // namespace kctl
