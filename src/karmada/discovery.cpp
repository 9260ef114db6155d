#include "karmada/discovery.hpp"

#include "karmada/endpoint.hpp"
#include "karmada/namespaces.hpp"
#include "pki/certificate.hpp"
#include "pki/jws.hpp"
#include "pki/pin.hpp"
#include "util/encoding.hpp"
#include "util/json_parse.hpp"
#include "util/strings.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <thread>

namespace kctl::karmada {

namespace {

std::unexpected<Error>
fail_reason(std::string_view reason, std::string message) {
  return std::unexpected<Error>(Error{std::move(message), std::string(reason), 0});
}

const kube::ResourceRef k_cluster_info_ref =
    kube::core("configmaps").in(std::string(k_kube_public)).with_name("cluster-info");

bool
contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string
host_of(std::string_view endpoint) {
  auto parsed = parse_api_endpoint(endpoint);
  return parsed ? parsed->host : std::string(endpoint);
}

// The message for a request that got no HTTP answer from the endpoint.
Error
unreachable(const DiscoveryRequest& request, const Error& error) {
  return Error{fmt::format("cannot reach the Karmada API server at {}: {}\nCheck the address and "
                           "port given to register (the karmada-apiserver Service's NodePort, "
                           "32443 by default, or the address of a load balancer in front of it) "
                           "and that this machine can connect to it",
                           endpoint_url(request.endpoint),
                           error.message),
               "Unreachable",
               0};
}

// The message for a TLS failure when the server's certificate is checked against the CA.
Error
tls_failure(const DiscoveryRequest& request, const ClusterInfo& info, const Error& error) {
  if (contains(error.message, "match target host") || contains(error.message, "subject name")) {
    return Error{fmt::format("the Karmada API server's certificate does not cover {:?} ({})\n"
                             "Register with an address its certificate names (cluster-info "
                             "names the server {}), or add this address to the certificate "
                             "(init --cert-external-ip / --cert-external-dns, then re-run init)",
                             host_of(request.endpoint),
                             error.message,
                             info.server),
                 "CertificateNameMismatch",
                 0};
  }
  return Error{fmt::format("the Karmada API server at {} does not present a certificate signed "
                           "by {}: {}\nCheck that the endpoint is the Karmada API server (not a "
                           "proxy that terminates TLS); the token was not sent to it",
                           endpoint_url(request.endpoint),
                           request.trust.ca_cert_hashes.empty()
                               ? "the CA in cluster-info"
                               : "the pinned CA (--discovery-token-ca-cert-hash)",
                           error.message),
               "CertificateUntrusted",
               0};
}

Result<Json>
read_cluster_info(const kube::Client& client, const DiscoveryRequest& request) {
  auto config_map = client.get(k_cluster_info_ref);
  if (!config_map) {
    const Error& error = config_map.error();
    if (error.reason == "Transport") {
      return std::unexpected(unreachable(request, error));
    }
    if (error.http_status == 401 || error.http_status == 403) {
      return failf("the Karmada API server at {} does not let anonymous clients read "
                   "kube-public/cluster-info ({})\nOn the control plane, re-run \"init\" (it "
                   "creates the Role and RoleBinding "
                   "kube-public/system:karmada:bootstrap-signer-clusterinfo) or grant User "
                   "system:anonymous get on that ConfigMap",
                   endpoint_url(request.endpoint),
                   error.message);
    }
    return std::unexpected(error.with_context(fmt::format(
        "cannot read kube-public/cluster-info from {}", endpoint_url(request.endpoint))));
  }
  if (!*config_map) {
    return failf("the Karmada API server at {} has no ConfigMap kube-public/cluster-info\nIs this "
                 "the Karmada API server? If so, re-run \"init\" on the control plane (it writes "
                 "cluster-info)",
                 endpoint_url(request.endpoint));
  }
  return std::move(**config_map);
}

// The message when cluster-info never got a signature for the token id within the timeout.
Error
never_signed(const DiscoveryRequest& request) {
  return Error{
      fmt::format("kube-public/cluster-info at {} has no signature for token id {:?} (waited {}s)\n"
                  "Either the token is wrong, expired or deleted: create a new one on the control "
                  "plane with \"{} token create --print-register-command\" and run the command it "
                  "prints; or nothing signs cluster-info: check that the control plane's "
                  "kube-controller-manager runs the bootstrapsigner controller.\nThe token was not "
                  "sent to this server: until cluster-info is signed with it, nothing proves the "
                  "server is the Karmada control plane",
                  endpoint_url(request.endpoint),
                  request.token.id,
                  std::chrono::duration_cast<std::chrono::seconds>(request.timeout).count(),
                  request.program),
      std::string(k_reason_not_signed),
      0};
}

// The certificates of the bundle a request carrying the token may trust: with pins only the
// pinned ones (a bundle may add any CA beside the pinned one), without pins all of them.
Result<std::string>
token_trust(const ClusterInfo& info, const TrustOptions& trust) {
  if (trust.ca_cert_hashes.empty()) {
    return info.ca_pem;
  }
  KCTL_TRY_ASSIGN(pki::PinSet pins, pki::PinSet::parse(trust.ca_cert_hashes));
  KCTL_TRY_ASSIGN(std::vector<pki::Certificate> certs,
                  pki::parse_certificates_pem(info.ca_pem, "kube-public/cluster-info"));
  std::string pem;
  for (const auto& cert : certs) {
    if (pins.check_any(std::span<const pki::Certificate>(&cert, 1))) {
      KCTL_TRY_ASSIGN(std::string one, cert.to_pem());
      pem += one;
    }
  }
  if (pem.empty()) {
    return fail_reason(k_reason_pin_mismatch, "no CA of kube-public/cluster-info matches the pin");
  }
  return pem;
}

} // namespace

Result<ClusterInfo>
parse_cluster_info(const Json& config_map) {
  const Json data = json::object_or_empty(config_map, "data");
  if (!data.contains("kubeconfig") || !data["kubeconfig"].is_string()) {
    return fail_reason(k_reason_malformed,
                       "kube-public/cluster-info has no \"kubeconfig\" key; re-run \"init\" on "
                       "the control plane");
  }
  ClusterInfo info;
  info.kubeconfig = data["kubeconfig"].get<std::string>();
  // Read here rather than with the kubeconfig loader: cluster-info's one cluster is named "".
  auto parsed = yaml::parse(info.kubeconfig, "kube-public/cluster-info");
  if (!parsed) {
    return fail_reason(k_reason_malformed, parsed.error().message);
  }
  const Json clusters = json::array_or_empty(*parsed, "clusters");
  if (clusters.size() != 1) {
    return fail_reason(k_reason_malformed,
                       fmt::format("the kubeconfig in kube-public/cluster-info has {} clusters; "
                                   "exactly one is expected",
                                   clusters.size()));
  }
  info.server = json::string_at(clusters[0], "/cluster/server"_json_pointer);
  auto ca = encoding::base64_decode(
      json::string_at(clusters[0], "/cluster/certificate-authority-data"_json_pointer));
  if (!ca || ca->empty()) {
    return fail_reason(k_reason_malformed,
                       "the kubeconfig in kube-public/cluster-info has no "
                       "certificate-authority-data");
  }
  info.ca_pem = std::move(*ca);
  auto certs = pki::parse_certificates_pem(info.ca_pem, "kube-public/cluster-info");
  if (!certs) {
    return fail_reason(k_reason_malformed, certs.error().message);
  }
  auto pins = pki::ca_pins(*certs);
  if (!pins) {
    return fail_reason(k_reason_malformed, pins.error().message);
  }
  info.ca_pins = std::move(*pins);
  return info;
}

Status
check_ca_pins(const ClusterInfo& info, const TrustOptions& trust) {
  if (trust.ca_cert_hashes.empty()) {
    if (trust.unsafe_skip_ca_verification) {
      return {};
    }
    return fail_usage(
        "give the CA's hash with --discovery-token-ca-cert-hash sha256:<hex> (\"token "
        "create --print-register-command\" prints it), or accept any CA with "
        "--discovery-token-unsafe-skip-ca-verification");
  }
  auto pins = pki::PinSet::parse(trust.ca_cert_hashes);
  if (!pins) {
    return fail_usage("--discovery-token-ca-cert-hash: " + pins.error().message);
  }
  auto certs = pki::parse_certificates_pem(info.ca_pem, "kube-public/cluster-info");
  if (!certs) {
    return fail_reason(k_reason_malformed, certs.error().message);
  }
  auto checked = pins->check_any(*certs);
  if (!checked) {
    return fail_reason(
        k_reason_pin_mismatch,
        fmt::format("the Karmada API server's CA does not match --discovery-token-ca-cert-hash: "
                    "its CA has {}, the command gave {}\nCopy the hash again from \"token create "
                    "--print-register-command\" on the control plane; if it differs, you may be "
                    "talking to another server than you think",
                    strings::join(info.ca_pins, ","),
                    strings::join(trust.ca_cert_hashes, ",")));
  }
  return {};
}

Status
check_signature(const Json& config_map, const BootstrapToken& token) {
  const Json data = json::object_or_empty(config_map, "data");
  std::string key = "jws-kubeconfig-" + token.id;
  if (!data.contains(key) || !data[key].is_string()) {
    return fail_reason(
        k_reason_not_signed,
        fmt::format("kube-public/cluster-info has no signature for token id {:?}", token.id));
  }
  std::string content = json::string_or(data, "kubeconfig");
  if (!pki::detached_jws_is_valid(data[key].get<std::string>(), content, token.id, token.secret)) {
    return fail_reason(k_reason_bad_signature,
                       fmt::format("the signature of kube-public/cluster-info for token id {:?} "
                                   "does not match the token's secret: the token is wrong, or "
                                   "the document was altered on the way",
                                   token.id));
  }
  return {};
}

Result<ClusterInfo>
verify_cluster_info(const Json& config_map,
                    const BootstrapToken& token,
                    const TrustOptions& trust) {
  KCTL_TRY_ASSIGN(ClusterInfo info, parse_cluster_info(config_map));
  KCTL_TRY(check_ca_pins(info, trust));
  KCTL_TRY(check_signature(config_map, token));
  KCTL_TRY_ASSIGN(info.token_ca_pem, token_trust(info, trust));
  info.signed_for_token_id = token.id;
  return info;
}

std::string
endpoint_url(std::string_view endpoint) {
  if (auto parsed = parse_api_endpoint(endpoint)) {
    return parsed->url();
  }
  if (endpoint.starts_with("https://")) {
    return std::string(endpoint);
  }
  return "https://" + std::string(endpoint);
}

Result<kube::RestConfig>
bootstrap_rest_config(const std::string& endpoint,
                      const ClusterInfo& info,
                      const BootstrapToken& token) {
  if (info.signed_for_token_id.empty() || info.signed_for_token_id != token.id ||
      info.token_ca_pem.empty()) {
    return fail("refusing to send the bootstrap token: kube-public/cluster-info has not been "
                "verified as signed with it");
  }
  kube::RestConfig rest;
  rest.server = endpoint_url(endpoint);
  rest.tls.verification = kube::TlsVerification::verify;
  rest.tls.ca_pem = info.token_ca_pem;
  rest.auth.token = token.full();
  rest.timeout = std::chrono::seconds(10);
  rest.origin = "bootstrap token";
  return rest;
}

Result<ClusterInfo>
discover(const DiscoveryRequest& request, const std::function<void(const std::string&)>& status) {
  kube::RestConfig anonymous;
  anonymous.server = endpoint_url(request.endpoint);
  anonymous.tls.verification = kube::TlsVerification::skip;
  anonymous.timeout = std::chrono::seconds(10);
  anonymous.retry.max_attempts = 3;
  anonymous.origin = "discovery";
  KCTL_TRY_ASSIGN(kube::Client insecure, kube::Client::connect(anonymous));

  auto deadline = std::chrono::steady_clock::now() + request.timeout;
  while (true) {
    KCTL_TRY_ASSIGN(Json config_map, read_cluster_info(insecure, request));
    auto verified = verify_cluster_info(config_map, request.token, request.trust);
    if (verified) {
      break;
    }
    if (verified.error().reason != k_reason_not_signed) {
      return std::unexpected(verified.error());
    }
    // No signature for this token id: the signer has not caught up with a new token yet, or the
    // token is wrong, expired or deleted. Asking the server would mean sending the token to a
    // server that has not proved who it is, so wait for the signature instead (as kubeadm).
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return std::unexpected(never_signed(request));
    }
    if (status) {
      status(fmt::format("waiting for cluster-info to be signed for token id {} (a new token is "
                         "signed within seconds; a wrong, expired or deleted one never is)",
                         request.token.id));
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(std::chrono::seconds(2), deadline - now));
  }

