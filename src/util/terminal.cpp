#include "util/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kctl::terminal {

namespace {

enum class Breaks { keep, escape };

bool
is_continuation(unsigned c) {
  return c >= 0x80 && c <= 0xbf;
}

// The length of the well-formed UTF-8 sequence starting at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when the byte there does not start one.
std::size_t
utf8_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) -> unsigned {
    return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0U;
  };
  unsigned lead = byte(0);
  if (lead >= 0xc2 && lead <= 0xdf) {
    return is_continuation(byte(1)) ? 2 : 0;
  }
  if (lead >= 0xe0 && lead <= 0xef) {
    unsigned low = lead == 0xe0 ? 0xa0 : 0x80;
    unsigned high = lead == 0xed ? 0x9f : 0xbf;
    return byte(1) >= low && byte(1) <= high && is_continuation(byte(2)) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    unsigned low = lead == 0xf0 ? 0x90 : 0x80;
    unsigned high = lead == 0xf4 ? 0x8f : 0xbf;
    return byte(1) >= low && byte(1) <= high && is_continuation(byte(2)) && is_continuation(byte(3))
               ? 4
               : 0;
  }
  return 0;
}

bool
needs_work(std::string_view text, Breaks breaks) {
  return std::any_of(text.begin(), text.end(), [&](char ch) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\t') {
      return breaks == Breaks::escape;
    }
    return c < 0x20 || c >= 0x7f; // controls, and anything not ASCII (looked at closely below)
  });
}

std::string
escape_text(std::string_view text, Breaks breaks) {
  if (!needs_work(text, breaks)) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n' || c == '\t') {
        if (breaks == Breaks::keep) {
          out += static_cast<char>(c);
        } else {
          out += c == '\n' ? "\\n" : "\\t";
        }
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        // Caret notation: ESC (0x1b) is "^[", as kubectl writes it; DEL is "^?".
        out += '^';
        out += static_cast<char>(c ^ 0x40);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::size_t length = utf8_length(text, i);
    if (length == 0) {
      if (c <= 0x9f) {
        out += fmt::format("\\x{:02x}", c);
      } else {
        out += static_cast<char>(c); // a stray Latin-1 letter: printable, left as it is
      }
      ++i;
      continue;
    }
    auto second = static_cast<unsigned char>(text[i + 1]);
    if (length == 2 && c == 0xc2 && second <= 0x9f) {
      out += fmt::format("\\u{:04x}", second); // C1: U+0080-U+009F
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

} // namespace

std::string
escape(std::string_view text) {
  return escape_text(text, Breaks::keep);
}

std::string
escape_line(std::string_view text) {
  return escape_text(text, Breaks::escape);
}

std::string
escape_cell(std::string_view text) {
  std::size_t cut = text.find_first_of("\n\r\f");
  if (cut == std::string_view::npos) {
    return escape_line(text);
  }
  return escape_line(text.substr(0, cut)) + "...";
}

} // namespace kctl::terminal
