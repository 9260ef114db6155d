#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `label`: kubectl's label on the Karmada API server (clusters included).
void setup_label(CLI::App& app, Invocation& invocation);

// `annotate`: kubectl's annotate on the Karmada API server.
void setup_annotate(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
