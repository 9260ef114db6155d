// Flag helpers shared by commands, so that the same kind of flag behaves the same everywhere.
#pragma once

#include "util/json.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace kctl::cli {

// Whether a duration flag also takes a bare number, read as seconds (upstream's integer flags).
enum class BareNumber { rejected, seconds };

// Adds a duration flag that takes Go-style values ("30s", "2m", "8760h0m0s"), as upstream does.
// The help shows the default in the same form.
CLI::Option* add_duration_flag(CLI::App& app,
                               const std::string& names,
                               std::chrono::nanoseconds& target,
                               const std::string& description,
                               BareNumber bare = BareNumber::rejected);

// Adds "-o, --output" accepting one of `formats` (the empty string is the default text form).
CLI::Option*
add_output_flag(CLI::App& app, std::string& target, const std::vector<std::string>& formats);

// Prints `value` to stdout as "json" (indented) or "yaml".
void print_structured(const Json& value, const std::string& format);

// Rewrites "--flag_name" to "--flag-name" (upstream normalises "_" to "-" in flag names) and
// pflag's "-v=10" (a shorthand with "=") to "-v" "10". Values and everything after a bare "--"
// are left alone.
std::vector<std::string> normalize_flag_names(std::vector<std::string> args);

} // namespace kctl::cli
