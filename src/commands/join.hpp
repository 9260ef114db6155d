#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `join CLUSTER_NAME`: registers a member cluster with Karmada in Push mode.
void setup_join(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
