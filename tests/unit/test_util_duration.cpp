#include "util/duration.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using kctl::format_duration;
using kctl::parse_duration;

TEST_SUITE("util::duration") {
  TEST_CASE("parses Go durations") {
    CHECK(*parse_duration("30s") == 30s);
    CHECK(*parse_duration("2m") == 2min);
    CHECK(*parse_duration("1h30m") == 90min);
    CHECK(*parse_duration("8760h0m0s") == 8760h);
    CHECK(*parse_duration("1.5s") == 1500ms);
    CHECK(*parse_duration("500ms") == 500ms);
    CHECK(*parse_duration("0") == 0s);
    CHECK(*parse_duration("-1m") == -1min);
    CHECK(*parse_duration("10us") == 10us);
  }

  TEST_CASE("rejects malformed durations with the value in the message") {
    for (const char* bad : {"", "30", "1x", "h", "1h2", ".s", "1..5s"}) {
      auto parsed = parse_duration(bad);
      REQUIRE_FALSE(parsed);
      CHECK(parsed.error().message.find(std::string("\"") + bad + "\"") != std::string::npos);
    }
  }

  TEST_CASE("formats like Go's Duration.String") {
    CHECK(format_duration(0s) == "0s");
    CHECK(format_duration(30s) == "30s");
    CHECK(format_duration(90s) == "1m30s");
    CHECK(format_duration(8760h) == "8760h0m0s");
    CHECK(format_duration(1500ms) == "1.5s");
    CHECK(format_duration(500ms) == "500ms");
    CHECK(format_duration(-2min) == "-2m0s");
  }

  TEST_CASE("format and parse round-trip") {
    for (auto d : {1s, 61s, 3601s, 86400s}) {
      CHECK(*parse_duration(format_duration(d)) == d);
    }
  }

  // Found by tests/fuzz/fuzz_duration: floating-point parsing read "1.009µs" back as 1008ns, and
  // the most negative duration overflowed when formatted.
  TEST_CASE("fractions are exact and the extremes round-trip") {
    CHECK(*parse_duration("1.009\xc2\xb5s") == 1009ns);
    CHECK(*parse_duration("1\xc2\xb5s9ns") == 1009ns);
    CHECK(format_duration(1009ns) == "1.009\xc2\xb5s");
    CHECK(format_duration(1234567ns) == "1.234567ms");
    CHECK(*parse_duration("0.000000001s") == 1ns);
    CHECK(*parse_duration("2562047h47m16.854775807s") == std::chrono::nanoseconds::max());
    CHECK(*parse_duration("-2562047h47m16.854775808s") == std::chrono::nanoseconds::min());
    CHECK_FALSE(parse_duration("2562047h47m16.854775808s").has_value());
    CHECK(format_duration(std::chrono::nanoseconds::min()) == "-2562047h47m16.854775808s");
    CHECK(format_duration(std::chrono::nanoseconds::max()) == "2562047h47m16.854775807s");
    for (auto d : {1009ns,
                   -999999999ns,
                   1000000001ns,
                   std::chrono::nanoseconds::min(),
                   std::chrono::nanoseconds::max()}) {
      CHECK(*parse_duration(format_duration(d)) == d);
    }
  }

  TEST_CASE("numbers too long for any range are errors, not exceptions") {
    CHECK_FALSE(parse_duration(std::string(5000, '9') + "s").has_value());
    CHECK(*parse_duration("1." + std::string(5000, '0') + "1s") == 1s);
    CHECK_FALSE(parse_duration("9223372036854775808ns").has_value());
  }
}
