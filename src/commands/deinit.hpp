#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `deinit`: removes what `init` created in the host cluster, selected by ownership labels.
void setup_deinit(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
