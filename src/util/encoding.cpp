#include "util/encoding.hpp"

#include <array>
#include <cstdint>

namespace kctl::encoding {

namespace {

constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string
encode(std::string_view bytes, bool url_safe) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += k_alphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = byte(i) << 16;
    if (rest == 2) {
      n |= byte(i + 1) << 8;
    }
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += rest == 2 ? k_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  if (url_safe) {
    for (char& c : out) {
      c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    while (!out.empty() && out.back() == '=') {
      out.pop_back();
    }
  }
  return out;
}

Result<std::string>
decode(std::string_view text, bool url_safe) {
  std::array<int, 256> table{};
  table.fill(-1);
  for (size_t k = 0; k < k_alphabet.size(); ++k) {
    table[static_cast<unsigned char>(k_alphabet[k])] = static_cast<int>(k);
  }
  if (url_safe) {
    table['-'] = 62;
    table['_'] = 63;
    table['+'] = -1;
    table['/'] = -1;
  }
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    }
    if (c == '=') {
      padding = true;
      continue;
    }
    int value = table[static_cast<unsigned char>(c)];
    if (value < 0 || padding) {
      return fail("illegal base64 data");
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if (bits >= 6) {
    return fail("illegal base64 data: truncated");
  }
  return out;
}

} // namespace

std::string
base64_encode(std::string_view bytes) {
  return encode(bytes, false);
}

Result<std::string>
base64_decode(std::string_view text) {
  return decode(text, false);
}

std::string
base64url_encode(std::string_view bytes) {
  return encode(bytes, true);
}

Result<std::string>
base64url_decode(std::string_view text) {
  return decode(text, true);
}

std::string
hex_encode(std::string_view bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

} // namespace kctl::encoding
