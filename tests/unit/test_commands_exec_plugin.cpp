// Exec credential plugins seen from the command line: a plugin that never exits is bounded, and
// an interrupted command takes its plugin with it (issue 20).
#include "run_binary.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

extern char** environ;

namespace {

using namespace std::chrono_literals;

// A kubeconfig whose user gets its credential from `plugin`; the server is never reached (the
// plugin runs before the first request is sent).
std::string
kubeconfig_with_plugin(const kctl::test::TempDir& dir, const std::filesystem::path& plugin) {
  auto path = dir / "kubeconfig";
  std::ofstream(path) << "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n"
                         "- name: k\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n"
                         "- name: u\n  user:\n    exec:\n"
                         "      apiVersion: client.authentication.k8s.io/v1\n"
                         "      command: "
                      << plugin.string()
                      << "\n      interactiveMode: Never\ncontexts:\n"
                         "- name: c\n  context: {cluster: k, user: u}\n";
  return path.string();
}

// A plugin that writes its pid and its child's, then waits for ever.
std::filesystem::path
write_hanging_plugin(const kctl::test::TempDir& dir) {
  auto path = dir / "hang.sh";
  std::ofstream(path) << "#!/bin/sh\necho $$ > '" << (dir / "pid.tmp").string() << "'\nmv '"
                      << (dir / "pid.tmp").string() << "' '" << (dir / "pid").string()
                      << "'\nsleep 1000 &\necho $! > '" << (dir / "child").string() << "'\nwait\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

pid_t
read_pid(const std::filesystem::path& path) {
  auto text = kctl::fs::read_file(path);
  return text ? static_cast<pid_t>(std::atoi(text->c_str())) : 0;
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
    std::this_thread::sleep_for(20ms);
  }
}

// Starts the built karmadactl with `args`, stdin from /dev/null, stdout and stderr to files.
pid_t
start_karmadactl(const std::vector<std::string>& args, const kctl::test::TempDir& dir) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(
      &actions, 1, (dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(
      &actions, 2, (dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> strings{KCTL_BINARY};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& text : strings) {
    argv.push_back(text.data());
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, KCTL_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Waits up to `limit` for `pid` to exit; returns its exit code (128 + signal), or -1 after
// killing it when it did not exit in time.
int
wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

TEST_SUITE("commands.exec_plugin") {

  TEST_CASE("an interrupted command ends its exec plugin and what the plugin started") {
    for (int signal_number : {SIGTERM, SIGINT}) {
      CAPTURE(signal_number);
      kctl::test::TempDir dir;
      auto kubeconfig = kubeconfig_with_plugin(dir, write_hanging_plugin(dir));
      pid_t karmadactl = start_karmadactl({"get", "clusters", "--kubeconfig", kubeconfig}, dir);
      REQUIRE(karmadactl > 0);
      // Wait for the plugin to be running.
      auto deadline = std::chrono::steady_clock::now() + 10s;
      while (!std::filesystem::exists(dir / "child") &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
      }
      pid_t plugin = read_pid(dir / "pid");
      pid_t child = read_pid(dir / "child");
      REQUIRE(plugin > 0);
      REQUIRE(child > 0);
      REQUIRE(::kill(karmadactl, signal_number) == 0);
      int exit_code = wait_exit(karmadactl, 5s);
      CHECK(exit_code == 128 + signal_number);
      CHECK(kctl::fs::read_file(dir / "err").value_or("").find("interrupted") != std::string::npos);
      for (pid_t pid : {plugin, child}) {
        bool gone = gone_within(pid, 2s);
        CHECK(gone);
        if (!gone) {
          ::kill(pid, SIGKILL); // leave nothing behind when the check failed
        }
      }
    }
  }

  TEST_CASE("--request-timeout bounds an exec plugin that never exits") {
    kctl::test::TempDir dir;
    auto plugin_path = write_hanging_plugin(dir);
    auto kubeconfig = kubeconfig_with_plugin(dir, plugin_path);
    auto start = std::chrono::steady_clock::now();
    pid_t karmadactl = start_karmadactl(
        {"get", "clusters", "--kubeconfig", kubeconfig, "--request-timeout=1s"}, dir);
    REQUIRE(karmadactl > 0);
    int exit_code = wait_exit(karmadactl, 10s);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(exit_code == 1);
    std::string err = kctl::fs::read_file(dir / "err").value_or("");
    CHECK_MESSAGE(err.find("exec plugin \"" + plugin_path.string() +
                           "\" timed out: it did not finish within 1s (the request timeout), and "
                           "was stopped") != std::string::npos,
                  err);
    for (const char* name : {"pid", "child"}) {
      pid_t pid = read_pid(dir / name);
      REQUIRE(pid > 0);
      bool gone = gone_within(pid, 2s);
      CHECK_MESSAGE(gone, name);
      if (!gone) {
        ::kill(pid, SIGKILL);
      }
    }
  }
}
