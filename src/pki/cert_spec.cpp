#include "pki/cert_spec.hpp"

#include "pki/files.hpp"
#include "pki/x509_names.hpp"
#include "util/parallel.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <thread>

namespace kctl::pki {

namespace {

bool
is_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

bool
contains(std::span<const IssuedCert> tree, std::string_view name) {
  return find_issued(tree, name) != nullptr;
}

Status
validate_spec(const CertSpec& spec,
              const std::set<std::string>& earlier_cas,
              std::span<const IssuedCert> existing) {
  if (!is_file_name(spec.name)) {
    return failf("cert spec \"{}\": the name must be a plain file name", spec.name);
  }
  if (!spec.ca.empty() && !earlier_cas.contains(spec.ca) && !contains(existing, spec.ca)) {
    return failf("cert spec \"{}\": unknown CA \"{}\" (a CA must be listed before the certificates "
                 "it signs)",
                 spec.name,
                 spec.ca);
  }
  return {};
}

Result<CertKeyPair>
reuse(std::string_view name, const CertKeyPair& existing) {
  if (!matches_key(existing.cert, existing.key)) {
    return failf("cert \"{}\": the given key does not match the given certificate", name);
  }
  return existing;
}

Result<CertKeyPair>
issue_one(const CertSpec& spec,
          const CertTreeOptions& options,
          const CertKeyPair* issuer,
          PrivateKey key) {
  KCTL_TRY_ASSIGN(CertConfig config,
                  cert_config_for(spec, options, issuer ? &issuer->cert : nullptr));
  if (issuer == nullptr) {
    KCTL_TRY_ASSIGN(Certificate cert, create_self_signed_certificate(config, key));
    return CertKeyPair{std::move(cert), std::move(key)};
  }
  KCTL_TRY_ASSIGN(Certificate cert,
                  sign_certificate(config, key.public_key(), issuer->cert, issuer->key));
  return CertKeyPair{std::move(cert), std::move(key)};
}

// Reuses the existing pair named like `spec`, or issues a new one for `key` (generated
// beforehand) signed by its CA from `tree` (or from `existing`).
Result<CertKeyPair>
issue_spec(const CertSpec& spec,
           const CertTreeOptions& options,
           std::span<const IssuedCert> tree,
           std::span<const IssuedCert> existing,
           const std::optional<Result<PrivateKey>>& key) {
  if (const CertKeyPair* given = find_issued(existing, spec.name); given != nullptr) {
    return reuse(spec.name, *given);
  }
  if (!key) {
    return failf("cannot generate {}: no key was generated for it", spec.name);
  }
  if (!*key) {
    return std::unexpected(key->error().with_context(fmt::format("cannot generate {}", spec.name)));
  }
  const CertKeyPair* issuer = nullptr;
  if (!spec.ca.empty()) {
    issuer = find_issued(tree, spec.ca);
    issuer = issuer != nullptr ? issuer : find_issued(existing, spec.ca);
  }
  return with_context(issue_one(spec, options, issuer, **key),
                      fmt::format("cannot generate {}", spec.name));
}

} // namespace

Result<AltNames>
normalize_alt_names(const AltNames& alt_names) {
  AltNames out;
  std::set<std::string> dns;
  for (const std::string& name : alt_names.dns_names) {
    if (!name.empty()) {
      dns.insert(name);
    }
  }
  out.dns_names.assign(dns.begin(), dns.end());
  for (const std::string& ip : alt_names.ip_addresses) {
    KCTL_TRY_ASSIGN(std::string canonical, detail::canonical_ip(ip));
    if (std::find(out.ip_addresses.begin(), out.ip_addresses.end(), canonical) ==
        out.ip_addresses.end()) {
      out.ip_addresses.push_back(std::move(canonical));
    }
  }
  return out;
}

Status
validate_specs(std::span<const CertSpec> specs, std::span<const IssuedCert> existing) {
  std::set<std::string> names;
  std::set<std::string> cas;
  for (const CertSpec& spec : specs) {
    KCTL_TRY(validate_spec(spec, cas, existing));
    if (!names.insert(spec.name).second) {
      return failf("cert spec \"{}\": listed twice", spec.name);
    }
    if (spec.ca.empty()) {
      cas.insert(spec.name);
    }
  }
  return {};
}

Result<CertConfig>
cert_config_for(const CertSpec& spec, const CertTreeOptions& options, const Certificate* issuer) {
  TimePoint now = options.now.value_or(Clock::now());
  if (issuer == nullptr) {
    CertConfig config = ca_config(spec.common_name, now, options.ca_validity);
    config.organizations = spec.organizations;
    return config;
  }
  CertConfig config;
  config.common_name = spec.common_name;
  config.organizations = spec.organizations;
  KCTL_TRY_ASSIGN(config.alt_names,
                  with_context(normalize_alt_names(spec.alt_names),
                               fmt::format("cert spec \"{}\"", spec.name)));
  config.ext_key_usages = spec.usages;
  config.not_before = inspect(*issuer).not_before;
  config.not_after = now + options.leaf_validity;
  return config;
}

Result<std::vector<IssuedCert>>
generate_cert_tree(std::span<const CertSpec> specs,
                   const CertTreeOptions& options,
                   std::span<const IssuedCert> existing) {
  KCTL_TRY(validate_specs(specs, existing));
  // Read the clock once, so every certificate of the tree gets the same validity window.
  CertTreeOptions fixed = options;
  fixed.now = options.now.value_or(Clock::now());
  // The keys first, all at once: generating a key is nearly all the cost of a certificate (an RSA
  // key takes up to a second), and keys do not depend on each other; the signatures that follow
  // depend on their CA and take microseconds.
  std::vector<std::optional<Result<PrivateKey>>> keys(specs.size());
  std::size_t threads = std::max(1U, std::thread::hardware_concurrency());
  parallel_for(specs.size(), threads, [&](std::size_t i) {
    if (find_issued(existing, specs[i].name) == nullptr) {
      keys[i] = generate_key(fixed.key);
    }
  });
  std::vector<IssuedCert> tree;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    KCTL_TRY_ASSIGN(CertKeyPair pair, issue_spec(specs[i], fixed, tree, existing, keys[i]));
    tree.push_back({specs[i].name, std::move(pair)});
  }
  return tree;
}

const CertKeyPair*
find_issued(std::span<const IssuedCert> tree, std::string_view name) {
  auto found =
      std::find_if(tree.begin(), tree.end(), [&](const IssuedCert& c) { return c.name == name; });
  return found != tree.end() ? &found->pair : nullptr;
}

Status
write_cert_tree(const std::filesystem::path& dir, std::span<const IssuedCert> tree) {
  for (const IssuedCert& issued : tree) {
    KCTL_TRY(write_cert_key_pair(dir, issued.name, issued.pair));
  }
  return {};
}

} // namespace kctl::pki
