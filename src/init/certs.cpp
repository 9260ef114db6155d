#include "init/certs.hpp"

#include "manifests/host.hpp"
#include "pki/files.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace kctl::init {

namespace {

using pki::ExtKeyUsage;

// Certificates closer than this to expiry are renewed rather than reused.
constexpr long k_renew_days = 30;

std::vector<std::string>
karmada_dns_names(const ResolvedInit& init) {
  const std::string& ns = init.spec.namespace_name;
  const std::string& domain = init.spec.cluster_domain;
  std::vector<std::string> names = {
      "localhost",
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "karmada-apiserver",
      "karmada-webhook",
      "karmada-aggregated-apiserver",
      fmt::format("karmada-apiserver.{}.svc.{}", ns, domain),
      fmt::format("karmada-webhook.{}.svc.{}", ns, domain),
      fmt::format("karmada-webhook.{}.svc", ns),
      fmt::format("karmada-aggregated-apiserver.{}.svc.{}", ns, domain),
      fmt::format("*.{}.svc.{}", ns, domain),
      fmt::format("*.{}.svc", ns),
  };
  names.insert(names.end(), init.cert_external_dns.begin(), init.cert_external_dns.end());
  return names;
}

std::vector<std::string>
karmada_ips(const ResolvedInit& init, const std::vector<std::string>& apiserver_ips) {
  std::vector<std::string> ips = init.cert_external_ips;
  ips.push_back("127.0.0.1");
  ips.insert(ips.end(), apiserver_ips.begin(), apiserver_ips.end());
  return ips;
}

pki::CertSpec
leaf(std::string name,
     std::string ca,
     std::string cn,
     std::vector<std::string> orgs,
     pki::AltNames sans) {
  return pki::CertSpec{std::move(name),
                       std::move(ca),
                       std::move(cn),
                       std::move(orgs),
                       {ExtKeyUsage::server_auth, ExtKeyUsage::client_auth},
                       std::move(sans)};
}

pki::CertSpec
ca(std::string name, std::string cn) {
  return pki::CertSpec{std::move(name), "", std::move(cn), {}, {}, {}};
}

bool
covers(const pki::AltNames& have, const pki::AltNames& want) {
  auto contains_all = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::all_of(b.begin(), b.end(), [&](const std::string& x) {
      return x.empty() || std::find(a.begin(), a.end(), x) != a.end();
    });
  };
  return contains_all(have.dns_names, want.dns_names) &&
         contains_all(have.ip_addresses, want.ip_addresses);
}

// Returns the reason an existing pair cannot be reused, or nothing when it can.
std::optional<std::string>
unusable(const pki::CertSpec& spec,
         const pki::CertKeyPair& pair,
         const std::vector<pki::IssuedCert>& reused) {
  if (!pki::matches_key(pair.cert, pair.key)) {
    return std::string("its key does not match");
  }
  if (pki::days_until_expiry(pair.cert) < k_renew_days) {
    return fmt::format("it expires within {} days", k_renew_days);
  }
  pki::CertInfo info = pki::inspect(pair.cert);
  if (info.common_name != spec.common_name) {
    return fmt::format("its CN is {}, not {}", info.common_name, spec.common_name);
  }
  if (spec.ca.empty()) {
    return info.is_ca ? std::nullopt : std::optional<std::string>("it is not a CA");
  }
  const pki::CertKeyPair* issuer = pki::find_issued(reused, spec.ca);
  if (issuer == nullptr) {
    return fmt::format("its CA {} was issued anew", spec.ca);
  }
  std::vector<pki::Certificate> roots = {issuer->cert};
  if (auto verified = pki::verify_certificate(pair.cert, roots); !verified) {
    return fmt::format("it does not chain to {}: {}", spec.ca, verified.error().message);
  }
  auto wanted = pki::normalize_alt_names(spec.alt_names);
  if (!wanted || !covers(info.alt_names, *wanted)) {
    return std::string("its names do not cover the current settings");
  }
  return std::nullopt;
}

