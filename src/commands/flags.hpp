// Flag helpers shared by commands, so that the same kind of flag behaves the same everywhere.
#pragma once

#include "util/json.hpp"
#include "util/problems.hpp"

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

// A check that a value is one of `allowed` ("must be one of a, b"); the help and completion show
// the values as CLI11's IsMember does.
CLI::Validator one_of(const std::vector<std::string>& allowed);

// Adds "-o, --output" accepting one of `formats` (the empty string is the default text form).
CLI::Option*
add_output_flag(CLI::App& app, std::string& target, const std::vector<std::string>& formats);

// Makes every flag value check of `app` and its subcommands (conversion to a number, fixed sets,
// durations) record its problem in `problems` instead of stopping the parse at the first bad value,
// so that all of them are reported together. A rejected value is replaced by the flag's default
// (the command does not run: the problems are reported first). Call it once per command, after
// binding its flags.
void defer_value_errors(CLI::App& app, Problems& problems);

// The name a flag is known by in messages, as pflag names it in kubectl's: "-o, --output" (both
// names), "--port" (a long name only), "-v" (a short one only), else the positional's name.
std::string flag_name(const CLI::Option& option);

// Rewrites "--flag_name" to "--flag-name" (upstream normalises "_" to "-" in flag names) and
// pflag's "-v=10" (a shorthand with "=") to "-v" "10". Values and everything after a bare "--"
// are left alone.
std::vector<std::string> normalize_flag_names(std::vector<std::string> args);

} // namespace kctl::cli
