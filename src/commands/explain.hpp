#pragma once

#include "commands/command.hpp"

namespace kctl::cli {

// `explain TYPE[.FIELD.PATH]`: a resource's fields from the server's OpenAPI v3 documents
// (Karmada's, or a member's through Karmada's proxy), in kubectl's plaintext layout.
void setup_explain(CLI::App& app, Invocation& invocation);

} // namespace kctl::cli
