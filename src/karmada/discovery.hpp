// Token discovery as kubeadm and upstream register do it: read kube-public/cluster-info
// anonymously, check its JWS against the bootstrap token and its CA against the pinned hashes,
// then re-read it over TLS verified with that CA. The decisions are pure functions over the
// ConfigMap; `discover` adds the I/O and turns each failure into a message that says what to do.
//
// The token is a secret the server must not learn before it has proved who it is (issue 20):
// without a pinned CA, the JWS made with the token's secret is the only proof, so until a valid
// JWS for the token id has been seen, discovery sends no token at all (not even to ask whether it
// is valid); with a pin, the token also goes only to a server whose certificate chains to a
// pinned CA. A ClusterInfo carries what it was verified for, and bootstrap_rest_config refuses
// one that was not.
#pragma once

#include "karmada/bootstrap_token.hpp"
#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace kctl::karmada {

// Error reasons of the decisions, for callers that branch on them.
inline constexpr std::string_view k_reason_not_signed = "TokenNotSigned"; // no jws-kubeconfig-<id>
inline constexpr std::string_view k_reason_bad_signature = "BadSignature";
inline constexpr std::string_view k_reason_pin_mismatch = "CaPinMismatch";
inline constexpr std::string_view k_reason_malformed = "MalformedClusterInfo";

// What discovery learned, once trusted.
struct ClusterInfo {
  std::string kubeconfig;           // the "kubeconfig" document as stored in the ConfigMap
  std::string server;               // its cluster's server
  std::string ca_pem;               // its cluster's CA bundle
  std::vector<std::string> ca_pins; // the pins of that bundle
  // Set by verify_cluster_info only, once the JWS and the pins are checked: the token id whose
  // signature was verified, and the CA certificates a request carrying that token may trust
  // (with pins, only the bundle's pinned certificates; without, the signed bundle).
  std::string signed_for_token_id;
  std::string token_ca_pem;
};

// How the CA is trusted.
struct TrustOptions {
  std::vector<std::string> ca_cert_hashes; // --discovery-token-ca-cert-hash
  bool unsafe_skip_ca_verification = false;
};

// Reads the ConfigMap's kubeconfig: exactly one cluster, with a CA. Errors have reason
// k_reason_malformed.
Result<ClusterInfo> parse_cluster_info(const Json& config_map);

// Checks the CA of `info` against the pins: one of them must match (several may be given);
// without pins only `unsafe_skip_ca_verification` lets it through. Errors: k_reason_pin_mismatch
// (the message names the CA's actual pin), or a usage error when neither pins nor the skip are
// given or a pin is malformed.
Status check_ca_pins(const ClusterInfo& info, const TrustOptions& trust);

// Checks the detached JWS "jws-kubeconfig-<id>" of the ConfigMap against `token`. Errors:
// k_reason_not_signed (no signature for this token id yet, or any more), k_reason_bad_signature.
Status check_signature(const Json& config_map, const BootstrapToken& token);

// Every decision in kubeadm's order of trust, on one ConfigMap: parse, pins, signature. On
// success the ClusterInfo is marked as verified for `token` (signed_for_token_id, token_ca_pem).
Result<ClusterInfo>
verify_cluster_info(const Json& config_map, const BootstrapToken& token, const TrustOptions& trust);

// "https://<endpoint>", accepting an endpoint given with or without "https://" (the endpoint as
// parse_api_endpoint reads it, when it can).
std::string endpoint_url(std::string_view endpoint);

// What discover() needs.
struct DiscoveryRequest {
  std::string endpoint; // host:port of the Karmada API server, as given to register
  BootstrapToken token;
  TrustOptions trust;
  std::chrono::nanoseconds timeout = std::chrono::minutes(5);
  std::string program = "karmadactl"; // for the "token create" hint
};

// Discovers and verifies cluster-info at the endpoint, reading it anonymously: the token is never
// sent. Waits (until the timeout, reading again every 2 s) while cluster-info has no signature
// for the token id (a new token the signer has not caught up with, or one that is wrong, expired
// or deleted: without sending it, the two look alike); each failure gets its own message:
// endpoint unreachable, cluster-info missing or forbidden, CA hash mismatch, never signed for the
// token, signature wrong, certificate not covering the endpoint or not from the pinned CA.
// `status` is told what it waits for.
Result<ClusterInfo> discover(const DiscoveryRequest& request,
                             const std::function<void(const std::string&)>& status = {});

// A RestConfig for the endpoint authenticating with the token, trusting only info.token_ca_pem.
// Refused (nothing to send the token with) unless `info` was verified for this token by
// verify_cluster_info (as discover's result is).
Result<kube::RestConfig> bootstrap_rest_config(const std::string& endpoint,
                                               const ClusterInfo& info,
                                               const BootstrapToken& token);

} // namespace kctl::karmada
