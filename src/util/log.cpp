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
  // One fwrite per line keeps lines from several threads whole.
  std::string text = fmt::format("{}{:02}{:02} {:02}:{:02}:{:02}.{:06} {:>7} {}:{}] {}\n",
                                 severity_letter(severity),
                                 tm.tm_mon + 1,
                                 tm.tm_mday,
                                 tm.tm_hour,
                                 tm.tm_min,
                                 tm.tm_sec,
                                 micros,
                                 ::getpid(),
                                 base,
                                 line,
                                 terminal::escape(message));
  std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace kctl::log
