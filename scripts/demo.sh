#!/usr/bin/env bash
# A local Karmada in one command, built and run with this tool alone, showing workloads landing in
# member clusters (the README's first command):
#   scripts/demo.sh          # set up, install, register and join members, propagate, print where replicas landed
#   scripts/demo.sh down     # stop the local clusters
# It installs the build dependencies, builds karmadactl (release) and the local-cluster fixtures (real
# kube-apiserver, etcd, kube-controller-manager and the Karmada v1.18.2 components, from Go modules;
# 10-20 minutes the first time, seconds afterwards), starts four local clusters (host, member1-3), runs
# our `init` on the host, registers member3 in pull mode, joins member1 and member2 in push mode,
# labels them as the guide does, and applies the guide's nginx Deployment with each of its four
# PropagationPolicies in turn. Re-running converges: nothing is created twice.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LOCALENV_DIR=${LOCALENV_DIR:-$ROOT/_output/demo}
export LOCALENV_BIN=$ROOT/_output/fixtures/bin
BIN=$LOCALENV_BIN
K=$LOCALENV_DIR
WORK=$LOCALENV_DIR/work
KD=$WORK/karmada
KC=$KD/karmada-apiserver.config
KCTL=$ROOT/build/karmadactl
started=$(date +%s)

say() { printf '\n==> %s  (%ss)\n' "$*" "$(($(date +%s) - started))" >&2; }
inns() { "$ROOT/hack/local-exec.sh" -- "$@"; }

# with_progress LABEL CMD...: runs CMD with its output in a log, printing a line every 30 s so a
# long first build never looks stuck; on failure shows the end of the log.
with_progress() {
  local label=$1 log t0=$(date +%s) pid rc
  shift
  log=$WORK/$(tr ' /' '__' <<<"$label").log
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && printf '    ... %s: still running (%ss; log: %s)\n' "$label" "$(($(date +%s) - t0))" "$log" >&2
  done
  wait "$pid" && rc=0 || rc=$?
  if ((rc != 0)); then
    tail -n 30 "$log" >&2
    echo "error: $label failed (exit $rc); full log: $log. Fix the cause and run scripts/demo.sh again." >&2
    exit "$rc"
  fi
}

if [[ ${1:-} == down ]]; then
  "$ROOT/hack/local-down.sh"
  echo "local clusters stopped; files kept in $LOCALENV_DIR (delete it to start from scratch)"
  exit 0
fi
mkdir -p "$WORK"

say "1/8 install build dependencies (Debian packages)"
with_progress "install dependencies" "$ROOT/scripts/install-deps.sh"

say "2/8 build karmadactl (release)"
with_progress "build karmadactl" bash -c "cmake -S '$ROOT' -B '$ROOT/build' -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF -DCMAKE_UNITY_BUILD=ON && cmake --build '$ROOT/build' --target karmadactl"

say "3/8 build the local-cluster fixtures from Go modules (10-20 minutes the first time, cached afterwards)"
with_progress "build fixtures" "$ROOT/hack/build-fixtures.sh"

say "4/8 start the local clusters: host, member1, member2, member3"
with_progress "start local clusters" env SKIP_BUILD=1 "$ROOT/hack/local-up.sh"

say "5/8 karmadactl init on the host cluster"
inns "$KCTL" init --kubeconfig "$K/host.kubeconfig" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
  --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$WORK/etcd-data" >"$WORK/init.out"

source "$ROOT/hack/guide/lib.sh"
say "6/8 register member3 (pull mode), join member1 and member2 (push mode)"
guide_register member3
guide_join member1
guide_join member2
for m in member1 member2 member3; do guide_wait_ready "$m"; done
inns "$KCTL" --kubeconfig "$KC" get clusters

say "7/8 label the clusters as the guide does"
guide_label_clusters
inns "$KCTL" get clusters --show-labels --kubeconfig "$KC"

say "8/8 the guide's nginx Deployment under each of its four policies"
rows=$WORK/landing.tsv
: >"$rows"
# show_case: applies one case, waits for its replicas, and adds its row to the table (printed once,
# below); progress goes to stderr meanwhile.
show_case() {
  local name=$1 replicas=$2 placement=$3 want=$4 title=$5
  guide_apply_case "$name" "$replicas" "$placement" >/dev/null
  guide_wait_replicas "$name" "$want" 180 || echo "warning: $name did not reach '$want' within 180 s" >&2
  local row r1 r2 r3
  row=$(guide_landing_row "$name" "$title")
  printf '%s\n' "$row" >>"$rows"
  IFS=$'\t' read -r _ r1 r2 r3 <<<"$row"
  printf '    %s: member1=%s member2=%s member3=%s\n' "$name" "$r1" "$r2" "$r3" >&2
}
show_case nginx-names 3 "$GUIDE_BY_NAMES" "member2=3 member3=3 member1=-" "by names [member2,member3], 3"
show_case nginx-labels 3 "$GUIDE_BY_LABEL" "member1=3 member3=3 member2=-" "by label environment=dev, 3"
show_case nginx-weighted 6 "$GUIDE_WEIGHTED" "member1=4 member2=2 member3=-" "Weighted 2:1 [member1,member2], 6"
show_case nginx-duplicated 6 "$GUIDE_DUPLICATED" "member1=6 member2=6 member3=-" "Duplicated [member1,member2], 6"

echo
echo "Where the replicas landed (spec.replicas read from each member's API server; - = not there):"
guide_print_table "$rows"
cat <<TXT

Done in $(($(date +%s) - started))s. Kubeconfigs (use them through hack/local-exec.sh, where the addresses resolve):
  Karmada API server: $KC
  host cluster:       $K/host.kubeconfig
  members:            $K/member1.kubeconfig $K/member2.kubeconfig $K/member3.kubeconfig
Next commands to try:
  LOCALENV_DIR=$LOCALENV_DIR $ROOT/hack/local-exec.sh -- $KCTL get clusters --kubeconfig $KC
  LOCALENV_DIR=$LOCALENV_DIR $ROOT/hack/local-exec.sh -- $KCTL get deployments --operation-scope members --kubeconfig $KC
  LOCALENV_DIR=$LOCALENV_DIR $ROOT/hack/local-exec.sh -- $KCTL cordon member1 --kubeconfig $KC
Stop everything:  scripts/demo.sh down
TXT
