#!/usr/bin/env bash
# The init scenario of bench/run.sh: each tool's `init` on fresh local clusters (one environment at a time, in
# _output/e2e/bench-init), interleaved ours, upstream, ...; timed from the start of `init` until the aggregated
# APIService v1alpha1.cluster.karmada.io is Available. After each of our runs, the control plane's own readiness
# path is read from its timestamps (bench/lower_bound.py) and recorded as the tool "lower_bound".
#   bench/init.sh SAMPLES OURS UPSTREAM REPEATS WORKDIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/_output/fixtures/bin
export LOCALENV_DIR=$ROOT/_output/e2e/bench-init LOCALENV_BIN=$BIN

# Runs inside the clusters' namespace: init, then the wait for the APIService; prints "wall rss rc".
inner() { # TOOL BIN OUT
  local tool=$1 bin=$2 out=$3 kd=$LOCALENV_DIR/work/karmada start end rc=0 timeout=300
  [[ $tool == ours ]] && timeout=5m
  start=${EPOCHREALTIME/./}
  /usr/bin/time -o "$out.time" -f '%e %M' "$bin" init --kubeconfig "$LOCALENV_DIR/host.kubeconfig" \
    --crds "$ROOT/_output/fixtures/crds.tar.gz" --karmada-data "$kd" --karmada-pki "$kd/pki" \
    --etcd-data "$LOCALENV_DIR/work/etcd-data" --wait-component-ready-timeout "$timeout" >"$out.out" 2>"$out.err" || rc=$?
  if [[ $rc == 0 ]]; then
    "$BIN/harness" wait-condition --kubeconfig "$kd/karmada-apiserver.config" \
      --resource apiservices.v1.apiregistration.k8s.io --name v1alpha1.cluster.karmada.io --condition Available \
      --timeout 300s >/dev/null 2>&1 || rc=97
  fi
  end=${EPOCHREALTIME/./}
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.6f", (e-s)/1e6}') $(tail -1 "$out.time" | awk '{print $NF}') $rc"
}
if [[ ${1:-} == --inner ]]; then shift; inner "$@"; exit 0; fi

SAMPLES=$1 OURS=$2 UPSTREAM=$3 REPS=$4 WORK=$5
mkdir -p "$WORK"
down() { "$ROOT/hack/local-down.sh" >/dev/null 2>&1 || true; }
trap down EXIT

one() { # TOOL BIN ITER
  local tool=$1 bin=$2 iter=$3 out=$WORK/$1-$3 result wall rss rc
  echo "== init: $tool run $iter: starting fresh clusters" >&2
  down
  rm -rf "$LOCALENV_DIR"
  mkdir -p "$LOCALENV_DIR/work"
  SKIP_BUILD=1 "$ROOT/hack/local-up.sh" >"$out.up.log" 2>&1 || { echo "local-up failed (see $out.up.log)" >&2; return 1; }
  result=$("$ROOT/hack/local-exec.sh" -- bash "$0" --inner "$tool" "$bin" "$out")
  read -r wall rss rc <<<"$result"
  echo "   $tool: ${wall}s, rc $rc" >&2
  [[ $rc == 0 ]] || tail -5 "$out.err" >&2 || true
  printf 'init\t%s\t%s\t%s\t%s\n' "$tool" "$wall" "$rss" "$rc" >>"$SAMPLES"
  if [[ $tool == ours && $rc == 0 ]]; then
    "$ROOT/hack/local-exec.sh" -- "$OURS" get pods -n karmada-system -o json \
      --kubeconfig "$LOCALENV_DIR/host.kubeconfig" >"$out.pods.json"
    "$ROOT/hack/local-exec.sh" -- "$OURS" get apiservices v1alpha1.cluster.karmada.io -o json \
      --kubeconfig "$LOCALENV_DIR/work/karmada/karmada-apiserver.config" >"$out.apiservice.json"
    bound=$(python3 "$ROOT/bench/lower_bound.py" "$out.pods.json" "$out.apiservice.json" "$out.err")
    echo "   lower bound: ${bound}s" >&2
    printf 'init\tlower_bound\t%s\t\t0\n' "$bound" >>"$SAMPLES"
  fi
  down
}

for ((i = 0; i < REPS; i++)); do
  one ours "$OURS" "$i"
  one upstream "$UPSTREAM" "$i"
done
