// Runs the built karmadactl binary as a user would, capturing exit code, stdout and stderr.
#pragma once

#include "testutil.hpp"
#include "util/fs.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <string>

namespace kctl::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `shell_args` (already shell-quoted) with `binary` (default: the built karmadactl).
inline RunResult
run_karmadactl(const std::string& shell_args, const std::string& binary = KCTL_BINARY) {
  TempDir dir;
  std::string command = "'" + binary + "' " + shell_args + " >'" + (dir / "out").string() +
                        "' 2>'" + (dir / "err").string() + "' </dev/null";
  int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = fs::read_file(dir / "out").value_or("");
  result.err = fs::read_file(dir / "err").value_or("");
  return result;
}

} // namespace kctl::test
