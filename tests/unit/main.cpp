// The test runner. Every karmadactl the tests start (and every client made in-process) would keep
// kubectl's discovery cache in the real ~/.kube/cache; it goes to a directory of this run instead,
// removed at the end, so tests neither touch the user's cache nor see one left by another run.
#define DOCTEST_CONFIG_IMPLEMENT
#include "kube/discovery_cache.hpp"
#include "testutil.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

int
main(int argc, char** argv) {
  kctl::test::TempDir cache;
  ::setenv(std::string(kctl::kube::k_kube_cache_dir_env).c_str(), cache.path().c_str(), 1);
  doctest::Context context(argc, argv);
  return context.run();
}
