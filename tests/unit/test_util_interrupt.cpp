// Ctrl-C handling: tracked children die with the process (issue 20), untracked ones are left.
#include "util/fs.hpp"
#include "util/interrupt.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

extern char** environ;

namespace {

// Starts `sleep 1000`, the leader of its own process group when `group`.
pid_t
start_sleep(bool group) {
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  char sleep_name[] = "sleep";
  char seconds[] = "1000";
  char* argv[] = {sleep_name, seconds, nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, "sleep", nullptr, &attributes, argv, environ);
  posix_spawnattr_destroy(&attributes);
  return rc == 0 ? pid : -1;
}

// Whether `pid` is gone (a zombie counts as gone) within `limit`.
bool
gone_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    auto stat = kctl::fs::read_file("/proc/" + std::to_string(pid) + "/stat");
    auto state = stat ? stat->rfind(") ") : std::string::npos;
    if (!stat || (state != std::string::npos && stat->at(state + 2) == 'Z')) {
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

} // namespace

TEST_SUITE("util.interrupt") {

  TEST_CASE("SIGINT and SIGTERM kill the tracked children, not the untracked ones, and exit "
            "128 + signal") {
    for (int signal_number : {SIGINT, SIGTERM}) {
      CAPTURE(signal_number);
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      pid_t process = ::fork();
      REQUIRE(process >= 0);
      if (process == 0) {
        // The process under test: two tracked children (a process group and a process), one
        // that was tracked and is not any more; then the signal.
        ::close(fds[0]);
        int quiet = ::open("/dev/null", O_WRONLY);
        ::dup2(quiet, STDERR_FILENO); // "interrupted" is not for the test log
        kctl::interrupt::install_handlers();
        pid_t pids[3] = {
            kctl::interrupt::spawn_tracked([] { return start_sleep(true); },
                                           kctl::interrupt::ChildScope::process_group),
            kctl::interrupt::spawn_tracked([] { return start_sleep(false); },
                                           kctl::interrupt::ChildScope::process),
            kctl::interrupt::spawn_tracked([] { return start_sleep(false); },
                                           kctl::interrupt::ChildScope::process),
        };
        kctl::interrupt::untrack(pids[2]);
        if (::write(fds[1], pids, sizeof pids) != static_cast<ssize_t>(sizeof pids)) {
          ::_exit(99);
        }
        ::raise(signal_number);
        ::_exit(98); // not reached: the handler exits
      }
      ::close(fds[1]);
      pid_t pids[3] = {0, 0, 0};
      REQUIRE(::read(fds[0], pids, sizeof pids) == static_cast<ssize_t>(sizeof pids));
      ::close(fds[0]);
      int status = 0;
      REQUIRE(::waitpid(process, &status, 0) == process);
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 128 + signal_number);
      CHECK(gone_within(pids[0], std::chrono::seconds(2)));
      CHECK(gone_within(pids[1], std::chrono::seconds(2)));
      bool untracked_gone = gone_within(pids[2], std::chrono::milliseconds(200));
      CHECK_FALSE(untracked_gone);
      if (!untracked_gone) {
        ::kill(pids[2], SIGKILL);
      }
    }
  }
}
