// `karmadactl apply`: kubectl's apply against the Karmada API server (server-side apply, field
// manager karmadactl), plus upstream's --all-clusters / -C that propagate what was applied.
#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

void setup_apply(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
