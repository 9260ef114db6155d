#!/usr/bin/env bash
# Start-up time, peak memory and binary size of our karmadactl against upstream karmadactl v1.18.2, measured
# in the same run on the same machine. Usage: bench/startup.sh [OUR_BINARY] [RUNS]
#   OUR_BINARY defaults to build-ci/karmadactl; upstream comes from _output/fixtures/bin (hack/build-fixtures.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OURS=${1:-$ROOT/build-ci/karmadactl}
UPSTREAM=$ROOT/_output/fixtures/bin/karmadactl
RUNS=${2:-50}
[[ -x $OURS && -x $UPSTREAM ]] || { echo "need $OURS and $UPSTREAM" >&2; exit 1; }

# measure BINARY ARGS...: mean wall milliseconds over RUNS, and the peak RSS (KiB) of one run.
measure() {
  local start end rss
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  local rss_file
  rss_file=$(mktemp)
  /usr/bin/time -o "$rss_file" -f %M "$@" >/dev/null 2>&1 || true
  rss=$(tail -1 "$rss_file")
  rm -f "$rss_file"
  echo "$(( (end - start) / RUNS / 1000 )) $rss"
}

printf '%-28s %12s %12s %10s\n' "case" "ours" "upstream" "ratio"
row() {
  local label=$1 ours=$2 upstream=$3
  printf '%-28s %12s %12s %10s\n' "$label" "$ours" "$upstream" "$(awk -v a="$ours" -v b="$upstream" 'BEGIN{printf "%.2f", a/b}')"
}
for args in "version" "init --help"; do
  read -r ours_us ours_rss < <(measure "$OURS" $args)
  read -r up_us up_rss < <(measure "$UPSTREAM" $args)
  row "$args: wall (us)" "$ours_us" "$up_us"
  row "$args: peak RSS (KiB)" "$ours_rss" "$up_rss"
done
row "binary size (bytes)" "$(stat -c %s "$OURS")" "$(stat -c %s "$UPSTREAM")"
