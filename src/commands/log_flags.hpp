// Upstream's klog flags at the root (--log-file, --logtostderr, --alsologtostderr, --skip-headers,
// --vmodule, ...): accepted with klog's names, types and defaults so a script that passes them
// keeps working, and honoured where they mean something here (where log lines go, their headers,
// the file's size). -v is bound with the root.
#pragma once

#include "util/problems.hpp"
#include "util/result.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace kctl::cli {

struct LogFlags {
  bool add_dir_header = false; // accepted (file names are logged without directories)
  bool alsologtostderr = false;
  std::string log_backtrace_at = ":0"; // accepted
  std::string log_dir;
  std::string log_file;
  std::uint64_t log_file_max_size = 1800;                                 // MB, 0: no limit
  std::chrono::nanoseconds log_flush_frequency = std::chrono::seconds(5); // lines are flushed each
  bool logtostderr = true;
  bool one_output = false; // accepted (one file only)
  bool skip_headers = false;
  bool skip_log_headers = false; // accepted (no file header is written)
  int stderrthreshold = 2;       // 0 INFO, 1 WARNING, 2 ERROR (klog's FATAL 3 is ERROR here)
  std::string vmodule;           // accepted: -v applies to every file
};

// Binds the flags to `flags` on the root command.
void bind_log_flags(CLI::App& root, LogFlags& flags);

// Opens the log file (0600, appended) when the flags send lines to one and tells util/log where
// lines go. Fails when the file cannot be opened.
Status apply_log_flags(const LogFlags& flags);

} // namespace kctl::cli
