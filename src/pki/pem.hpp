// PEM framing (RFC 7468) shared by keys, certificates and CSRs. Internal to src/pki.
#pragma once

#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki {

// One decoded "-----BEGIN <type>-----" block.
struct PemBlock {
  std::string type;    // e.g. "CERTIFICATE", "RSA PRIVATE KEY"
  std::string headers; // RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED"; usually empty
  std::string der;     // the decoded body
};

// Decodes every PEM block in `text`, skipping text between blocks the way Go's pem.Decode does.
// Returns an empty list when `text` holds no block; fails when a block is malformed (bad base64,
// missing end line).
Result<std::vector<PemBlock>> decode_pem(std::string_view text);

// Encodes `der` as one PEM block of `type`, with 64-column lines and a trailing newline.
std::string encode_pem(std::string_view type, std::string_view der);

} // namespace kctl::pki
