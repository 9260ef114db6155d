// Detached JWS (RFC 7515 appendix F) with HS256, as the Kubernetes bootstrap signer writes into
// `kube-public/cluster-info` under `jws-kubeconfig-<token-id>`
// (k8s.io/cluster-bootstrap/token/jws).
#pragma once

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace kctl::pki {

// --- Interface ---

// The protected header go-jose emits for a bootstrap token: {"alg":"HS256","kid":"<token_id>"}
// with keys sorted, no spaces.
std::string jws_header(std::string_view token_id);

// Returns "<base64url header>..<base64url HMAC-SHA256>" over `content`, keyed with
// `token_secret`; the payload part is left out (detached).
Result<std::string> compute_detached_jws(std::string_view content,
                                         std::string_view token_id,
                                         std::string_view token_secret);

// True when `detached` is exactly the detached JWS of `content` for this token. The comparison is
// constant-time, so a wrong signature leaks nothing through timing.
bool detached_jws_is_valid(std::string_view detached,
                           std::string_view content,
                           std::string_view token_id,
                           std::string_view token_secret);

} // namespace kctl::pki
