// The flags many commands share, each bound here once, with one help text and one check made
// while the flags are parsed (a bad value is reported with the other flag problems, before
// anything is contacted): what to act on (-l, --all, -A, -n) and whether to change anything
// (--dry-run), and how to print it (-o).
#pragma once

#include "commands/targets.hpp"
#include "kube/client.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
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

// Binds -o/--output for the printer's every format (json, yaml, name, wide, jsonpath=,
// jsonpath-as-json=, custom-columns=), its template parsed while the flags are: a bad template
// is a usage error before anything is contacted. A command with a fixed set uses add_output_flag.
void bind_print_flag(CLI::App& app, std::string& output);

} // namespace kctl::cli
