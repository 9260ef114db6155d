// Reaching the Karmada API server when the operator gave only the host cluster: through the admin
// kubeconfig init stored in the host namespace, pointed at the karmada-apiserver NodePort of a
// node (as deinit and the host-side commands need).
#pragma once

#include "kube/client.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>

namespace kctl::karmada {

// The Secret where init stores the admin kubeconfig of the Karmada API server, and its key.
inline constexpr std::string_view k_admin_kubeconfig_secret = "karmada-controller-manager-config";
inline constexpr std::string_view k_admin_kubeconfig_key = "karmada.config";

// A RestConfig for the Karmada API server built from the admin kubeconfig `kubeconfig_yaml` (as
// stored by init) with its server replaced by `server`.
Result<kube::RestConfig> rest_config_from_admin_kubeconfig(std::string_view kubeconfig_yaml,
                                                           std::string server);

// Connects to the Karmada API server installed by init in namespace `ns` of `host`, reached at a
// node's address and the karmada-apiserver Service's NodePort. Writes follow `dry_run`.
Result<kube::Client>
connect_via_host(const kube::Client& host, std::string_view ns, kube::DryRun dry_run);

} // namespace kctl::karmada
