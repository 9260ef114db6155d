// kubectl-style HTTP tracing with redaction: -v6 method, URL, status and latency; -v7 request
// headers with credentials masked; -v8 bodies, except for kinds that carry secrets.
#pragma once

#include "kube/transport.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// -v levels of the trace, as in kubectl.
inline constexpr int k_log_urls = 6;
inline constexpr int k_log_headers = 7;
inline constexpr int k_log_bodies = 8;

// Returns true when bodies to or from `request` may hold credentials (Secrets, TokenRequests,
// service account tokens, CertificateSigningRequests) and must never be logged.
bool has_sensitive_body(const Request& request);

// Returns `value` for header `name` with credentials masked ("Bearer <masked>").
std::string mask_header(std::string_view name, std::string_view value);

// Logs the request headers (-v7) and body (-v8, redacted when sensitive).
void log_request(const Request& request,
                 std::string_view url,
                 const std::vector<std::string>& header_lines);

// Logs "GET <url> 200 OK in 12 milliseconds" (-v6) and the body (-v8, redacted when sensitive).
void log_response(const Request& request,
                  std::string_view url,
                  const Response& response,
                  std::chrono::milliseconds latency);

// Returns the reason phrase for HTTP `status` ("OK", "Not Found").
std::string_view status_text(int status);

} // namespace kctl::kube
