#include "pki/key.hpp"

#include "pki/openssl.hpp"
#include "pki/pem.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace kctl::pki {

namespace {

constexpr int k_min_rsa_bits = 2048;
constexpr int k_max_rsa_bits = 8192;

KeyAlgorithm
algorithm_of(const EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
  case EVP_PKEY_RSA:
    return KeyAlgorithm::rsa;
  case EVP_PKEY_EC:
    return KeyAlgorithm::ecdsa;
  default:
    return KeyAlgorithm::other;
  }
}

bool
is_supported(const EVP_PKEY* pkey) {
  int id = EVP_PKEY_get_base_id(pkey);
  return id == EVP_PKEY_RSA || id == EVP_PKEY_EC;
}

std::shared_ptr<EVP_PKEY>
share(ossl::PkeyPtr pkey) {
  return std::shared_ptr<EVP_PKEY>(std::move(pkey));
}

// Runs an i2d_* encoder into a std::string.
template <class T, class Encoder>
Result<std::string>
to_der_with(T* object, Encoder encode, std::string_view what) {
  unsigned char* out = nullptr;
  int length = encode(object, &out);
  if (length <= 0 || out == nullptr) {
    return ossl::fail_openssl(fmt::format("cannot encode {}", what));
  }
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
  OPENSSL_free(out);
  return der;
}

// Decodes one private-key PEM block body according to its `type`.
Result<ossl::PkeyPtr>
decode_private_key(const PemBlock& block) {
  const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
  const auto* end = p + block.der.size();
  long length = static_cast<long>(block.der.size());
  ossl::PkeyPtr pkey;
  if (block.type == "RSA PRIVATE KEY") {
    pkey.reset(d2i_PrivateKey(EVP_PKEY_RSA, nullptr, &p, length));
  } else if (block.type == "EC PRIVATE KEY") {
    pkey.reset(d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, length));
  } else {
    pkey.reset(d2i_AutoPrivateKey(nullptr, &p, length));
  }
  if (!pkey) {
    return ossl::fail_openssl(fmt::format("invalid {}", block.type));
  }
  if (p != end) {
    return failf("invalid {}: trailing data after the key", block.type);
  }
  if (!is_supported(pkey.get())) {
    return failf("unsupported key type {} (only RSA and ECDSA keys are supported)",
                 EVP_PKEY_get0_type_name(pkey.get()));
  }
  return pkey;
}

bool
is_private_key_type(std::string_view type) {
  return type == "RSA PRIVATE KEY" || type == "EC PRIVATE KEY" || type == "PRIVATE KEY" ||
         type == "ENCRYPTED PRIVATE KEY";
}

Result<PrivateKey>
parse_private_key_blocks(std::string_view pem) {
  KCTL_TRY_ASSIGN(std::vector<PemBlock> blocks, decode_pem(pem));
  for (const PemBlock& block : blocks) {
    if (!is_private_key_type(block.type)) {
      continue;
    }
    if (block.type == "ENCRYPTED PRIVATE KEY" ||
        block.headers.find("ENCRYPTED") != std::string::npos) {
      return fail("encrypted private keys are not supported");
    }
    KCTL_TRY_ASSIGN(ossl::PkeyPtr pkey, decode_private_key(block));
    return PrivateKey(share(std::move(pkey)));
  }
  return fail(blocks.empty() ? "no PEM data found" : "no private key PEM block found");
}

Result<PublicKey>
parse_public_key_blocks(std::string_view pem) {
  KCTL_TRY_ASSIGN(std::vector<PemBlock> blocks, decode_pem(pem));
  for (const PemBlock& block : blocks) {
    if (block.type != "PUBLIC KEY") {
      continue;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
    ossl::PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(block.der.size())));
    if (!pkey) {
      return ossl::fail_openssl("invalid PUBLIC KEY");
    }
    if (!is_supported(pkey.get())) {
      return fail("unsupported key type (only RSA and ECDSA keys are supported)");
    }
    return PublicKey(share(std::move(pkey)));
  }
  return fail(blocks.empty() ? "no PEM data found" : "no PUBLIC KEY PEM block found");
}

} // namespace

