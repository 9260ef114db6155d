// PKCS#10 certificate signing requests: create, parse, inspect, and sign with a CA.
#pragma once

#include "pki/certificate.hpp"
#include "pki/key.hpp"
#include "util/result.hpp"

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki {

// --- Interface ---

// What a CSR asks for: a subject and SANs (sent as an extensionRequest attribute, as Go does).
struct CsrConfig {
  std::string common_name;
  std::vector<std::string> organizations;
  AltNames alt_names;
};

// A PKCS#10 request. Copies share one immutable OpenSSL object.
class CertificateRequest {
public:
  // Wraps `request`, which must not be null.
  explicit CertificateRequest(std::shared_ptr<X509_REQ> request);

  // PEM "CERTIFICATE REQUEST", the form a Kubernetes CertificateSigningRequest carries.
  Result<std::string> to_pem() const;
  // The requested public key.
  PublicKey public_key() const;
  // The underlying handle, for the rest of src/pki; ownership stays here.
  X509_REQ* native() const { return m_request.get(); }

private:
  std::shared_ptr<X509_REQ> m_request;
};

// Creates a request for `key` with the subject and SANs of `config`, signed with `key` (SHA-256).
Result<CertificateRequest> create_csr(const CsrConfig& config, const PrivateKey& key);

// Reads the first "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST") block of `pem` and checks
// its self-signature; errors name `source`.
Result<CertificateRequest> parse_csr_pem(std::string_view pem, std::string_view source);

// The subject and SANs a request asks for.
CsrConfig inspect_csr(const CertificateRequest& request);

// Issues a certificate for `request`, signed by `ca_cert`/`ca_key`. The subject and SANs come from
// the request; usages, kind and validity from `policy` (its name and SAN fields are ignored), the
// way a Kubernetes signer decides usages itself rather than trusting the request.
Result<Certificate> sign_csr(const CertificateRequest& request,
                             CertConfig policy,
                             const Certificate& ca_cert,
                             const PrivateKey& ca_key);

} // namespace kctl::pki
