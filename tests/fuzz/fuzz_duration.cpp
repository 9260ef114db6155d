// Go durations ("1h2m3s", flags such as --discovery-timeout) and RFC 3339 timestamps
// (ExecCredential expiry, bootstrap token expiration). A parsed duration must print and parse back
// to itself.
#include "fuzz_common.hpp"
#include "kube/exec_credential.hpp"
#include "util/duration.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  if (auto parsed = kctl::parse_duration(input)) {
    std::string formatted = kctl::format_duration(*parsed);
    auto again = kctl::parse_duration(formatted);
    KCTL_FUZZ_CHECK(again.has_value());
    KCTL_FUZZ_CHECK(*again == *parsed);
  }
  (void)kctl::kube::parse_rfc3339(input);
  return 0;
}
