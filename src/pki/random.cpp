#include "pki/random.hpp"

#include "pki/openssl.hpp"

#include <openssl/rand.h>

#include <climits>

namespace kctl::pki {

Status
random_bytes(std::span<unsigned char> out) {
  if (out.size() > static_cast<std::size_t>(INT_MAX) ||
      RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return ossl::fail_openssl("cannot read the system's secure random source");
  }
  return {};
}

} // namespace kctl::pki
