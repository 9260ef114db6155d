#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `cordon CLUSTER` / `uncordon CLUSTER`: add or remove the cluster.karmada.io/unschedulable
// NoSchedule taint.
void setup_cordon(CLI::App& app, Invocation& invocation);
void setup_uncordon(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
