#include "karmada/endpoint.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace kctl::karmada {

namespace {

constexpr std::string_view k_accepted =
    "give <host>:<port> as \"token create --print-register-command\" prints it, e.g. "
    "192.168.0.10:32443 or [fd00::10]:32443 (https:// in front is accepted)";

std::unexpected<Error>
invalid(std::string_view text, std::string_view problem) {
  return fail_usage(fmt::format("invalid endpoint {:?}: {}; {}", text, problem, k_accepted));
}

bool
is_ipv4(const std::string& text) {
  in_addr address{};
  return ::inet_pton(AF_INET, text.c_str(), &address) == 1;
}

bool
is_ipv6(const std::string& text) {
  in6_addr address{};
  return ::inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

bool
host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

// A DNS name (labels of letters, digits, '-' and '_', one trailing dot allowed) or an IPv4
// address; empty when valid, else what is wrong.
std::string
host_problem(std::string_view host) {
  if (host.empty()) {
    return "no host";
  }
  if (auto bad = std::find_if_not(host.begin(), host.end(), host_char); bad != host.end()) {
    return fmt::format("the host {:?} contains {:?}, which no host name or address has",
                       host,
                       std::string(1, *bad));
  }
  if (std::all_of(host.begin(), host.end(), [](char c) {
        return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return is_ipv4(std::string(host)) ? "" : fmt::format("{:?} is not an IPv4 address", host);
  }
  std::string_view name = host;
  if (name.ends_with('.')) {
    name.remove_suffix(1);
  }
  if (name.size() > 253) {
    return "the host name is longer than 253 characters";
  }
  for (size_t start = 0; start <= name.size();) {
    size_t end = std::min(name.find('.', start), name.size());
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return fmt::format("{:?} is not a valid host name (each dot-separated part has 1-63 "
                         "letters, digits, '-' or '_', and neither starts nor ends with '-')",
                         host);
    }
    start = end + 1;
  }
  return "";
}

// The port after a ':'; empty when valid, else what is wrong.
std::string
port_problem(std::string_view port, std::uint16_t& value) {
  if (port.empty()) {
    return "no port after \":\"";
  }
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return fmt::format("the port {:?} is not a number from 1 to 65535", port);
  }
  unsigned long number = std::stoul(std::string(port));
  if (number < 1 || number > 65535) {
    return fmt::format("the port {} is out of range: a port is 1-65535", number);
  }
  value = static_cast<std::uint16_t>(number);
  return "";
}

} // namespace

std::string
ApiEndpoint::authority() const {
  std::string text = ipv6 ? "[" + host + "]" : host;
  if (port) {
    text += ":" + std::to_string(*port);
  }
  return text;
}

std::string
ApiEndpoint::url() const {
  return "https://" + authority();
}

std::string
redact_userinfo(std::string_view text) {
  size_t at = text.rfind('@');
  if (at == std::string_view::npos) {
    return std::string(text);
  }
  return "<redacted>" + std::string(text.substr(at));
}

Result<ApiEndpoint>
parse_api_endpoint(std::string_view text) {
  // User information first, so that no other message echoes it.
  if (text.find('@') != std::string_view::npos) {
    return invalid(redact_userinfo(text),
                   "an endpoint has no user name or password (\"user:password@\"): register "
                   "authenticates with the bootstrap token");
  }
  std::string_view rest = text;
  if (size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    std::string scheme(rest.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    if (scheme == "http") {
      return invalid(text,
                     "http:// is refused: the Karmada API server is reached over HTTPS only, "
                     "and the bootstrap token is never sent in the clear");
    }
    if (scheme != "https") {
      return invalid(text, fmt::format("the scheme {:?} is not supported (only https://)", scheme));
    }
    rest.remove_prefix(scheme_end + 3);
  }
  if (rest.ends_with('/') && rest.find('/') == rest.size() - 1) {
    rest.remove_suffix(1); // "https://host:port/", as a browser shows it
  }
  if (size_t extra = rest.find_first_of("/?#"); extra != std::string_view::npos) {
    return invalid(text,
                   fmt::format("{:?} is not part of an endpoint (no path, query or fragment)",
                               rest.substr(extra)));
  }
  if (rest.empty()) {
    return invalid(text, "no host");
  }

  ApiEndpoint endpoint;
  std::string_view port;
  bool has_port = false;
  if (rest.starts_with('[')) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return invalid(text, "\"[\" without \"]\": write an IPv6 address as [<address>]:<port>");
    }
    endpoint.host = std::string(rest.substr(1, close - 1));
    endpoint.ipv6 = true;
    if (endpoint.host.find('%') != std::string::npos) {
      return invalid(text, "IPv6 zone identifiers (\"%<interface>\") are not supported");
    }
    if (!is_ipv6(endpoint.host)) {
      return invalid(text, fmt::format("{:?} is not an IPv6 address", endpoint.host));
    }
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) {
        return invalid(
            text, fmt::format("{:?} after \"]\" is not a port (write [<address>]:<port>)", after));
      }
      port = after.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      return invalid(text,
                     "an IPv6 address needs brackets around it: [<address>]:<port>, e.g. "
                     "[fd00::10]:32443");
    }
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      if (endpoint.host.empty()) {
        return invalid(text, "no host before \":\"");
      }
      port = rest.substr(colon + 1);
      has_port = true;
    }
    if (std::string problem = host_problem(endpoint.host); !problem.empty()) {
      return invalid(text, problem);
    }
  }
  if (has_port) {
    std::uint16_t value = 0;
    if (std::string problem = port_problem(port, value); !problem.empty()) {
      return invalid(text, problem);
    }
    endpoint.port = value;
  }
  return endpoint;
}

} // namespace kctl::karmada
