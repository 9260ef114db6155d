// CA public-key pins as kubeadm and karmadactl use them: "sha256:<hex>" of the DER
// SubjectPublicKeyInfo (`--discovery-token-ca-cert-hash`).
#pragma once

#include "pki/certificate.hpp"
#include "util/result.hpp"

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki {

// --- Interface ---

// "sha256:" + lower-case hex SHA-256 of `cert`'s SubjectPublicKeyInfo, as kubeadm's pubkeypin.Hash
// computes it.
Result<std::string> ca_pin(const Certificate& cert);

// The pins of `certs`, in order (the `--discovery-token-ca-cert-hash` values a join command
// prints for a CA bundle).
Result<std::vector<std::string>> ca_pins(std::span<const Certificate> certs);

// A set of accepted pins.
class PinSet {
public:
  // Parses `values`, each "sha256:<64 hex digits>" (format and hex case-insensitive). Fails on the
  // first malformed value, naming it.
  static Result<PinSet> parse(std::span<const std::string> values);

  // Adds one pin in the syntax of parse().
  Status allow(std::string_view value);
  // Succeeds when any of `certs` has a pinned public key; the error lists the pins of all of them.
  Status check_any(std::span<const Certificate> certs) const;
  // True when no pin has been allowed yet.
  bool empty() const { return m_sha256.empty(); }

private:
  std::set<std::string> m_sha256; // lower-case hex digests
};

} // namespace kctl::pki
