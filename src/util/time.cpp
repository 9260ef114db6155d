#include "util/time.hpp"

#include <fmt/format.h>

#include <optional>

namespace kctl {
namespace {

using namespace std::chrono;

// The digits text[pos, pos + count) as a number, nullopt when any is not a digit or text ends.
std::optional<int>
digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text.substr(pos, count)) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

bool
is_at(std::string_view text, std::size_t pos, std::string_view any_of) {
  return pos < text.size() && any_of.find(text[pos]) != std::string_view::npos;
}

// The offset east of UTC that ends `text` ("Z", "+02:00"), nullopt when malformed.
std::optional<seconds>
zone_offset(std::string_view zone) {
  if (zone == "Z" || zone == "z") {
    return seconds(0);
  }
  if (zone.size() != 6 || !is_at(zone, 0, "+-") || zone[3] != ':') {
    return std::nullopt;
  }
  auto h = digits(zone, 1, 2);
  auto m = digits(zone, 4, 2);
  if (!h || !m || *h > 23 || *m > 59) {
    return std::nullopt;
  }
  seconds offset = hours(*h) + minutes(*m);
  return zone[0] == '-' ? -offset : offset;
}

// The position after an optional ".digits" fraction starting at `pos`.
std::size_t
skip_fraction(std::string_view text, std::size_t pos) {
  if (!is_at(text, pos, ".")) {
    return pos;
  }
  std::size_t end = pos + 1;
  while (is_at(text, end, "0123456789")) {
    ++end;
  }
  return end > pos + 1 ? end : pos; // a lone '.' is left for the zone check to refuse
}

} // namespace

Result<sys_seconds>
parse_rfc3339(std::string_view text) {
  auto bad = [&] { return failf("{:?} is not an RFC 3339 time", std::string(text)); };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || !is_at(text, 10, "Tt") ||
      text[13] != ':' || text[16] != ':') {
    return bad();
  }
  auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return bad();
  }
  year_month_day date{std::chrono::year(*year),
                      std::chrono::month(static_cast<unsigned>(*month)),
                      std::chrono::day(static_cast<unsigned>(*day))};
  auto offset = zone_offset(text.substr(skip_fraction(text, 19)));
  if (!date.ok() || !offset) {
    return bad();
  }
  return sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) - *offset;
}

std::string
format_rfc3339(sys_seconds time) {
  sys_days day = floor<days>(time);
  year_month_day date(day);
  hh_mm_ss clock(time - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                     static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()),
                     clock.hours().count(),
                     clock.minutes().count(),
                     clock.seconds().count());
}

std::string
format_rfc3339(system_clock::time_point time) {
  return format_rfc3339(floor<seconds>(time));
}

std::string
now_rfc3339() {
  return format_rfc3339(system_clock::now());
}

system_clock::time_point
to_system_clock(sys_seconds time) {
  constexpr auto latest = floor<seconds>(system_clock::time_point::max());
  constexpr auto earliest = ceil<seconds>(system_clock::time_point::min());
  if (time >= latest) {
    return system_clock::time_point::max();
  }
  if (time <= earliest) {
    return system_clock::time_point::min();
  }
  return time_point_cast<system_clock::duration>(time);
}

seconds
seconds_until(sys_seconds time, system_clock::time_point now) {
  return time - floor<seconds>(now);
}

} // namespace kctl