  // The document and CA are trusted now; read it again over TLS verified with that CA and insist
  // on the same bytes (as kubeadm), which also proves the certificate covers the endpoint.
  KCTL_TRY_ASSIGN(Json first, read_cluster_info(insecure, request));
  KCTL_TRY_ASSIGN(ClusterInfo info, verify_cluster_info(first, request.token, request.trust));
  // Verified with the CA a token request will trust (with pins: only the pinned CAs), so that a
  // server whose certificate is from another CA fails here, before any request carries the token.
  kube::RestConfig secure = anonymous;
  secure.tls.verification = kube::TlsVerification::verify;
  secure.tls.ca_pem = info.token_ca_pem;
  KCTL_TRY_ASSIGN(kube::Client verified_client, kube::Client::connect(secure));
  auto again = verified_client.get(k_cluster_info_ref);
  if (!again) {
    if (again.error().reason == "Transport") {
      return std::unexpected(tls_failure(request, info, again.error()));
    }
    return std::unexpected(again.error().with_context("cannot re-read kube-public/cluster-info"));
  }
  if (!*again || (*again)->value("/data/kubeconfig"_json_pointer, "") != info.kubeconfig) {
    return fail("kube-public/cluster-info changed between the unverified and the verified read; "
                "run register again");
  }
  return info;
}

} // namespace kctl::karmada
