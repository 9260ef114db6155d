// The flags many commands share, each bound here once, with one help text and one check made
// while the flags are parsed (a bad value is reported with the other flag problems, before
// anything is contacted): what to act on (-l, --all, -A, -n) and whether to change anything
// (--dry-run), and how to print it (-o).
#pragma once

#include "commands/targets.hpp"
#include "kube/client.hpp"
#include "output/printer.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace kctl::cli {

// Which selection flags a command takes besides -l/--selector.
struct SelectionFlags {
  bool all = true;           // --all (get lists everything anyway and has none)
  bool namespaces = true;    // -A and -n (taint and cordon act on cluster-scoped Clusters)
  bool labels_alias = false; // --labels too: upstream's get names -l so
};

// Binds -l/--selector (its syntax checked), and as `which` says --all, -A/--all-namespaces and
// -n/--namespace (a DNS-1123 label), to `selection`.
void bind_selection(CLI::App& app, Selection& selection, SelectionFlags which = {});

// How a command spells --dry-run. Upstream's own commands (join, unjoin, register, taint, ...)
// take a boolean: `--dry-run`, `--dry-run=false`. kubectl's (apply, delete, label, annotate) take a
// strategy: `--dry-run=none|client|server`, a bare `--dry-run` meaning client.
enum class DryRunStyle { boolean, strategy };

// --dry-run as given; what it means is asked of it, never of the text.
struct DryRunFlag {
  std::string value = "none"; // as typed, checked when parsed

  // The client to make: writes answered locally (client), sent with dryRun=All (server), or sent.
  kube::DryRun mode() const;
  bool requested() const { return mode() != kube::DryRun::no; }
  // What a line about a write ends with: " (dry run)", " (server dry run)" or "".
  std::string_view suffix() const;
};

// Binds --dry-run in `style` to `flag`.
void bind_dry_run(CLI::App& app, DryRunFlag& flag, DryRunStyle style);

// Binds upstream's --wait duration of unjoin and unregister (how long each removal may take; a
// bare number is seconds), checked positive while parsing. delete's --wait is kubectl's boolean,
// with --timeout.
void bind_wait_flag(CLI::App& app, std::chrono::nanoseconds& wait, const std::string& help);

// The largest template file -o go-template-file, templatefile, jsonpath-file and
// custom-columns-file read (templates are lines, not megabytes).
inline constexpr std::size_t k_max_template_file_bytes = std::size_t{1} << 20;

// -o/--output and the flags that shape it, as given.
struct PrintFlags {
  std::string output;
  std::string template_argument;  // --template: the template, or a template file's path
  bool allow_missing_keys = true; // --allow-missing-template-keys

  // Whether any output format was asked for (the table is the default).
  bool requested() const { return !output.empty() || !template_argument.empty(); }
  // The format, its template checked, without reading a template file: for the checks made
  // before anything runs.
  Result<output::Format> parse() const;
  // The format with a template file read (bounded by k_max_template_file_bytes) and checked:
  // for running.
  Result<output::Format> load() const;
};

// Binds -o/--output for the printer's every format (json, yaml, name, wide, go-template=,
// go-template-file=, template=, templatefile=, jsonpath=, jsonpath-file=, jsonpath-as-json=,
// custom-columns=, custom-columns-file=), --template and --allow-missing-template-keys. A
// command checks `flags.parse()` with its other flags; a command with a fixed set of formats
// uses add_output_flag instead.
void bind_print_flag(CLI::App& app, PrintFlags& flags);

} // namespace kctl::cli
