#include "karmada/agent_csr.hpp"

#include "karmada/bootstrap_token.hpp"
#include "karmada/register_plan.hpp"
#include "kube/conditions.hpp"
#include "kube/wait_for.hpp"
#include "pki/csr.hpp"
#include "pki/key.hpp"
#include "util/encoding.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <variant>

namespace kctl::karmada {

kube::ResourceRef
csr_ref(std::string name) {
  return kube::certificates("certificatesigningrequests").with_name(std::move(name));
}

Result<std::string>
random_suffix() {
  KCTL_TRY_ASSIGN(BootstrapToken token, generate_token());
  return token.secret.substr(0, 5);
}

Result<IssuedCertificate>
request_certificate(const kube::Client& client,
                    const CertificateRequestSpec& spec,
                    const std::function<void(const std::string&)>& status) {
  KCTL_TRY_ASSIGN(pki::PrivateKey key,
                  spec.key ? Result<pki::PrivateKey>(*spec.key) : pki::generate_rsa_key());
  pki::CsrConfig config;
  config.common_name = spec.common_name;
  config.organizations = {spec.organization};
  KCTL_TRY_ASSIGN(pki::CertificateRequest request, pki::create_csr(config, key));
  KCTL_TRY_ASSIGN(std::string request_pem, request.to_pem());
  KCTL_TRY(with_context(
      client.create(csr_ref(),
                    certificate_signing_request(spec.name, request_pem, spec.expiration_seconds)),
      fmt::format("cannot create the CertificateSigningRequest {} with the bootstrap token",
                  spec.name)));
  // Watched, not polled: the certificate arrives as soon as it is signed (a second or less).
  bool approved = false;
  auto check = [&](const std::optional<Json>& csr) -> Result<std::optional<std::string>> {
    if (!csr) {
      return failf("CertificateSigningRequest {} disappeared before it was signed; run register "
                   "again",
                   spec.name);
    }
    for (const kube::Condition& condition : kube::conditions(*csr)) {
      const std::string& type = condition.type;
      std::string why = condition.message.empty() ? condition.reason : condition.message;
      if (type == "Denied") {
        return failf("CertificateSigningRequest {} was denied: {}\nCheck the control plane's "
                     "RBAC for the bootstrap token's group (init creates "
                     "system:karmada:agent-autoapprove-bootstrap) and run register again",
                     spec.name,
                     why);
      }
      if (type == "Failed") {
        return failf("signing CertificateSigningRequest {} failed: {}\nCheck the control plane's "
                     "kube-controller-manager (its csrsigning controller) and run register again",
                     spec.name,
                     why);
      }
      if (type == "Approved") {
        approved = true;
      }
    }
    if (!json::string_at(*csr, "/status/certificate"_json_pointer).empty()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(
        fmt::format("waiting for CertificateSigningRequest {} to be {}",
                    spec.name,
                    approved ? "signed" : "approved"));
  };
  KCTL_TRY_ASSIGN(auto outcome,
                  kube::wait_for_object(client, csr_ref(spec.name), spec.timeout, check, status));
  if (std::holds_alternative<kube::WaitTimeout>(outcome)) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(spec.timeout).count();
    if (approved) {
      return failf("CertificateSigningRequest {} was approved but not signed within {}s\nThe "
                   "control plane's kube-controller-manager signs {} requests (its csrsigning "
                   "controller): check that it runs, then run register again",
                   spec.name,
                   seconds,
                   k_agent_signer);
    }
    return failf("nobody approved CertificateSigningRequest {} within {}s\n"
                 "karmada-controller-manager approves agent requests (its agentcsrapproving "
                 "controller): check that it runs on the control plane, or approve it by hand "
                 "with \"kubectl certificate approve {}\"{} and run register again (or raise "
                 "--discovery-timeout)",
                 spec.name,
                 seconds,
                 spec.name,
                 spec.karmada_hint.empty() ? "" : " " + spec.karmada_hint);
  }
  const Json& csr = std::get<Json>(outcome);
  KCTL_TRY_ASSIGN(std::string pem,
                  encoding::base64_decode(csr.value("/status/certificate"_json_pointer, "")));
  KCTL_TRY_ASSIGN(std::string key_pem, key.to_pem());
  return IssuedCertificate{pem, key_pem};
}

} // namespace kctl::karmada
