#!/usr/bin/env bash
# Sets up the machine and runs every test: unit and CLI tests (warnings as errors), the unit tests
# again under AddressSanitizer+UndefinedBehaviorSanitizer, every fuzz target for a bounded time, and
# the end-to-end tests against real local clusters (built from Go modules on first use; see
# docs/local-clusters.md) with the ASan+UBSan binary.
#   KCTL_SKIP_E2E=1 scripts/test.sh    # skip the end-to-end part
#   KCTL_FUZZ_SECONDS=60 scripts/test.sh  # fuzz each target longer (default 15 s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${KCTL_JOBS:-2}
started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }

step "install dependencies"
"$root/scripts/install-deps.sh"

step "format check"
git -C "$root" ls-files '*.cpp' '*.hpp' | (cd "$root" && xargs clang-format --dry-run --Werror)

# Release (-O3) is the configuration users build, and g++ warns about more at -O3 than at -O2.
step "build with warnings as errors (Release)"
cmake -S "$root" -B "$root/build-ci" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARNINGS_AS_ERRORS=ON \
  -DCMAKE_UNITY_BUILD=ON
cmake --build "$root/build-ci" -j "$jobs"

step "unit and CLI tests"
ctest --test-dir "$root/build-ci" -L unit --output-on-failure

step "packages (.deb, and .rpm when rpmbuild is installed): file list, install into a fresh root, run"
ctest --test-dir "$root/build-ci" -L package --output-on-failure

step "unit tests under ASan+UBSan"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DENABLE_SANITIZERS=ON \
  -DWARNINGS_AS_ERRORS=ON -DCMAKE_UNITY_BUILD=ON
cmake --build "$root/build-asan" -j "$jobs" --target karmadactl karmadactl_unittest
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$root/build-asan" -L unit --output-on-failure

fuzz_seconds=${KCTL_FUZZ_SECONDS:-15}
step "fuzz targets (${fuzz_seconds} s each)"
# A fixed seed and a bounded number of inputs: the same binary finds the same things here and in CI.
KCTL_FUZZ_SEED=${KCTL_FUZZ_SEED:-1} KCTL_FUZZ_RUNS=${KCTL_FUZZ_RUNS:-20000} KCTL_JOBS=$jobs \
  "$root/scripts/fuzz.sh" "$fuzz_seconds"

if [[ ${KCTL_SKIP_E2E:-0} == 1 ]]; then
  step "end-to-end tests skipped (KCTL_SKIP_E2E=1)"
  exit 0
fi
if [[ -x "$root/hack/build-fixtures.sh" ]]; then
  step "build end-to-end fixtures (cached after the first run)"
  "$root/hack/build-fixtures.sh"
  # The e2e suite runs the ASan+UBSan binary (build-asan's ctest passes its own karmadactl to every
  # script); the Release binary runs end to end in .ci/run's demo. A sanitizer report goes to
  # $san_logs (also from a command a test expects to fail) and fails the run.
  step "end-to-end tests against local clusters (karmadactl under ASan+UBSan)"
  san_logs=$root/_output/sanitizer
  rm -rf "$san_logs"
  mkdir -p "$san_logs"
  e2e_rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$san_logs/asan \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$san_logs/ubsan \
    KARMADA_E2E_REQUIRED=1 ctest --test-dir "$root/build-asan" -L e2e --output-on-failure || e2e_rc=$?
  if [[ -n $(ls -A "$san_logs") ]]; then
    for f in "$san_logs"/*; do printf -- '---- %s\n' "$f"; cat "$f"; done
    echo "FAIL: sanitizer reports during the end-to-end tests (above)" >&2
    exit 1
  fi
  [[ $e2e_rc -eq 0 ]] || exit "$e2e_rc"
fi
step "all tests passed"
