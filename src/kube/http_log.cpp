#include "kube/http_log.hpp"

#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace kctl::kube {

namespace {

constexpr std::array<std::string_view, 4> k_sensitive_resources = {
    "secrets", "tokenrequests", "certificatesigningrequests", "tokenreviews"};

bool
equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Raw requests carry no ResourceRef, so the path is checked segment by segment as well.
bool
path_is_sensitive(std::string_view path) {
  path = path.substr(0, path.find('?'));
  for (auto resource : k_sensitive_resources) {
    std::string segment = fmt::format("/{}", resource);
    auto at = path.find(segment);
    if (at != std::string_view::npos) {
      auto end = at + segment.size();
      if (end == path.size() || path[end] == '/') {
        return true;
      }
    }
  }
  return path.find("/serviceaccounts/") != std::string_view::npos && path.ends_with("/token");
}

} // namespace

bool
has_sensitive_body(const Request& request) {
  for (auto resource : k_sensitive_resources) {
    if (request.ref.resource == resource) {
      return true;
    }
  }
  if (request.ref.resource == "serviceaccounts" && request.ref.subresource == "token") {
    return true;
  }
  return path_is_sensitive(request.path);
}

std::string
mask_header(std::string_view name, std::string_view value) {
  if (equals_ignore_case(name, "Authorization") ||
      equals_ignore_case(name, "Proxy-Authorization")) {
    auto space = value.find(' ');
    std::string_view scheme = space == std::string_view::npos ? "" : value.substr(0, space);
    return scheme.empty() ? std::string("<masked>") : fmt::format("{} <masked>", scheme);
  }
  return std::string(value);
}

void
log_request(const Request& request,
            std::string_view url,
            const std::vector<std::string>& header_lines) {
  if (log::enabled(k_log_headers)) {
    std::string text =
        fmt::format("Request: {} {}\nRequest Headers:", http_method(request.verb), url);
    for (const auto& line : header_lines) {
      auto colon = line.find(':');
      std::string_view name = std::string_view(line).substr(0, colon);
      std::string_view value =
          colon == std::string::npos ? "" : std::string_view(line).substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      text += fmt::format("\n    {}: {}", name, mask_header(name, value));
    }
    KLOG(k_log_headers, "{}", text);
  }
  if (log::enabled(k_log_bodies) && !request.body.empty()) {
    KLOG(k_log_bodies,
         "Request Body: {}",
         has_sensitive_body(request) ? std::string_view("<redacted>") : request.body);
  }
}

void
log_response(const Request& request,
             std::string_view url,
             const Response& response,
             std::chrono::milliseconds latency) {
  KLOG(k_log_urls,
       "{} {} {} {} in {} milliseconds",
       http_method(request.verb),
       url,
       response.status,
       status_text(response.status),
       latency.count());
  if (log::enabled(k_log_bodies) && !response.body.empty()) {
    KLOG(k_log_bodies,
         "Response Body: {}",
         has_sensitive_body(request) ? std::string_view("<redacted>") : response.body);
  }
}

std::string_view
status_text(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 201:
    return "Created";
  case 202:
    return "Accepted";
  case 204:
    return "No Content";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 409:
    return "Conflict";
  case 410:
    return "Gone";
  case 415:
    return "Unsupported Media Type";
  case 422:
    return "Unprocessable Entity";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "";
  }
}

} // namespace kctl::kube
