#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `register ENDPOINT`: brings the member cluster of --kubeconfig under Karmada in Pull mode
// (bootstrap-token discovery, the agent's certificates and the karmada-agent Deployment).
void setup_register(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
