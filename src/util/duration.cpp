#include "util/duration.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace kctl {

namespace {

struct Unit {
  std::string_view name;
  std::uint64_t nanos;
};

constexpr Unit k_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000},
    {"\xce\xbcs", 1000},
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60ULL * 1000000000},
    {"h", 3600ULL * 1000000000},
};

// 128 bits hold any sum of a unit count and a unit before the overflow check. (__extension__: a
// GCC and clang type that -Wpedantic would otherwise warn about.)
__extension__ using Uint128 = unsigned __int128;

// The magnitude of the most negative duration; a positive one may reach one less.
constexpr std::uint64_t k_max_magnitude = std::uint64_t{1} << 63;
// Fraction digits past this many are read but ignored: they are worth less than a nanosecond of
// the largest unit (an hour is 3.6e12 ns).
constexpr int k_max_fraction_digits = 18;

bool
is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "<integer>.<fraction>" as `digits` fraction digits of `value` with trailing zeros dropped (Go's
// fmtFrac): 1500 with 3 digits is "1.5", 2000 is "2".
std::string
decimal(std::uint64_t value, int digits) {
  std::uint64_t unit = 1;
  for (int i = 0; i < digits; ++i) {
    unit *= 10;
  }
  std::string text = fmt::format("{}", value / unit);
  if (std::uint64_t fraction = value % unit; fraction != 0) {
    std::string fraction_digits = fmt::format("{:0{}}", fraction, digits);
    while (fraction_digits.back() == '0') {
      fraction_digits.pop_back();
    }
    text += "." + fraction_digits;
  }
  return text;
}

} // namespace

// Exact integer arithmetic as Go's time.ParseDuration does (no floating point for the integer
// part, so what format_duration prints reads back to the same nanosecond).
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
  Uint128 total = 0;
  while (!rest.empty()) {
    // The integer part, refused once it alone is out of range.
    std::uint64_t whole = 0;
    std::size_t whole_digits = 0;
    for (; !rest.empty() && is_digit(rest.front()); rest.remove_prefix(1), ++whole_digits) {
      auto digit = static_cast<std::uint64_t>(rest.front() - '0');
      if (whole > (k_max_magnitude - digit) / 10) {
        return invalid();
      }
      whole = whole * 10 + digit;
    }
    // The fraction: `fraction` / `scale`.
    std::uint64_t fraction = 0;
    std::uint64_t scale = 1;
    std::size_t fraction_digits = 0;
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      for (; !rest.empty() && is_digit(rest.front()); rest.remove_prefix(1), ++fraction_digits) {
        if (fraction_digits < k_max_fraction_digits) {
          fraction = fraction * 10 + static_cast<std::uint64_t>(rest.front() - '0');
          scale *= 10;
        }
      }
    }
    if (whole_digits == 0 && fraction_digits == 0) {
      return invalid(); // no number: "s", ".s"
    }
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
    total += static_cast<Uint128>(whole) * matched->nanos +
             static_cast<Uint128>(fraction) * matched->nanos / scale;
    if (total > k_max_magnitude) {
      return invalid();
    }
  }
  if (total == k_max_magnitude) {
    if (!negative) {
      return invalid();
    }
    return std::chrono::nanoseconds(std::numeric_limits<std::int64_t>::min());
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
  // The magnitude, also of the most negative value (whose negation does not fit an int64).
  std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  if (u < 1000ULL) {
    return fmt::format("{}{}ns", sign, u);
  }
  if (u < 1000000ULL) {
    return fmt::format("{}{}\xc2\xb5s", sign, decimal(u, 3));
  }
  if (u < 1000000000ULL) {
    return fmt::format("{}{}ms", sign, decimal(u, 6));
  }
  std::uint64_t hours = u / 3600000000000ULL;
  std::uint64_t minutes = u / 60000000000ULL % 60;
  std::string seconds = decimal(u % 60000000000ULL, 9);
  if (hours > 0) {
    return fmt::format("{}{}h{}m{}s", sign, hours, minutes, seconds);
  }
  if (minutes > 0) {
    return fmt::format("{}{}m{}s", sign, minutes, seconds);
  }
  return fmt::format("{}{}s", sign, seconds);
}

} // namespace kctl
