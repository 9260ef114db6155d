// Go durations ("1h2m3s", flags such as --discovery-timeout) and RFC 3339 timestamps (util/time:
// object ages, ExecCredential expiry, bootstrap-token expiration). A parsed duration or time must
// print and parse back to itself.
#include "fuzz_common.hpp"
#include "util/duration.hpp"
#include "util/time.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  if (auto parsed = kctl::parse_duration(input)) {
    std::string formatted = kctl::format_duration(*parsed);
    auto again = kctl::parse_duration(formatted);
    KCTL_FUZZ_CHECK(again.has_value());
    KCTL_FUZZ_CHECK(*again == *parsed);
  }
  if (auto time = kctl::parse_rfc3339(input)) {
    // A time prints as UTC and reads back to itself, and converts to the clock without overflow.
    auto again = kctl::parse_rfc3339(kctl::format_rfc3339(*time));
    KCTL_FUZZ_CHECK(again.has_value());
    KCTL_FUZZ_CHECK(*again == *time);
    (void)kctl::to_system_clock(*time);
    (void)kctl::seconds_until(*time, std::chrono::system_clock::now());
  }
  return 0;
}
