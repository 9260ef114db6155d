// X.509 certificates: creation (self-signed CAs, CA-signed leaves), PEM in and out, inspection and
// chain verification.
#pragma once

#include "pki/key.hpp"
#include "util/result.hpp"

#include <openssl/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki {

// --- Interface ---

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Validity of CAs upstream creates (client-go NewSelfSignedCACert); `--cert-validity-period` does
// not change it.
inline constexpr std::chrono::seconds k_ca_validity = std::chrono::hours(24 * 365 * 10);
// Default validity of leaf certificates (`--cert-validity-period` 8760h).
inline constexpr std::chrono::seconds k_default_leaf_validity = std::chrono::hours(8760);

// X.509 key usage bits this library sets and reports.
enum class KeyUsage { digital_signature, key_encipherment, cert_sign, crl_sign };
// Extended key usages: TLS server and TLS client authentication.
enum class ExtKeyUsage { server_auth, client_auth };
// Whether the basic-constraints extension says CA:TRUE.
enum class CertKind { leaf, ca };

// Subject alternative names. IP addresses are text (IPv4 dotted or IPv6); reading a certificate
// back yields them in canonical form ("::1", not "0:0::1").
struct AltNames {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

// Everything that goes into a certificate besides keys and serial. Pure data.
struct CertConfig {
  std::string common_name;
  // Each becomes one O attribute (e.g. {"system:masters"}). Like Go, several share one
  // multi-valued RDN, whose DER encoding sorts them: they read back in that order.
  std::vector<std::string> organizations;
  AltNames alt_names;
  std::vector<KeyUsage> key_usages = {KeyUsage::digital_signature, KeyUsage::key_encipherment};
  std::vector<ExtKeyUsage> ext_key_usages;
  CertKind kind = CertKind::leaf;
  TimePoint not_before{};
  TimePoint not_after{};
};

// An X.509 certificate. Copies share one immutable OpenSSL object.
class Certificate {
public:
  // Wraps `x509`, which must not be null.
  explicit Certificate(std::shared_ptr<X509> x509);

  // The DER encoding.
  Result<std::string> to_der() const;
  // PEM "CERTIFICATE".
  Result<std::string> to_pem() const;
  // The subject public key.
  PublicKey public_key() const;
  // The underlying handle, for the rest of src/pki; ownership stays here.
  X509* native() const { return m_x509.get(); }

private:
  std::shared_ptr<X509> m_x509;
};

// What a certificate says, decoded for display and checks.
struct CertInfo {
  std::string subject;     // RFC 2253, e.g. "CN=system:admin,O=system:masters"
  std::string common_name; // first CN, or empty
  std::vector<std::string> organizations;
  std::string issuer;             // RFC 2253
  std::string issuer_common_name; // first CN of the issuer, or empty
  std::string serial_hex;         // upper-case hex, as `openssl x509 -serial` prints it
  AltNames alt_names;
  TimePoint not_before{};
  TimePoint not_after{};
  bool is_ca = false;
  std::vector<KeyUsage> key_usages;
  std::vector<ExtKeyUsage> ext_key_usages;
};

// A certificate and its private key.
struct CertKeyPair {
  Certificate cert;
  PrivateKey key;
};

// The config upstream uses for a CA named `common_name`: key usages digital signature, key
// encipherment and cert sign, CA basic constraint, SAN DNS = `common_name`, valid from `now` for
// `validity`.
CertConfig
ca_config(std::string common_name, TimePoint now, std::chrono::seconds validity = k_ca_validity);

// Creates a certificate for `key` signed by itself from `config` (normally a CA config). Fails on
// an invalid config (empty validity window, malformed IP address) or an OpenSSL failure.
Result<Certificate> create_self_signed_certificate(const CertConfig& config, const PrivateKey& key);

// Creates a certificate for `subject_key` from `config`, signed by `ca_cert`/`ca_key`. Fails when
// `ca_key` does not belong to `ca_cert`, when `ca_cert` is not a CA, or on an invalid config.
// Serial numbers are random, positive and 127 bits long.
Result<Certificate> sign_certificate(const CertConfig& config,
                                     const PublicKey& subject_key,
                                     const Certificate& ca_cert,
                                     const PrivateKey& ca_key);

// Reads the first "CERTIFICATE" block of `pem`; errors name `source`.
Result<Certificate> parse_certificate_pem(std::string_view pem, std::string_view source);
// Reads every "CERTIFICATE" block of `pem` (a bundle); fails if there is none. Errors name
// `source`.
Result<std::vector<Certificate>> parse_certificates_pem(std::string_view pem,
                                                        std::string_view source);
// Concatenates the PEM of `certs`.
Result<std::string> encode_certificates_pem(std::span<const Certificate> certs);

// Decodes subject, issuer, SANs, validity, CA flag and usages of `cert`.
CertInfo inspect(const Certificate& cert);

// Whole days from `now` until `cert` expires, rounded down; negative once it has expired.
long days_until_expiry(const Certificate& cert, TimePoint now = Clock::now());

// True when `key` is the private key of `cert`.
bool matches_key(const Certificate& cert, const PrivateKey& key);

// True when `ca` issued `cert`: the issuer name matches `ca`'s subject and `ca`'s public key
// verifies the signature. Validity periods and usages are not checked (see verify_certificate).
bool is_signed_by(const Certificate& cert, const Certificate& ca);

// Verifies with OpenSSL's X509_verify_cert that `cert` chains to one of `roots`, possibly through
// `intermediates`, at time `at` (now when unset). As with Go's root pools, a root need not be
// self-signed: any certificate in `roots` is a trust anchor. The error carries OpenSSL's verdict,
// e.g. "certificate has expired" or "unable to get local issuer certificate".
Status verify_certificate(const Certificate& cert,
                          std::span<const Certificate> roots,
                          std::span<const Certificate> intermediates = {},
                          std::optional<TimePoint> at = std::nullopt);

// Text forms for messages and tables: "digital signature", "server auth", ...
std::string_view to_string(KeyUsage usage);
std::string_view to_string(ExtKeyUsage usage);

} // namespace kctl::pki
