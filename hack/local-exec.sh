#!/usr/bin/env bash
# Runs a command inside the local clusters' namespace (where their addresses and service names resolve):
#   hack/local-exec.sh -- karmadactl --kubeconfig _output/local/host.kubeconfig ...
# The working directory and environment are kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LOCALENV_DIR:-$ROOT/_output/local}
[[ ${1:-} == -- ]] && shift
if [[ $# -eq 0 ]]; then
  echo "usage: $0 -- CMD [ARGS...]" >&2
  exit 2
fi
pid=$(cat "$DIR/harness.pid" 2>/dev/null || true)
if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null || [[ ! -f $DIR/ready ]]; then
  echo "local-exec: local clusters are not up (run hack/local-up.sh)" >&2
  exit 1
fi
userns=()
if [[ $(readlink "/proc/$pid/ns/user") != $(readlink /proc/self/ns/user) ]]; then
  userns=(--user --preserve-credentials)
fi
exec nsenter --target "$pid" "${userns[@]}" --net --mount --wd="$PWD" -- "$@"
