#!/usr/bin/env bash
# Starts the local clusters (host, member1, member2, member3) inside a private user+network+mount namespace and
# returns once all are ready. Admin kubeconfigs: _output/local/<cluster>.kubeconfig. Run tools against them with
# hack/local-exec.sh -- CMD... (the addresses only exist inside the namespace). Stop with hack/local-down.sh.
# Env: LOCALENV_DIR (default _output/local), LOCALENV_UP_TIMEOUT seconds (default 600), SKIP_BUILD=1,
#      LOCALENV_CLUSTERS (default host,member1,member2,member3), LOCALENV_POD_CLUSTERS (default host,member3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LOCALENV_DIR:-$ROOT/_output/local}
BIN=${LOCALENV_BIN:-$ROOT/_output/fixtures/bin}
TIMEOUT=${LOCALENV_UP_TIMEOUT:-600}

if [[ -z ${SKIP_BUILD:-} ]]; then
  "$ROOT/hack/build-fixtures.sh"
fi
mkdir -p "$DIR"

# Each Karmada component and kube process watches files through inotify; several environments at once
# (CI keeps the shared one up while other tests start their own) exhaust Debian's default of 128
# instances per user, and karmada-webhook then dies with "too many open files". Raise it when we may.
min_inotify=1024
if [[ $(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo "$min_inotify") -lt $min_inotify ]]; then
  if [[ $(id -u) == 0 ]] && echo "$min_inotify" >/proc/sys/fs/inotify/max_user_instances 2>/dev/null; then
    echo "local-up: raised fs.inotify.max_user_instances to $min_inotify (several local environments need more than the default)"
  else
    echo "local-up: warning: fs.inotify.max_user_instances is below $min_inotify; with several environments up, components may fail with 'too many open files' (sysctl -w fs.inotify.max_user_instances=$min_inotify)" >&2
  fi
fi
if [[ -f $DIR/harness.pid ]] && kill -0 "$(cat "$DIR/harness.pid")" 2>/dev/null; then
  if [[ -f $DIR/ready ]]; then
    echo "local clusters already up (harness pid $(cat "$DIR/harness.pid")); kubeconfigs in $DIR"
    exit 0
  fi
  echo "a harness is running but not ready; stopping it first" >&2
fi
LOCALENV_DIR=$DIR "$ROOT/hack/local-down.sh" >/dev/null 2>&1 || true
rm -f "$DIR/ready" "$DIR/failed" "$DIR/harness.pid" "$DIR/netns"

# Prefer an unprivileged user namespace; as real root without userns support, use plain net+mount namespaces.
if unshare --user --map-root-user --net --mount true 2>/dev/null; then
  NS=(unshare --user --map-root-user --net --mount --fork)
elif [[ $(id -u) == 0 ]] && unshare --net --mount true 2>/dev/null; then
  NS=(unshare --net --mount --fork)
else
  echo "local-up: cannot create network+mount namespaces (need user namespaces or root)" >&2
  exit 1
fi

start=$(date +%s)
nohup setsid "${NS[@]}" -- "$BIN/harness" up --dir "$DIR" --bin "$BIN" \
  --clusters "${LOCALENV_CLUSTERS:-host,member1,member2,member3}" --pod-clusters "${LOCALENV_POD_CLUSTERS:-host,member3}" >"$DIR/harness.log" 2>&1 </dev/null &
launcher=$!
echo "local-up: starting clusters (log: $DIR/harness.log)"
while :; do
  if [[ -f $DIR/ready ]]; then break; fi
  if [[ -f $DIR/failed ]] || ! kill -0 "$launcher" 2>/dev/null; then
    echo "local-up: harness failed:" >&2
    tail -n 40 "$DIR/harness.log" >&2 || true
    LOCALENV_DIR=$DIR "$ROOT/hack/local-down.sh" >/dev/null 2>&1 || true
    exit 1
  fi
  if (( $(date +%s) - start > TIMEOUT )); then
    echo "local-up: timed out after ${TIMEOUT}s" >&2
    tail -n 40 "$DIR/harness.log" >&2 || true
    LOCALENV_DIR=$DIR "$ROOT/hack/local-down.sh" >/dev/null 2>&1 || true
    exit 1
  fi
  sleep 1
done
pid=$(cat "$DIR/harness.pid")
readlink "/proc/$pid/ns/net" >"$DIR/netns"
echo "local-up: ready in $(( $(date +%s) - start ))s (harness pid $pid)"
for f in "$DIR"/*.kubeconfig; do
  [[ -f $f ]] && echo "  $(basename "$f" .kubeconfig): $f"
done
