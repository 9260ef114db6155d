// Typed API errors: the server's metav1.Status (reason, code, message) becomes kctl::Error
// {message, reason, http_status}, so callers branch on the reason, never on message text.
#pragma once

#include "kube/transport.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>

namespace kctl::kube {

// Status reasons used by the server, plus "Transport" for failures below HTTP.
namespace reason {
inline constexpr std::string_view not_found = "NotFound";
inline constexpr std::string_view already_exists = "AlreadyExists";
inline constexpr std::string_view conflict = "Conflict";
inline constexpr std::string_view invalid = "Invalid";
inline constexpr std::string_view forbidden = "Forbidden";
inline constexpr std::string_view unauthorized = "Unauthorized";
inline constexpr std::string_view timeout = "Timeout";
inline constexpr std::string_view expired = "Expired"; // 410 Gone: resourceVersion too old
inline constexpr std::string_view too_many_requests = "TooManyRequests";
inline constexpr std::string_view service_unavailable = "ServiceUnavailable";
inline constexpr std::string_view internal_error = "InternalError";
inline constexpr std::string_view bad_request = "BadRequest";
inline constexpr std::string_view method_not_allowed = "MethodNotAllowed";
inline constexpr std::string_view transport = "Transport";
inline constexpr std::string_view configuration = "Configuration";
} // namespace reason

// Builds the error for a non-2xx `response`. A Status body supplies reason, code and message;
// otherwise the reason follows the HTTP status and the message quotes the start of the body.
Error error_from_response(const Response& response);

// Builds the error described by a metav1.Status object (as carried by a watch ERROR event).
Error error_from_status(const Json& status, int fallback_code);

// Builds a Status object the way the apiserver would for `code`, `reason` and `message`; fakes
// and dry-run answer with it so that error handling matches the real server.
Json make_status(int code, std::string_view reason, std::string_view message);

// Predicates on errors returned by the client.
bool is_not_found(const Error& error);
bool is_already_exists(const Error& error);
bool is_conflict(const Error& error);
bool is_unauthorized(const Error& error);
bool is_forbidden(const Error& error);
bool is_expired(const Error& error);
bool is_transport(const Error& error);

} // namespace kctl::kube
