// JSON from outside: API responses, watch events, Status errors. The depth-limited parser must
// never crash, and what it accepts must print and parse back to the same value.
#include "fuzz_common.hpp"
#include "kube/api_error.hpp"
#include "kube/transport.hpp"
#include "util/json_parse.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  if (auto parsed = kctl::json::parse(input)) {
    std::string printed = parsed->dump();
    auto again = kctl::json::parse(printed);
    KCTL_FUZZ_CHECK(again.has_value());
    KCTL_FUZZ_CHECK(*again == *parsed);
  }
  // A non-2xx answer: a Status body gives reason and message, anything else a quoted start.
  kctl::kube::Response response;
  response.status = 422;
  response.body = std::string(input);
  kctl::Error error = kctl::kube::error_from_response(response);
  KCTL_FUZZ_CHECK(!error.message.empty());
  return 0;
}
