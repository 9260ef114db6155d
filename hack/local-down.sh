#!/usr/bin/env bash
# Stops the local clusters (idempotent): SIGTERM to the harness (it stops pods, controllers, apiservers, etcd),
# then SIGKILL to anything still left in the clusters' network namespace.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LOCALENV_DIR:-$ROOT/_output/local}
pid=$(cat "$DIR/harness.pid" 2>/dev/null || true)
netns=$(cat "$DIR/netns" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
  [[ -z $netns ]] && netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
fi
# Leftovers: every process in that network namespace (never our own namespace).
if [[ -n $netns && $netns != "$(readlink /proc/self/ns/net)" ]]; then
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/net" 2>/dev/null) == "$netns" ]] || continue
    kill -KILL "${p#/proc/}" 2>/dev/null && echo "local-down: killed leftover pid ${p#/proc/}"
  done
fi
rm -f "$DIR/ready" "$DIR/harness.pid" "$DIR/netns" "$DIR/failed"
echo "local-down: stopped"
