#include "util/time.hpp"

#include <doctest/doctest.h>

using namespace std::chrono;
using kctl::format_rfc3339;
using kctl::parse_rfc3339;
using kctl::seconds_until;
using kctl::to_system_clock;

namespace {

std::string
round_trip(std::string_view text) {
  auto parsed = parse_rfc3339(text);
  return parsed ? format_rfc3339(*parsed) : "error: " + parsed.error().message;
}

} // namespace

TEST_SUITE("util::time") {
  TEST_CASE("RFC 3339 with Z, offsets and fractions reads as UTC seconds") {
    CHECK(round_trip("2026-11-26T10:00:00Z") == "2026-11-26T10:00:00Z");
    CHECK(round_trip("2026-11-26T12:00:00.123456+02:00") == "2026-11-26T10:00:00Z");
    CHECK(round_trip("2026-01-01T00:30:00-01:00") == "2026-01-01T01:30:00Z");
    CHECK(round_trip("2026-11-26t10:00:00z") == "2026-11-26T10:00:00Z");
    CHECK(parse_rfc3339("2026-11-26T10:00:00Z")->time_since_epoch() == seconds(1795687200));
  }

  TEST_CASE("every year RFC 3339 can write is held exactly") {
    CHECK(round_trip("9999-12-31T23:59:59Z") == "9999-12-31T23:59:59Z");
    CHECK(round_trip("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00Z");
    CHECK(round_trip("1013-11-26T10:00:00Z") == "1013-11-26T10:00:00Z");
  }

  TEST_CASE("impossible or malformed times are refused, naming the text") {
    for (const char* text : {"yesterday",
                             "2026-13-01T00:00:00Z",
                             "2026-02-30T00:00:00Z",
                             "2026-01-01T24:00:00Z",
                             "2026-01-01T00:60:00Z",
                             "2026-01-01T00:00:00",
                             "2026-01-01T00:00:00.Z",
                             "2026-01-01T00:00:00+2:00",
                             "2026-01-01T00:00:00+24:00",
                             "2026-01-01 00:00:00Z",
                             "+026-01-01T00:00:00Z"}) {
      INFO(std::string(text));
      auto parsed = parse_rfc3339(text);
      REQUIRE_FALSE(parsed.has_value());
      CHECK(parsed.error().message.find("is not an RFC 3339 time") != std::string::npos);
    }
  }

  // Found by tests/fuzz/fuzz_duration: converting a year before 1678 or after 2262 to the
  // nanosecond system clock overflowed.
  TEST_CASE("to_system_clock clamps to the clock's span") {
    CHECK(to_system_clock(*parse_rfc3339("9999-12-31T23:59:59Z")) ==
          system_clock::time_point::max());
    CHECK(to_system_clock(*parse_rfc3339("1013-11-26T10:00:00Z")) ==
          system_clock::time_point::min());
    auto now = floor<seconds>(system_clock::now());
    CHECK(to_system_clock(now) == now);
  }

  TEST_CASE("seconds_until counts whole seconds either way, years apart included") {
    auto now = sys_days(year(2026) / 1 / 1) + hours(0);
    auto later = *parse_rfc3339("2026-01-01T00:01:30Z");
    CHECK(seconds_until(later, now) == seconds(90));
    CHECK(seconds_until(*parse_rfc3339("2025-12-31T23:59:00Z"), now) == seconds(-60));
    CHECK(seconds_until(*parse_rfc3339("9999-12-31T23:59:59Z"), now) > hours(24 * 365 * 7900));
  }
}
