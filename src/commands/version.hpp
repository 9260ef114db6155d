#pragma once

#include "commands/command.hpp"
#include "util/json.hpp"

namespace kctl::cli {

// `version`: prints the build's version facts, as text (upstream's form) or -o json|yaml.
void setup_version(CLI::App& app, Invocation& invocation);

// The version facts as a JSON object (gitVersion, gitCommit, ..., platform).
Json version_info();

// Upstream's text form: `karmadactl version: version.Info{GitVersion:"...", ...}`.
std::string version_text(const Json& info);

} // namespace kctl::cli
