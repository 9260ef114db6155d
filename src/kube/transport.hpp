// The seam between the generic client and the network. CurlTransport talks to a real apiserver,
// DryRunTransport wraps another transport and swallows writes, FakeTransport answers from a script
// in tests. Everything above this interface is the same in all three cases.
#pragma once

#include "kube/resource.hpp"
#include "util/result.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// What a request does to the server, which decides retry safety and dry-run handling.
enum class Verb { get, list, watch, create, update, patch, apply, remove, raw_get };

// Returns the HTTP method of `verb`.
std::string_view http_method(Verb verb);
// Returns true for verbs that change server state (create, update, patch, apply, remove).
bool is_write(Verb verb);
// Returns the upper-case word used in dry-run lines: CREATE, UPDATE, PATCH, APPLY, DELETE.
std::string_view write_word(Verb verb);

// Refuses a header value that contains CR, LF or NUL (which would inject header lines or cut the
// value short), as Go's HTTP client does. `source` names where the value came from ("the bearer
// token of the token file /x"); the error says it and never shows the value.
Status check_header_value(std::string_view value, std::string_view source);

// One HTTP request relative to the server URL of the transport.
struct Request {
  Verb verb = Verb::get;
  // The object addressed; empty for raw paths. Dry-run and log redaction read it.
  ResourceRef ref;
  // Absolute API path with the query already encoded ("/api/v1/pods?limit=500").
  std::string path;
  std::string body;
  std::string content_type; // empty when there is no body
  std::string accept = "application/json";
  // Overrides the transport's request timeout when positive.
  std::chrono::milliseconds timeout{0};
};

// A header line as received (name lower-cased).
struct Header {
  std::string name;
  std::string value;
};

// An HTTP response of any status; transport failures are errors instead.
struct Response {
  int status = 0;
  std::string body;
  std::vector<Header> headers;
  // How many attempts were made when the last one still asked to be retried (429, 503) and the
  // transport gave up; 0 otherwise. Error messages made from the response say so.
  int gave_up_after = 0;

  // Returns the value of header `name` (lower case), if present.
  std::optional<std::string> header(std::string_view name) const;
};

// Tells a streaming reader whether to keep reading.
enum class StreamControl { proceed, stop };

// Receives one complete line (without the newline) of a streamed body.
using LineHandler = std::function<StreamControl(std::string_view line)>;

// Sends requests. Implementations are safe to call from several threads at once.
class Transport {
public:
  virtual ~Transport() = default;

  // Sends `request` and returns the response of whatever status; fails only when no HTTP
  // response was obtained (reason "Transport") or authentication could not be set up.
  virtual Result<Response> send(const Request& request) = 0;

  // Sends `request` and hands each body line of a 2xx response to `on_line` until the server
  // ends the stream or the handler returns stop. Returns the response with an empty body on 2xx,
  // or with the full body on other statuses (for Status parsing).
  virtual Result<Response> stream(const Request& request, const LineHandler& on_line) = 0;

  // Whether writes are only recorded, not sent (DryRunTransport): what a flow asks to word its
  // lines "(dry run)" and to skip waiting for what a write would have started.
  virtual bool is_dry_run() const { return false; }
};

} // namespace kctl::kube
