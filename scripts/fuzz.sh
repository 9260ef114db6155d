#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang 19, ASan+UBSan, build-fuzz/) and runs each for
# a bounded time, starting from a copy of its seed corpus (tests/fuzz/corpus/<target>, never
# modified). Fails on any crash, leak, timeout, out-of-memory or sanitizer report; the input that
# caused it is kept under build-fuzz/artifacts/. Prints executions, time and coverage per target.
#   scripts/fuzz.sh [seconds-per-target] [target...]     # default 15 s, every target
#   scripts/fuzz.sh 300 fuzz_yaml                          # a longer run of one target
#   KCTL_FUZZ_SKIP_BUILD=1 KCTL_FUZZ_BUILD_DIR=dir scripts/fuzz.sh   # targets already built in dir
#   KCTL_FUZZ_SEED=1 KCTL_FUZZ_RUNS=20000 scripts/fuzz.sh 15       # what scripts/test.sh (CI) runs:
#     a fixed seed and at most that many inputs per target (the time caps only the slow targets), so a
#     run that passes here passes in CI; finding new bugs is the longer, unseeded runs' job.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
shift $(($# > 0 ? 1 : 0))
build=${KCTL_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${KCTL_JOBS:-2}

if [[ ${KCTL_FUZZ_SKIP_BUILD:-0} == 1 ]]; then
  :
elif ! command -v clang++-19 >/dev/null; then
  echo "scripts/fuzz.sh: clang++-19 is missing (scripts/install-deps.sh installs clang-19 and libclang-rt-19-dev)" >&2
  exit 1
else
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build" -G Ninja -DKCTL_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_UNITY_BUILD=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$jobs" --target fuzz_all
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in "$root"/tests/fuzz/fuzz_*.cpp; do
    targets+=("$(basename "$source" .cpp)")
  done
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/kctl-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/artifacts"
# Inputs up to this size; the CRD tarball seeds are a few KiB, the rest much smaller.
max_len_of() { [[ $1 == fuzz_crds ]] && echo 32768 || echo 8192; }

limits=()
[[ -n ${KCTL_FUZZ_SEED:-} ]] && limits+=(-seed="$KCTL_FUZZ_SEED")
[[ -n ${KCTL_FUZZ_RUNS:-} ]] && limits+=(-runs="$KCTL_FUZZ_RUNS")

failed=()
printf '%-22s %12s %8s %8s %8s %8s\n' target execs seconds cov ft corpus
for target in "${targets[@]}"; do
  corpus="$scratch/$target"
  mkdir -p "$corpus"
  if [[ -d $root/tests/fuzz/corpus/$target ]]; then
    cp -r "$root/tests/fuzz/corpus/$target/." "$corpus/"
  fi
  log="$scratch/$target.log"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/$target" -max_total_time="$seconds" -max_len="$(max_len_of "$target")" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "${limits[@]}" \
    "$corpus" >"$log" 2>&1 || status=$?
  # The last status line: "#123456 DONE cov: 1234 ft: 5678 corp: 90/12Kb ...".
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%-22s %12s %8s %8s %8s %8s\n' "$target" "${execs:--}" "${took:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}"
  if ((status != 0)) || grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log"; then
    failed+=("$target")
    echo "--- $target failed (exit $status); the end of its log:" >&2
    tail -n 60 "$log" >&2
  fi
done

if ((${#failed[@]})); then
  echo "scripts/fuzz.sh: findings in: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
