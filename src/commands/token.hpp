#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `token create|list|delete`: bootstrap tokens in the Karmada API server (Pull-mode registration).
void setup_token(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
