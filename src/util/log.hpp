// klog-compatible diagnostics on stderr. Logging is never the user interface: results go to stdout
// through the commands, and messages here are off unless -v asks for them.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace kctl::log {

// Sets the -v level (0 = only warnings and errors).
void set_verbosity(int level);
int verbosity();

inline bool
enabled(int level) {
  return verbosity() >= level;
}

enum class Severity { info, warning, error };

// Where log lines go, as klog's flags say (--logtostderr, --alsologtostderr, --log-file,
// --stderrthreshold, --skip-headers, --log-file-max-size).
struct Destinations {
  bool to_stderr = true;                       // --logtostderr: stderr only, the file ignored
  bool also_to_stderr = false;                 // --alsologtostderr: the file and stderr
  Severity stderr_threshold = Severity::error; // with a file, these and worse also go to stderr
  std::FILE* file = nullptr;    // owned by the caller, open for the life of the process
  std::uint64_t file_limit = 0; // bytes; 0: no limit
  bool headers = true;          // --skip-headers: the message alone
};
void set_destinations(const Destinations& destinations);

// Writes one klog-formatted line ("I1126 10:12:58.123456   4242 file.cpp:12] message").
void write(Severity severity, const char* file, int line, std::string_view message);

} // namespace kctl::log

// Formats and writes only when -v is at least `level`, so disabled logging costs one comparison.
#define KLOG(level, ...)                                                                           \
  do {                                                                                             \
    if (::kctl::log::enabled(level)) {                                                             \
      ::kctl::log::write(                                                                          \
          ::kctl::log::Severity::info, __FILE__, __LINE__, ::fmt::format(__VA_ARGS__));            \
    }                                                                                              \
  } while (false)

#define KLOG_WARNING(...)                                                                          \
  ::kctl::log::write(::kctl::log::Severity::warning, __FILE__, __LINE__, ::fmt::format(__VA_ARGS__))