PublicKey::PublicKey(std::shared_ptr<EVP_PKEY> pkey) : m_pkey(std::move(pkey)) {}

KeyAlgorithm
PublicKey::algorithm() const {
  return algorithm_of(m_pkey.get());
}

int
PublicKey::bits() const {
  return EVP_PKEY_get_bits(m_pkey.get());
}

Result<std::string>
PublicKey::to_der() const {
  return to_der_with(m_pkey.get(), i2d_PUBKEY, "public key");
}

Result<std::string>
PublicKey::to_pem() const {
  KCTL_TRY_ASSIGN(std::string der, to_der());
  return encode_pem("PUBLIC KEY", der);
}

PrivateKey::PrivateKey(std::shared_ptr<EVP_PKEY> pkey) : m_pkey(std::move(pkey)) {}

KeyAlgorithm
PrivateKey::algorithm() const {
  return algorithm_of(m_pkey.get());
}

int
PrivateKey::bits() const {
  return EVP_PKEY_get_bits(m_pkey.get());
}

PublicKey
PrivateKey::public_key() const {
  return PublicKey(m_pkey);
}

Result<std::string>
PrivateKey::to_pem() const {
  // i2d_PrivateKey writes the "traditional" type-specific form: PKCS#1 for RSA, SEC1 for EC.
  KCTL_TRY_ASSIGN(std::string der, to_der_with(m_pkey.get(), i2d_PrivateKey, "private key"));
  return encode_pem(algorithm() == KeyAlgorithm::rsa ? "RSA PRIVATE KEY" : "EC PRIVATE KEY", der);
}

Result<std::string>
PrivateKey::to_pkcs8_pem() const {
  ossl::Pkcs8Ptr info(EVP_PKEY2PKCS8(m_pkey.get()));
  if (!info) {
    return ossl::fail_openssl("cannot encode private key as PKCS#8");
  }
  KCTL_TRY_ASSIGN(std::string der, to_der_with(info.get(), i2d_PKCS8_PRIV_KEY_INFO, "private key"));
  return encode_pem("PRIVATE KEY", der);
}

Result<PrivateKey>
generate_key(const KeySpec& spec) {
  switch (spec.algorithm) {
  case KeyAlgorithm::rsa:
    return generate_rsa_key(spec.rsa_bits);
  case KeyAlgorithm::ecdsa:
    return generate_ecdsa_p256_key();
  case KeyAlgorithm::other:
    break;
  }
  return fail("only RSA and ECDSA keys can be generated");
}

Result<PrivateKey>
generate_rsa_key(int bits) {
  if (bits < k_min_rsa_bits || bits > k_max_rsa_bits) {
    return failf("rsa key size {} is outside {}..{}", bits, k_min_rsa_bits, k_max_rsa_bits);
  }
  ossl::PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  if (!pkey) {
    return ossl::fail_openssl("cannot generate rsa key");
  }
  return PrivateKey(share(std::move(pkey)));
}

Result<PrivateKey>
generate_ecdsa_p256_key() {
  ossl::PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!pkey) {
    return ossl::fail_openssl("cannot generate ecdsa key");
  }
  return PrivateKey(share(std::move(pkey)));
}

Result<PrivateKey>
parse_private_key_pem(std::string_view pem, std::string_view source) {
  return with_context(parse_private_key_blocks(pem),
                      fmt::format("cannot parse private key from {}", source));
}

Result<PublicKey>
parse_public_key_pem(std::string_view pem, std::string_view source) {
  return with_context(parse_public_key_blocks(pem),
                      fmt::format("cannot parse public key from {}", source));
}

bool
same_public_key(const PublicKey& a, const PublicKey& b) {
  return EVP_PKEY_eq(a.native(), b.native()) == 1;
}

} // namespace kctl::pki
