#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `unregister CLUSTER_NAME`: removes a Pull-mode cluster and what register created on both sides.
void setup_unregister(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
