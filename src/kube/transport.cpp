#include "kube/transport.hpp"

#include <fmt/format.h>

namespace kctl::kube {

std::string_view
http_method(Verb verb) {
  switch (verb) {
  case Verb::create:
    return "POST";
  case Verb::update:
    return "PUT";
  case Verb::patch:
  case Verb::apply:
    return "PATCH";
  case Verb::remove:
    return "DELETE";
  case Verb::get:
  case Verb::list:
  case Verb::watch:
  case Verb::raw_get:
    return "GET";
  }
  return "GET";
}

bool
is_write(Verb verb) {
  switch (verb) {
  case Verb::create:
  case Verb::update:
  case Verb::patch:
  case Verb::apply:
  case Verb::remove:
    return true;
  case Verb::get:
  case Verb::list:
  case Verb::watch:
  case Verb::raw_get:
    return false;
  }
  return false;
}

std::string_view
write_word(Verb verb) {
  switch (verb) {
  case Verb::create:
    return "CREATE";
  case Verb::update:
    return "UPDATE";
  case Verb::patch:
    return "PATCH";
  case Verb::apply:
    return "APPLY";
  case Verb::remove:
    return "DELETE";
  case Verb::get:
  case Verb::list:
  case Verb::watch:
  case Verb::raw_get:
    return "GET";
  }
  return "GET";
}

Status
check_header_value(std::string_view value, std::string_view source) {
  auto bad = value.find_first_of(std::string_view("\r\n\0", 3));
  if (bad == std::string_view::npos) {
    return {};
  }
  std::string_view what = value[bad] == '\r'   ? "a carriage return (CR)"
                          : value[bad] == '\n' ? "a line feed (LF)"
                                               : "a NUL byte";
  return failf("{} contains {} at position {}; it is not sent as an HTTP header (check for a "
               "stray newline or a file with several lines)",
               source,
               what,
               bad);
}

std::optional<std::string>
Response::header(std::string_view name) const {
  for (const auto& entry : headers) {
    if (entry.name == name) {
      return entry.value;
    }
  }
  return std::nullopt;
}

} // namespace kctl::kube
