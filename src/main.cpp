#include "commands/cli.hpp"

int
main(int argc, char** argv) {
  return kctl::cli::run(std::vector<std::string>(argv, argv + argc));
}