// Existing pairs in `dir` worth keeping, in spec order; says why others are replaced. An existing
// CA is replaced only with `force_new_ca` (members trust it): otherwise the first CA that would be
// replaced is the error.
Result<std::vector<pki::IssuedCert>>
reusable_pairs(const std::vector<pki::CertSpec>& specs,
               const std::filesystem::path& dir,
               std::vector<pki::IssuedCert> given,
               bool force_new_ca,
               flow::StepReporter& reporter) {
  std::vector<pki::IssuedCert> reused = std::move(given);
  std::optional<Error> refused;
  auto replacing = [&](const pki::CertSpec& spec, const std::string& reason) {
    bool is_ca = spec.ca.empty();
    if (is_ca && !force_new_ca) {
      if (!refused) {
        refused = Error{
            fmt::format(
                "the existing CA {} cannot be reused: {}. A new CA would cut off every member "
                "cluster that trusts this one. Restore the CA's certificate and key ({}, {}), or "
                "pass --force-new-ca to issue a new CA (every member cluster must then be "
                "registered again)",
                spec.name,
                reason,
                pki::cert_path(dir, spec.name).string(),
                pki::key_path(dir, spec.name).string()),
            "",
            0};
      }
      return;
    }
    reporter.detail(fmt::format("replacing {}: {}", spec.name, reason));
    if (is_ca) {
      reporter.detail(fmt::format("warning: --force-new-ca: a new CA {} replaces the old one; "
                                  "every member cluster must be registered again",
                                  spec.name));
    }
  };
  for (const auto& spec : specs) {
    if (pki::find_issued(reused, spec.name) != nullptr) {
      continue;
    }
    std::error_code ec;
    if (!std::filesystem::exists(pki::cert_path(dir, spec.name), ec)) {
      continue;
    }
    auto pair = pki::read_cert_key_pair(dir, spec.name);
    if (!pair) {
      replacing(spec, pair.error().message);
      continue;
    }
    if (auto reason = unusable(spec, *pair, reused)) {
      replacing(spec, *reason);
      continue;
    }
    reused.push_back(pki::IssuedCert{spec.name, std::move(*pair)});
  }
  if (refused) {
    return std::unexpected(std::move(*refused));
  }
  return reused;
}

Status
add_external_etcd_files(const ResolvedInit& init, PkiFiles& out) {
  const auto& etcd = init.spec.external_etcd;
  KCTL_TRY_ASSIGN(
      out["etcd-ca.crt"],
      fs::read_file(etcd.ca_file, fs::k_max_pem_file_bytes, "--external-etcd-ca-cert-path"));
  if (!etcd.cert_file.empty()) {
    KCTL_TRY_ASSIGN(out["etcd-client.crt"],
                    fs::read_file(etcd.cert_file,
                                  fs::k_max_pem_file_bytes,
                                  "--external-etcd-client-cert-path"));
    KCTL_TRY_ASSIGN(
        out["etcd-client.key"],
        fs::read_file(etcd.key_file, fs::k_max_pem_file_bytes, "--external-etcd-client-key-path"));
  }
  return {};
}

} // namespace

std::vector<pki::CertSpec>
cert_specs(const ResolvedInit& init, const std::vector<std::string>& apiserver_ips) {
  pki::AltNames karmada_sans{karmada_dns_names(init), karmada_ips(init, apiserver_ips)};
  std::vector<pki::CertSpec> specs = {
      ca("ca", "karmada"),
      leaf("karmada", "ca", "system:admin", {"system:masters"}, karmada_sans),
      leaf("apiserver", "ca", "karmada-apiserver", {}, karmada_sans),
      ca("front-proxy-ca", "front-proxy-ca"),
      leaf("front-proxy-client", "front-proxy-ca", "front-proxy-client", {}, {}),
  };
  if (!init.spec.external_etcd_mode()) {
    pki::AltNames etcd_sans{{"localhost"}, {"127.0.0.1"}};
    for (const auto& host : manifests::etcd_member_hosts(init.spec)) {
      etcd_sans.dns_names.push_back(host);
    }
    specs.push_back(ca("etcd-ca", "etcd-ca"));
    specs.push_back(leaf("etcd-server", "etcd-ca", "karmada-etcd-server", {}, etcd_sans));
    specs.push_back(leaf("etcd-client", "etcd-ca", "karmada-etcd-client", {}, {}));
  }
  return specs;
}

