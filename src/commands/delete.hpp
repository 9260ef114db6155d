#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `delete`: kubectl delete on the Karmada API server (clusters included).
void setup_delete(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
