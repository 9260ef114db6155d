#include "kube/api_error.hpp"

#include "util/json_parse.hpp"

#include <fmt/format.h>

namespace kctl::kube {

namespace {

std::string_view
reason_for_code(int code) {
  switch (code) {
  case 400:
    return reason::bad_request;
  case 401:
    return reason::unauthorized;
  case 403:
    return reason::forbidden;
  case 404:
    return reason::not_found;
  case 405:
    return reason::method_not_allowed;
  case 409:
    return reason::conflict;
  case 410:
    return reason::expired;
  case 422:
    return reason::invalid;
  case 429:
    return reason::too_many_requests;
  case 503:
    return reason::service_unavailable;
  case 504:
    return reason::timeout;
  default:
    return code >= 500 ? reason::internal_error : std::string_view{"Unknown"};
  }
}

// The wording kubectl uses when the server gives no message of its own.
std::string
default_message(int code, std::string_view body) {
  std::string text;
  switch (code) {
  case 401:
    text = "the server has asked for the client to provide credentials";
    break;
  case 403:
    text = "the server does not allow access to the requested resource";
    break;
  case 404:
    text = "the server could not find the requested resource";
    break;
  case 429:
    text = "the server has received too many requests and has asked us to try again later";
    break;
  case 503:
    text = "the server is currently unable to handle the request";
    break;
  default:
    text = fmt::format("the server responded with the status code {}", code);
    break;
  }
  constexpr std::size_t k_max_body = 200;
  if (!body.empty() && body.find_first_not_of(" \r\n\t") != std::string_view::npos) {
    std::string_view shown = body.substr(0, k_max_body);
    while (!shown.empty() && (shown.back() == '\n' || shown.back() == '\r')) {
      shown.remove_suffix(1);
    }
    text += fmt::format(" ({}{})", shown, body.size() > k_max_body ? "..." : "");
  }
  return text;
}

bool
is_status_object(const Json& value) {
  return json::string_or(value, "kind") == "Status";
}

} // namespace

Error
error_from_status(const Json& status, int fallback_code) {
  int code = fallback_code;
  if (auto it = status.find("code"); it != status.end() && it->is_number_integer()) {
    code = it->get<int>();
  }
  std::string why = json::string_or(status, "reason");
  if (why.empty()) {
    why = std::string(reason_for_code(code));
  }
  std::string message = json::string_or(status, "message");
  if (message.empty()) {
    message = default_message(code, {});
  }
  return Error{std::move(message), std::move(why), code};
}

Error
error_from_response(const Response& response) {
  auto parsed = json::parse(response.body);
  Error error = parsed && is_status_object(*parsed)
                    ? error_from_status(*parsed, response.status)
                    : Error{default_message(response.status, response.body),
                            std::string(reason_for_code(response.status)),
                            response.status};
  if (response.gave_up_after > 1) {
    error.message += fmt::format(" (gave up after {} attempts)", response.gave_up_after);
  }
  return error;
}

Json
make_status(int code, std::string_view why, std::string_view message) {
  Json status = {{"kind", "Status"},
                 {"apiVersion", "v1"},
                 {"metadata", Json::object()},
                 {"status", code >= 200 && code < 300 ? "Success" : "Failure"}};
  if (!message.empty()) {
    status["message"] = message;
  }
  if (!why.empty()) {
    status["reason"] = why;
  }
  status["code"] = code;
  return status;
}

bool
is_not_found(const Error& error) {
  return error.reason == reason::not_found;
}
bool
is_already_exists(const Error& error) {
  return error.reason == reason::already_exists;
}
bool
is_conflict(const Error& error) {
  return error.reason == reason::conflict;
}
bool
is_unauthorized(const Error& error) {
  return error.reason == reason::unauthorized;
}
bool
is_forbidden(const Error& error) {
  return error.reason == reason::forbidden;
}
bool
is_expired(const Error& error) {
  return error.reason == reason::expired || error.reason == "Gone" || error.http_status == 410;
}
bool
is_transport(const Error& error) {
  return error.reason == reason::transport;
}

} // namespace kctl::kube
