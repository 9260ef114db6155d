#include "pki/pin.hpp"

#include "pki/openssl.hpp"
#include "util/encoding.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace kctl::pki {

namespace {

constexpr size_t k_sha256_hex_length = 64;
constexpr std::string_view k_sha256_prefix = "sha256:";

std::string
lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

bool
is_hex(std::string_view text) {
  return std::all_of(
      text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

Result<std::string>
sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return ossl::fail_openssl("cannot compute sha256");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

} // namespace

Result<std::string>
ca_pin(const Certificate& cert) {
  KCTL_TRY_ASSIGN(std::string spki, cert.public_key().to_der());
  KCTL_TRY_ASSIGN(std::string digest, sha256(spki));
  return std::string(k_sha256_prefix) + encoding::hex_encode(digest);
}

Result<std::vector<std::string>>
ca_pins(std::span<const Certificate> certs) {
  std::vector<std::string> pins;
  for (const Certificate& cert : certs) {
    KCTL_TRY_ASSIGN(std::string pin, ca_pin(cert));
    pins.push_back(std::move(pin));
  }
  return pins;
}

Result<PinSet>
PinSet::parse(std::span<const std::string> values) {
  PinSet pins;
  for (const std::string& value : values) {
    KCTL_TRY(pins.allow(value));
  }
  return pins;
}

Status
PinSet::allow(std::string_view value) {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || value.find(':', colon + 1) != std::string_view::npos) {
    return failf("invalid CA cert hash \"{}\": expected \"sha256:<hex>\"", value);
  }
  std::string_view format = value.substr(0, colon);
  std::string_view digest = value.substr(colon + 1);
  if (lower(format) != "sha256") {
    return failf(
        "invalid CA cert hash \"{}\": unknown format \"{}\" (known: sha256)", value, format);
  }
  if (digest.size() != k_sha256_hex_length || !is_hex(digest)) {
    return failf("invalid CA cert hash \"{}\": expected {} hex digits", value, k_sha256_hex_length);
  }
  m_sha256.insert(lower(digest));
  return {};
}

Status
PinSet::check_any(std::span<const Certificate> certs) const {
  std::string seen;
  for (const Certificate& cert : certs) {
    KCTL_TRY_ASSIGN(std::string pin, ca_pin(cert));
    // ca_pin always starts with the prefix; slicing by its length (not by find(':')) also keeps
    // g++ 12 at -O3 from a false -Wstringop-overread on the inlined memchr.
    if (m_sha256.contains(pin.substr(k_sha256_prefix.size()))) {
      return {};
    }
    seen += seen.empty() ? pin : ", " + pin;
  }
  return failf("none of the CA public keys [{}] matches a --discovery-token-ca-cert-hash", seen);
}

} // namespace kctl::pki
