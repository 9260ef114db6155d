// Private and public keys: generation (RSA, ECDSA P-256), PEM in and out.
#pragma once

#include "util/result.hpp"

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace kctl::pki {

// --- Interface ---

// The key size upstream karmadactl init uses for every key (cmdinit/cert/cert.go).
inline constexpr int k_default_rsa_bits = 3072;

// `other` only describes keys found in certificates made elsewhere (e.g. Ed25519); this library
// neither generates nor loads such private keys.
enum class KeyAlgorithm { rsa, ecdsa, other };

// What to generate: RSA of `rsa_bits`, or ECDSA on P-256 (`other` is refused).
struct KeySpec {
  KeyAlgorithm algorithm = KeyAlgorithm::rsa;
  int rsa_bits = k_default_rsa_bits;
};

// A public key (SubjectPublicKeyInfo). Copies share one immutable OpenSSL object.
class PublicKey {
public:
  // Wraps `pkey`, which must not be null.
  explicit PublicKey(std::shared_ptr<EVP_PKEY> pkey);

  // RSA, ECDSA, or `other` for keys taken from foreign certificates.
  KeyAlgorithm algorithm() const;
  // Modulus size for RSA, curve size for ECDSA.
  int bits() const;
  // The DER SubjectPublicKeyInfo, the bytes kubeadm's CA pin hashes.
  Result<std::string> to_der() const;
  // PEM "PUBLIC KEY" (PKIX), the format of service-account verification keys.
  Result<std::string> to_pem() const;
  // The underlying handle, for the rest of src/pki; ownership stays here.
  EVP_PKEY* native() const { return m_pkey.get(); }

private:
  std::shared_ptr<EVP_PKEY> m_pkey;
};

// A private key. Copies share one immutable OpenSSL object.
class PrivateKey {
public:
  // Wraps `pkey`, which must not be null and must hold private material.
  explicit PrivateKey(std::shared_ptr<EVP_PKEY> pkey);

  // RSA or ECDSA (nothing else is generated or loaded).
  KeyAlgorithm algorithm() const;
  // Modulus size for RSA, curve size for ECDSA.
  int bits() const;
  // The matching public key.
  PublicKey public_key() const;
  // PEM in the format client-go's keyutil writes: PKCS#1 "RSA PRIVATE KEY" for RSA, SEC1 "EC
  // PRIVATE KEY" for ECDSA.
  Result<std::string> to_pem() const;
  // PEM PKCS#8 "PRIVATE KEY", for consumers that want the generic form.
  Result<std::string> to_pkcs8_pem() const;
  // The underlying handle, for the rest of src/pki; ownership stays here.
  EVP_PKEY* native() const { return m_pkey.get(); }

private:
  std::shared_ptr<EVP_PKEY> m_pkey;
};

// Generates a key as `spec` says; fails when the RSA size is outside 2048..8192.
Result<PrivateKey> generate_key(const KeySpec& spec);
// Generates an RSA key of `bits` (default 3072, as upstream).
Result<PrivateKey> generate_rsa_key(int bits = k_default_rsa_bits);
// Generates an ECDSA key on NIST P-256.
Result<PrivateKey> generate_ecdsa_p256_key();

// Reads the first private key in `pem`: PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#8
// "PRIVATE KEY"; other blocks (e.g. "EC PARAMETERS") are skipped. Encrypted keys and key kinds
// other than RSA and ECDSA are refused. Errors name `source` (usually the file name).
Result<PrivateKey> parse_private_key_pem(std::string_view pem, std::string_view source);

// Reads the first "PUBLIC KEY" block of `pem` (RSA or ECDSA). Errors name `source`.
Result<PublicKey> parse_public_key_pem(std::string_view pem, std::string_view source);

// True when `a` and `b` are the same public key.
bool same_public_key(const PublicKey& a, const PublicKey& b);

} // namespace kctl::pki