Result<PkiFiles>
ensure_certificates(const ResolvedInit& init,
                    const std::vector<std::string>& apiserver_ips,
                    flow::LocalFiles& files,
                    flow::StepReporter& reporter) {
  std::vector<pki::CertSpec> specs = cert_specs(init, apiserver_ips);
  std::vector<pki::IssuedCert> given;
  if (!init.ca_cert_file.empty()) {
    KCTL_TRY_ASSIGN(std::string cert_pem,
                    fs::read_file(init.ca_cert_file, fs::k_max_pem_file_bytes, "--ca-cert-file"));
    KCTL_TRY_ASSIGN(std::string key_pem,
                    fs::read_file(init.ca_key_file, fs::k_max_pem_file_bytes, "--ca-key-file"));
    KCTL_TRY_ASSIGN(pki::Certificate cert, pki::parse_certificate_pem(cert_pem, init.ca_cert_file));
    KCTL_TRY_ASSIGN(pki::PrivateKey key, pki::parse_private_key_pem(key_pem, init.ca_key_file));
    if (!pki::matches_key(cert, key)) {
      return failf("--ca-key-file {} is not the key of --ca-cert-file {}",
                   init.ca_key_file,
                   init.ca_cert_file);
    }
    given.push_back(pki::IssuedCert{"ca", pki::CertKeyPair{cert, key}});
    specs.front().common_name = pki::inspect(cert).common_name;
  }
  std::filesystem::path dir = init.karmada_pki;
  KCTL_TRY_ASSIGN(std::vector<pki::IssuedCert> reused,
                  reusable_pairs(specs, dir, std::move(given), init.force_new_ca, reporter));
  pki::CertTreeOptions options;
  options.leaf_validity =
      std::chrono::duration_cast<std::chrono::seconds>(init.cert_validity_period);
  options.now = pki::Clock::now();
  KCTL_TRY_ASSIGN(std::vector<pki::IssuedCert> tree,
                  pki::generate_cert_tree(specs, options, reused));

  PkiFiles pems;
  KCTL_TRY(files.ensure_dir(dir));
  for (const auto& issued : tree) {
    KCTL_TRY_ASSIGN(std::string cert_pem, issued.pair.cert.to_pem());
    KCTL_TRY_ASSIGN(std::string key_pem, issued.pair.key.to_pem());
    KCTL_TRY_ASSIGN(flow::FileAction cert_action,
                    files.write(pki::cert_path(dir, issued.name), cert_pem, fs::k_public_file));
    KCTL_TRY(files.write(pki::key_path(dir, issued.name), key_pem, fs::k_private_file));
    bool was_reused = pki::find_issued(reused, issued.name) != nullptr;
    if (!was_reused || cert_action != flow::FileAction::unchanged) {
      reporter.detail(fmt::format("{} certificate {} ({})",
                                  was_reused ? "kept" : "issued",
                                  issued.name,
                                  pki::cert_path(dir, issued.name).string()));
    }
    pems[issued.name + ".crt"] = std::move(cert_pem);
    pems[issued.name + ".key"] = std::move(key_pem);
  }
  if (init.spec.external_etcd_mode()) {
    KCTL_TRY(add_external_etcd_files(init, pems));
  }
  return pems;
}

} // namespace kctl::init
