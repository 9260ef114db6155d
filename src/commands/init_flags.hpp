// The flags of `init` (upstream's names and defaults), shared with `config images list`, which
// must resolve images exactly as `init` does.
#pragma once

#include "init/options.hpp"

#include <CLI/CLI.hpp>

namespace kctl::cli {

// Image and registry flags, including each component's --X-image and --config.
void bind_image_flags(CLI::App& command, init::InitOptions& options);

// Every other `init` flag.
void bind_init_flags(CLI::App& command, init::InitOptions& options);

} // namespace kctl::cli
