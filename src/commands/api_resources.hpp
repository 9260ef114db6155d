#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `api-resources`: the resources a server serves (Karmada's, or a member's through Karmada's
// proxy), in kubectl's table. `api-versions`: its group versions, one a line.
void setup_api_resources(CLI::App& app, Invocation& invocation);
void setup_api_versions(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
