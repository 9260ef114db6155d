#!/usr/bin/env bash
# Shows whether the local clusters are up, their kubeconfigs, and the memory of every process in their
# namespace (RSS per command and total).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LOCALENV_DIR:-$ROOT/_output/local}
pid=$(cat "$DIR/harness.pid" 2>/dev/null || true)
if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
  echo "local clusters: down ($DIR)"
  exit 1
fi
echo "local clusters: $([[ -f $DIR/ready ]] && echo up || echo starting) (harness pid $pid, $DIR)"
ls "$DIR"/*.kubeconfig 2>/dev/null | sed 's/^/  /'
ns=$(readlink "/proc/$pid/ns/net")
for p in /proc/[0-9]*; do
  [[ $(readlink "$p/ns/net" 2>/dev/null) == "$ns" ]] || continue
  rss=$(awk '/^VmRSS/{print $2}' "$p/status" 2>/dev/null) || continue
  [[ -n $rss ]] || continue
  printf '%8d %s\n' "$rss" "$(basename "$(awk '{print $1}' <(tr '\0' ' ' <"$p/cmdline"))")"
done | sort -rn | awk '{tot+=$1; printf "  %7.0f MB  %s\n", $1/1024, $2} END {printf "  %7.0f MB  total (%d processes)\n", tot/1024, NR}'
