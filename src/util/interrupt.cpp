#include "util/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

namespace kctl::interrupt {

namespace {

extern "C" void
on_signal(int signal_number) {
  static const char message[] = "\ninterrupted\n";
  // Only async-signal-safe calls here.
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof(message) - 1);
  (void)ignored;
  ::_exit(128 + signal_number);
}

} // namespace

void
install_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  // A closed pipe (karmadactl ... | head) must end the write with EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);
}

} // namespace kctl::interrupt
