#include "pki/jws.hpp"

#include "pki/openssl.hpp"
#include "util/encoding.hpp"
#include "util/json.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace kctl::pki {

namespace {

Result<std::string>
hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t length = 0;
  // An empty secret is legal HMAC input; give OpenSSL a valid pointer with zero length.
  static const unsigned char empty = 0;
  const auto* key_bytes = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_Q_mac(nullptr,
                "HMAC",
                nullptr,
                "SHA256",
                nullptr,
                key_bytes,
                key.size(),
                reinterpret_cast<const unsigned char*>(data.data()),
                data.size(),
                mac,
                sizeof mac,
                &length) == nullptr) {
    return ossl::fail_openssl("cannot compute HMAC-SHA256");
  }
  return std::string(reinterpret_cast<const char*>(mac), length);
}

} // namespace

std::string
jws_header(std::string_view token_id) {
  // nlohmann escapes the id the way Go's encoding/json would for any token id the bootstrap-token
  // format allows ([a-z0-9]{6}).
  Json header = {{"alg", "HS256"}, {"kid", std::string(token_id)}};
  return header.dump();
}

Result<std::string>
compute_detached_jws(std::string_view content,
                     std::string_view token_id,
                     std::string_view token_secret) {
  std::string protected_header = encoding::base64url_encode(jws_header(token_id));
  std::string signing_input = protected_header + "." + encoding::base64url_encode(content);
  KCTL_TRY_ASSIGN(std::string mac, hmac_sha256(token_secret, signing_input));
  return protected_header + ".." + encoding::base64url_encode(mac);
}

bool
detached_jws_is_valid(std::string_view detached,
                      std::string_view content,
                      std::string_view token_id,
                      std::string_view token_secret) {
  auto expected = compute_detached_jws(content, token_id, token_secret);
  if (!expected || expected->size() != detached.size()) {
    return false;
  }
  return CRYPTO_memcmp(expected->data(), detached.data(), detached.size()) == 0;
}

} // namespace kctl::pki
