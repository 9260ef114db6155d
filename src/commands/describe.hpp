#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `describe`: kubectl describe over the Karmada API server or, with --operation-scope members
// --cluster NAME, one member cluster through Karmada's clusters/proxy subresource.
void setup_describe(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
