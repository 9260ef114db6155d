// The Karmada API server's endpoint as `register ENDPOINT` takes it: "<host>:<port>" (as "token
// create --print-register-command" prints it), "[<IPv6>]:<port>", a bare host (port 443, as
// upstream's "https://" + endpoint means), each optionally after "https://". Parsed before anything
// is contacted, so a typo is a usage error rather than a DNS lookup or a connection to somewhere
// else. Pure functions.
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kctl::karmada {

struct ApiEndpoint {
  std::string host;                  // a DNS name, an IPv4 address, or an IPv6 address (no [])
  std::optional<std::uint16_t> port; // empty when not given (HTTPS' 443)
  bool ipv6 = false;

  // "host:port", "[v6]:port" or "host" when no port was given.
  std::string authority() const;
  // "https://" + authority().
  std::string url() const;
};

// Parses `text`; a usage error names what is wrong and what is accepted. Refused: an empty host
// (":32443"), a port outside 1-65535 or not a number, an unclosed "[", an IPv6 address without
// brackets, a scheme other than https:// ("http://" is named: the server is only reached over
// HTTPS), a path, query or fragment, user information ("user:password@", never echoed: the error
// shows "<redacted>@"), spaces, control bytes and other characters no host name has.
Result<ApiEndpoint> parse_api_endpoint(std::string_view text);

// `text` with everything up to its last '@' replaced by "<redacted>", so that an endpoint given
// with "user:password@" can be named in a message without its credentials.
std::string redact_userinfo(std::string_view text);

} // namespace kctl::karmada
