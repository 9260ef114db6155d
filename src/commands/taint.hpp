#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `taint clusters NAME KEY[=VALUE]:EFFECT[-]...`: kubectl taint for Karmada clusters.
void setup_taint(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
