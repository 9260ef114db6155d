#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `init`: installs the Karmada control plane into a host cluster.
void setup_init(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
