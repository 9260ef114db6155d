#include "commands/log_flags.hpp"

#include "commands/flags.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kctl::cli {

namespace {

// The file klog's flags name: --log-file, else karmadactl.log in --log-dir; "" for none.
std::string
log_file_path(const LogFlags& flags) {
  if (!flags.log_file.empty()) {
    return flags.log_file;
  }
  if (!flags.log_dir.empty()) {
    return (std::filesystem::path(flags.log_dir) / "karmadactl.log").string();
  }
  return {};
}

} // namespace

void
bind_log_flags(CLI::App& root, LogFlags& f) {
  const char* group = "Logging";
  root.add_flag("--add-dir-header",
                f.add_dir_header,
                "If true, adds the file directory to the header of the log messages")
      ->group(group);
  root.add_flag("--alsologtostderr",
                f.alsologtostderr,
                "log to standard error as well as files (no effect when -logtostderr=true)")
      ->group(group);
  root.add_option("--log-backtrace-at",
                  f.log_backtrace_at,
                  "when logging hits line file:N, emit a stack trace (accepted; no stack traces)")
      ->group(group);
  root.add_option("--log-dir",
                  f.log_dir,
                  "If non-empty, write log files in this directory (no effect when "
                  "-logtostderr=true)")
      ->group(group);
  root.add_option("--log-file",
                  f.log_file,
                  "If non-empty, use this log file (no effect when -logtostderr=true)")
      ->group(group);
  root.add_option("--log-file-max-size",
                  f.log_file_max_size,
                  "Defines the maximum size a log file can grow to (no effect when "
                  "-logtostderr=true). Unit is megabytes. If the value is 0, the maximum file "
                  "size is unlimited.")
      ->capture_default_str()
      ->group(group);
  add_duration_flag(root,
                    "--log-flush-frequency",
                    f.log_flush_frequency,
                    "Maximum number of seconds between log flushes (every line is flushed)")
      ->group(group);
  root.add_flag("--logtostderr{true}", f.logtostderr, "log to standard error instead of files")
      ->default_str("true")
      ->group(group);
  root.add_flag("--one-output",
                f.one_output,
                "If true, only write logs to their native severity level (vs also writing to "
                "each lower severity level; no effect when -logtostderr=true)")
      ->group(group);
  root.add_flag(
          "--skip-headers", f.skip_headers, "If true, avoid header prefixes in the log messages")
      ->group(group);
  root.add_flag("--skip-log-headers",
                f.skip_log_headers,
                "If true, avoid headers when opening log files (no effect when "
                "-logtostderr=true)")
      ->group(group);
  root.add_option("--stderrthreshold",
                  f.stderrthreshold,
                  "logs at or above this threshold go to stderr when writing to files and "
                  "stderr (no effect when -logtostderr=true or -alsologtostderr=true)")
      ->capture_default_str()
      ->group(group);
  root.add_option("--vmodule",
                  f.vmodule,
                  "comma-separated list of pattern=N settings for file-filtered logging "
                  "(accepted; -v applies to every file)")
      ->group(group);
}

Status
apply_log_flags(const LogFlags& flags) {
  log::Destinations d;
  d.to_stderr = flags.logtostderr;
  d.also_to_stderr = flags.alsologtostderr;
  d.stderr_threshold = flags.stderrthreshold <= 0   ? log::Severity::info
                       : flags.stderrthreshold == 1 ? log::Severity::warning
                                                    : log::Severity::error;
  d.headers = !flags.skip_headers;
  d.file_limit = flags.log_file_max_size * 1024 * 1024;
  std::string path = log_file_path(flags);
  if (!flags.logtostderr && !path.empty()) {
    // Appended, created private: request lines name servers and objects.
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return failf("--log-file {}: {}", path, std::strerror(errno));
    }
    d.file = ::fdopen(fd, "a");
    if (d.file == nullptr) {
      ::close(fd);
      return failf("--log-file {}: {}", path, std::strerror(errno));
    }
  }
  log::set_destinations(d);
  return {};
}

} // namespace kctl::cli
