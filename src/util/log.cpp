#include "util/log.hpp"

#include "util/terminal.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace kctl::log {

namespace {
std::atomic<int> g_verbosity{0};
Destinations g_destinations; // set once, before any thread logs
std::atomic<std::uint64_t> g_file_bytes{0};
std::atomic<bool> g_file_full{false};

// Appends `text` to the log file unless that would pass its limit; the first line refused says so
// (once), so a reader knows the file stops there.
void
write_file(const std::string& text) {
  const Destinations& d = g_destinations;
  if (g_file_full.load()) {
    return;
  }
  std::uint64_t after = g_file_bytes.fetch_add(text.size()) + text.size();
  if (d.file_limit != 0 && after > d.file_limit) {
    if (!g_file_full.exchange(true)) {
      constexpr std::string_view note = "log file size limit (--log-file-max-size) reached\n";
      std::fwrite(note.data(), 1, note.size(), d.file);
      std::fflush(d.file);
    }
    return;
  }
  std::fwrite(text.data(), 1, text.size(), d.file);
  std::fflush(d.file);
}

char
severity_letter(Severity severity) {
  switch (severity) {
  case Severity::info:
    return 'I';
  case Severity::warning:
    return 'W';
  case Severity::error:
    return 'E';
  }
  return 'I';
}
} // namespace

void
set_destinations(const Destinations& destinations) {
  g_destinations = destinations;
}

void
set_verbosity(int level) {
  g_verbosity.store(level);
}

int
verbosity() {
  return g_verbosity.load(std::memory_order_relaxed);
}

void
write(Severity severity, const char* file, int line, std::string_view message) {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t seconds = system_clock::to_time_t(now);
  auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  localtime_r(&seconds, &tm);
  std::string_view base = file;
  if (auto slash = base.rfind('/'); slash != std::string_view::npos) {
    base.remove_prefix(slash + 1);
  }
  const Destinations& d = g_destinations;
  std::string header = d.headers ? fmt::format("{}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>7} {}:{}] ",
                                               severity_letter(severity),
                                               tm.tm_mon + 1,
                                               tm.tm_mday,
                                               tm.tm_hour,
                                               tm.tm_min,
                                               tm.tm_sec,
                                               micros,
                                               ::getpid(),
                                               base,
                                               line)
                                 : std::string{};
  // One fwrite per line keeps lines from several threads whole.
  std::string text = header + terminal::escape(message) + "\n";
  bool to_file = !d.to_stderr && d.file != nullptr;
  if (to_file) {
    write_file(text);
  }
  if (!to_file || d.also_to_stderr || severity >= d.stderr_threshold) {
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

} // namespace kctl::log
