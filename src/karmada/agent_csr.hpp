// Getting a Karmada API server client certificate the way register does: a new key, a
// CertificateSigningRequest sent with the bootstrap token, then waiting until karmada's agent CSR
// approver approves it and the signer issues the certificate. Each way of not getting one
// (denied, failed, approved but never signed, never approved) says what to do.
#pragma once

#include "kube/client.hpp"
#include "pki/key.hpp"
#include "util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace kctl::karmada {

struct CertificateRequestSpec {
  std::string name; // of the CSR object
  std::string common_name;
  std::string organization;
  std::int64_t expiration_seconds = 31536000;
  std::chrono::nanoseconds timeout = std::chrono::minutes(5);
  std::string karmada_hint; // how the operator reaches the control plane, for messages
  // The key to certify; an RSA 2048 key is generated when none is given (callers that make
  // several requests generate theirs beforehand, in parallel, off the critical path).
  std::optional<pki::PrivateKey> key;
};

struct IssuedCertificate {
  std::string certificate_pem;
  std::string key_pem;
};

// Creates the CSR through `client` and waits for its certificate. `status` is told what it waits
// for.
Result<IssuedCertificate>
request_certificate(const kube::Client& client,
                    const CertificateRequestSpec& spec,
                    const std::function<void(const std::string&)>& status = {});

// The ref of CSR `name`.
kube::ResourceRef csr_ref(std::string name = {});

// A random suffix of 5 lower-case letters and digits (as upstream names its CSRs).
Result<std::string> random_suffix();

} // namespace kctl::karmada
