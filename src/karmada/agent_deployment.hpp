// The karmada-agent Deployment as a domain object: what its pod spec says about how the agent
// reaches the Karmada API server.
#pragma once

#include "kube/client.hpp"
#include "kube/rest_config.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace kctl::karmada {

// The Karmada API server as the agent in `deployment` reaches it: the kubeconfig its pod mounts
// from a Secret (--karmada-kubeconfig=PATH under a Secret volume's mount, --karmada-context),
// read from `member`. An error says what is missing and to give --karmada-config instead.
Result<kube::RestConfig> agent_karmada_config(const kube::Client& member, const Json& deployment);

} // namespace kctl::karmada
