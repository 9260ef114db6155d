#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `get`: kubectl get over the Karmada API server and, through the clusters/proxy subresource, the
// member clusters (--operation-scope, -C).
void setup_get(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
