#include "util/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>

namespace kctl::interrupt {

namespace {

// Tracked children: a pid (> 0), a process group (< 0, as kill() takes it), or 0 for a free slot.
// More children than slots at once do not happen (a plugin runs once per credential provider,
// under its lock, and requests run on a few threads); one that finds no slot is not tracked.
constexpr std::size_t k_max_tracked = 64;
std::array<std::atomic<pid_t>, k_max_tracked> g_tracked{};

// Children being started right now; a signal then only records itself in g_pending, and the
// last spawn_tracked to finish ends the process once its child is tracked.
std::atomic<int> g_spawning{0};
std::atomic<int> g_pending{0};
std::atomic_flag g_ending = ATOMIC_FLAG_INIT;

static_assert(std::atomic<pid_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

// Kills the tracked children, says so, and exits 128 + `signal_number`. Only async-signal-safe
// calls here. A second caller (the other signal on another thread) waits for the first to exit.
[[noreturn]] void
end_now(int signal_number) {
  if (g_ending.test_and_set()) {
    while (true) {
      ::pause();
    }
  }
  for (auto& slot : g_tracked) {
    pid_t target = slot.load();
    if (target != 0) {
      ::kill(target, SIGKILL);
    }
  }
  static const char message[] = "\ninterrupted\n";
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof(message) - 1);
  (void)ignored;
  ::_exit(128 + signal_number);
}

// Ends the process for a signal that arrived while children were being started, once none is.
void
finish_pending() {
  int signal_number = g_pending.load();
  if (signal_number != 0 && g_spawning.load() == 0) {
    end_now(signal_number);
  }
}

extern "C" void
on_signal(int signal_number) {
  g_pending.store(signal_number);
  if (g_spawning.load() > 0) {
    return; // spawn_tracked ends the process once its child is tracked
  }
  end_now(signal_number);
}

void
track(pid_t target) {
  for (auto& slot : g_tracked) {
    pid_t free_slot = 0;
    if (slot.compare_exchange_strong(free_slot, target)) {
      return;
    }
  }
}

} // namespace

void
install_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // The handler is not interrupted by the other signal on the same thread (end_now would wait
  // for itself).
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  // A closed pipe (karmadactl ... | head) must end the write with EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);
}

pid_t
spawn_tracked(const std::function<pid_t()>& spawn, ChildScope scope) {
  g_spawning.fetch_add(1);
  if (g_pending.load() != 0) {
    // Interrupted already: start nothing.
    g_spawning.fetch_sub(1);
    finish_pending();
    return -1;
  }
  pid_t pid = spawn();
  if (pid > 0) {
    track(scope == ChildScope::process_group ? -pid : pid);
  }
  g_spawning.fetch_sub(1);
  finish_pending();
  return pid;
}

void
untrack(pid_t pid) {
  for (auto& slot : g_tracked) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) {
      return;
    }
    expected = -pid;
    if (slot.compare_exchange_strong(expected, 0)) {
      return;
    }
  }
}

} // namespace kctl::interrupt
