#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `options`: lists the flags every command accepts (kubectl's `options`).
void setup_options(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
