// Certificates as data: a list of CertSpec describes a PKI tree (CAs and the leaves they sign),
// one generic function issues it, another writes it. The list upstream `init` needs lives with the
// init command; this is the mechanism (cf. kubeadm's certlist.go).
#pragma once

#include "pki/certificate.hpp"
#include "pki/key.hpp"
#include "util/result.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki {

// --- Interface ---

// One certificate to issue.
struct CertSpec {
  std::string name; // files <name>.crt/<name>.key; what `ca` of others names
  std::string ca;   // the issuing spec's name; empty for a self-signed CA
  std::string common_name;
  std::vector<std::string> organizations;
  std::vector<ExtKeyUsage> usages; // leaves only
  AltNames alt_names;              // leaves only; a CA always gets DNS:<common_name>
};

// How to issue a tree.
struct CertTreeOptions {
  KeySpec key;                                                  // for every generated key
  std::chrono::seconds leaf_validity = k_default_leaf_validity; // `--cert-validity-period`
  std::chrono::seconds ca_validity = k_ca_validity;
  std::optional<TimePoint> now; // one clock reading for the whole tree; unset = Clock::now()
};

// A certificate of the tree with the name of its spec.
struct IssuedCert {
  std::string name;
  CertKeyPair pair;
};

// Removes duplicate and empty DNS names (sorted, as upstream does) and duplicate IP addresses
// (first occurrence kept, compared in canonical form, so "::1" and "0::1" are one). Fails on a
// malformed IP address.
Result<AltNames> normalize_alt_names(const AltNames& alt_names);

// Checks that names are unique, usable as file names, and that every `ca` names an earlier CA
// spec or one of `existing`. The error names the offending spec.
Status validate_specs(std::span<const CertSpec> specs, std::span<const IssuedCert> existing = {});

// The CertConfig for `spec` (null `issuer` = self-signed CA): a CA valid from `options.now` for
// `ca_validity`, or a leaf valid from `issuer`'s not-before (as upstream) until
// `options.now + leaf_validity`, with key usages digital signature and key encipherment and
// normalized SANs.
Result<CertConfig>
cert_config_for(const CertSpec& spec, const CertTreeOptions& options, const Certificate* issuer);

// Issues every spec in order, generating a key for each. A spec whose name is in `existing` is
// not generated: the existing pair is used (and returned), e.g. a user-supplied CA. Fails on
// invalid specs or an existing pair whose key does not match its certificate.
Result<std::vector<IssuedCert>> generate_cert_tree(std::span<const CertSpec> specs,
                                                   const CertTreeOptions& options,
                                                   std::span<const IssuedCert> existing = {});

// The pair named `name` in `tree`, or null.
const CertKeyPair* find_issued(std::span<const IssuedCert> tree, std::string_view name);

// Writes every pair of `tree` as `<dir>/<name>.crt` (0644) and `<dir>/<name>.key` (0600).
Status write_cert_tree(const std::filesystem::path& dir, std::span<const IssuedCert> tree);

} // namespace kctl::pki
