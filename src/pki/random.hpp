// Cryptographically secure random bytes (OpenSSL's generator), for code outside src/pki that must
// not reach OpenSSL itself (bootstrap tokens).
#pragma once

#include "util/result.hpp"

#include <cstddef>
#include <span>

namespace kctl::pki {

// Fills `out` from the system's secure random source; an error when it cannot be read.
Status random_bytes(std::span<unsigned char> out);

} // namespace kctl::pki
