// Byte encodings used by kubeconfigs, Secrets and JWS.
#pragma once

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace kctl::encoding {

// Standard base64 with padding (Secret data, kubeconfig *-data fields).
std::string base64_encode(std::string_view bytes);
// Decodes standard base64; whitespace is ignored, anything else invalid is an error.
Result<std::string> base64_decode(std::string_view text);
// URL-safe base64 without padding (JWS, RFC 7515).
std::string base64url_encode(std::string_view bytes);
Result<std::string> base64url_decode(std::string_view text);
// Lower-case hexadecimal.
std::string hex_encode(std::string_view bytes);

} // namespace kctl::encoding
