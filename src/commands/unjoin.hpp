#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `unjoin CLUSTER_NAME`: removes a Push-mode cluster from Karmada and, given its kubeconfig,
// what join created in it.
void setup_unjoin(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
