// Reaching a member cluster through Karmada: the Karmada API server proxies requests for
// /apis/cluster.karmada.io/v1alpha1/clusters/<name>/proxy/... to the member with the credentials
// Karmada holds, so a client of that base URL talks to the member with the Karmada identity.
#pragma once

#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>

namespace kctl::karmada {

// The Karmada RestConfig `karmada` pointed at member `cluster`'s proxy.
kube::RestConfig member_proxy_config(const kube::RestConfig& karmada, std::string_view cluster);

// A client of member `cluster` through Karmada's proxy; writes follow `dry_run`.
Result<kube::Client> connect_member_proxy(const kube::RestConfig& karmada,
                                          std::string_view cluster,
                                          kube::DryRun dry_run = kube::DryRun::no);

} // namespace kctl::karmada
