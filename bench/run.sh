#!/usr/bin/env bash
# Benchmarks our karmadactl against upstream karmadactl v1.18.2, side by side, in one run on one machine.
#   bench/run.sh [--ours BIN] [--upstream BIN] [--only LIST] [--no-cluster] [--keep-env] [--quick] [--notes TEXT]
# Writes bench/results/latest.md and bench/results/latest.json. See bench/README.md for the scenarios and goals.
#   --ours BIN       our binary (default build-bench/karmadactl; built as a Release unity build when missing)
#   --upstream BIN   upstream binary (default _output/fixtures/bin/karmadactl, from hack/build-fixtures.sh)
#   --portable BIN   our portable build, for its size and start-up (default build-portable/karmadactl-portable;
#                    built by scripts/build-portable.sh when missing)
#   --only LIST      comma-separated scenario groups (default: all): startup, size, token, get, label, join,
#                    register, get-pods, init
#   --no-cluster     only the scenarios that need no cluster (startup, size)
#   --keep-env       leave the bench clusters running (init, which needs them stopped, is then skipped)
#   --quick          fewer repeats (a smoke run of the script itself; do not commit its figures)
#   --notes TEXT     a note on the machine's state for the table (e.g. "shared with other builds")
#   --keep-samples FILE  take the scenarios this run does not measure from FILE (an earlier run's
#                    results/latest.samples.tsv), so that one group can be measured again into the table
# The two tools run interleaved (ours, upstream, ours, upstream, ...) after warm-up runs. No figure is asserted.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ENV_NAME=bench
ENV_DIR=$ROOT/_output/e2e/$ENV_NAME
KC=$ENV_DIR/work/karmada/karmada-apiserver.config
N_CLUSTERS=2000

# ---------------------------------------------------------------------------------------------------------------
# Sampling. A scenario is a function "args_NAME BIN ITERATION" that sets the array CMD to the command to run.
# measure NAME WARMUP REPEATS: runs CMD for ours and upstream in turn, WARMUP times unrecorded, then REPEATS
# times, appending "NAME<TAB>tool<TAB>wall_seconds<TAB>peak_rss_kib<TAB>exit_status" to $SAMPLES: one run under
# /usr/bin/time, wall time from EPOCHREALTIME around it (for runs of tenths of a second or more).
# Start-up scenarios (milliseconds) use bench/spawn_time.py instead: no shell fork or wrapper process.
# ---------------------------------------------------------------------------------------------------------------
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

one_sample() { # NAME TOOL BIN ITER RECORD
  local name=$1 tool=$2 bin=$3 iter=$4 record=$5 start end rc=0 wall rss tf
  "args_$name" "$bin" "$iter"
  tf=$(mktemp)
  # A wrapper that times more than the tool (bench/until_ready.sh) writes the tool's own peak RSS
  # to KCTL_BENCH_RSS_FILE, which then replaces the wrapper's.
  rm -f "$tf.tool"
  start=$(now_us)
  KCTL_BENCH_RSS_FILE=$tf.tool /usr/bin/time -o "$tf" -f '%e %M' "${CMD[@]}" >/dev/null 2>"$tf.err" || rc=$?
  end=$(now_us)
  if [[ -s $tf.tool ]]; then mv "$tf.tool" "$tf"; fi
  if [[ $rc != 0 ]]; then echo "  $tool $name (run $iter) exited $rc: $(tail -3 "$tf.err")" >&2; fi
  rm -f "$tf.err"
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.6f", (e-s)/1e6}')
  rss=$(tail -1 "$tf" | awk '{print $NF}')
  rm -f "$tf"
  [[ $record == 1 ]] && printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$wall" "$rss" "$rc" >>"$SAMPLES"
  return 0
}

# A scenario may define "before_NAME TOOL" (untimed, before every run: undo the previous run's effect).
prepare() { if declare -F "before_$1" >/dev/null; then "before_$1" "$2"; fi; }

measure() { # NAME WARMUP REPEATS
  local name=$1 warm=$2 reps=$3 i
  echo "== $name: $warm warm-up + $reps runs per tool, interleaved" >&2
  for ((i = 0; i < warm; i++)); do
    prepare "$name" ours; one_sample "$name" ours "$OURS" "w$i" 0
    prepare "$name" upstream; one_sample "$name" upstream "$UPSTREAM" "w$i" 0
  done
  for ((i = 0; i < reps; i++)); do
    prepare "$name" ours; one_sample "$name" ours "$OURS" "$i" 1
    prepare "$name" upstream; one_sample "$name" upstream "$UPSTREAM" "$i" 1
  done
}

selected() { [[ ,$ONLY, == *",$1,"* ]]; }

# Start-up scenarios: nothing leaves the process. NAME WARMUP REPEATS ARGS...
measure_startup() {
  local name=$1 warm=$2 reps=$3
  shift 3
  echo "== $name: $warm warm-up + $reps runs per tool, interleaved" >&2
  python3 "$ROOT/bench/spawn_time.py" "$name" "$warm" "$reps" "$OURS" "$UPSTREAM" -- "$@" >>"$SAMPLES"
}

# Cluster scenarios (run inside the local clusters' namespace, see --inner-cluster).
args_token_create()  { CMD=("$1" token create --kubeconfig "$KC"); }
args_get_clusters()  { CMD=("$1" get clusters --kubeconfig "$KC"); }
# A fresh value every run, so every run patches all the clusters (an unchanged label is not patched).
args_label_clusters() { CMD=("$1" label clusters -l bench=yes "k=v-$2-$(basename "$(dirname "$1")")" --overwrite --kubeconfig "$KC"); }
# join member1 (push mode); before each run, member1 is unjoined by our unjoin (which waits until the member is clean).
args_join() { CMD=("$1" join member1 --kubeconfig "$KC" --cluster-kubeconfig "$LOCALENV_DIR/member1.kubeconfig"); }
before_join() { "$OURS" unjoin member1 --kubeconfig "$KC" --cluster-kubeconfig "$LOCALENV_DIR/member1.kubeconfig" >/dev/null 2>&1 || true; }
# register member3 (pull mode) with a token made once; before each run, member3 is unregistered by ours.
args_register() {
  CMD=("$ROOT/bench/until_ready.sh" "$KC" member3 "$ROOT/_output/fixtures/bin/harness" --
    "$1" register "$REG_ENDPOINT" --token "$REG_TOKEN" --discovery-token-ca-cert-hash "$REG_HASH"
    --kubeconfig "$LOCALENV_DIR/member3.kubeconfig" --cluster-name member3
    --karmada-agent-image docker.io/karmada/karmada-agent:v1.18.2 --cert-expiration-seconds 86400)
}
before_register() {
  "$OURS" unregister member3 --cluster-kubeconfig "$LOCALENV_DIR/member3.kubeconfig" --karmada-config "$KC" >/dev/null 2>&1 || true
}
# Pods of two joined members, read through the Karmada API server's clusters/proxy (-C: the 2,000 bench
# Clusters have no reachable API server).
args_get_pods() { CMD=("$1" get pods -A --operation-scope members -C member1,member2 --kubeconfig "$KC"); }
N_PODS=50 # per member
# describe of a Deployment in member1 (made with the get-pods group's members): the Deployment, its
# ReplicaSets and its events, read through the proxy.
args_describe_member_deployment() {
  CMD=("$1" describe deployment bench-web -n default --operation-scope members --cluster member1 --kubeconfig "$KC")
}
# api-resources: without --cached both tools invalidate kubectl's discovery cache and read the server (then
# refill the cache); with --cached they read the cache their previous run left. Each tool has its own cache.
bench_cache() { if [[ $1 == "$OURS" ]]; then echo "$WORK_CACHE/ours"; else echo "$WORK_CACHE/upstream"; fi; }
args_api_resources() { CMD=(env KUBECACHEDIR="$(bench_cache "$1")" "$1" api-resources --kubeconfig "$KC"); }
args_api_resources_cached() { CMD=(env KUBECACHEDIR="$(bench_cache "$1")" "$1" api-resources --cached --kubeconfig "$KC"); }

# ---------------------------------------------------------------------------------------------------------------
# Inner part: runs inside the local clusters' namespace (hack/local-exec.sh), appends to the samples file.
# ---------------------------------------------------------------------------------------------------------------
if [[ ${1:-} == --inner-cluster ]]; then
  SAMPLES=$2 OURS=$3 UPSTREAM=$4 WARM=$5 REPS=$6 QUICK=$7 ONLY=$8 SLOW_REPS=$9
  have=0
  selected get || selected label || have=$N_CLUSTERS
  (( have >= N_CLUSTERS )) || have=$("$OURS" get clusters -l bench=yes --kubeconfig "$KC" --no-headers 2>/dev/null | wc -l || true)
  if (( have < N_CLUSTERS )); then
    echo "== creating $N_CLUSTERS Cluster objects (bench-0001..) in the Karmada API server ($have present)" >&2
    list=$(mktemp --suffix=.yaml)
    {
      echo 'apiVersion: v1'; echo 'kind: List'; echo 'items:'
      for ((i = 1; i <= N_CLUSTERS; i++)); do
        printf -- '- apiVersion: cluster.karmada.io/v1alpha1\n  kind: Cluster\n  metadata:\n    name: bench-%04d\n    labels:\n      bench: "yes"\n  spec:\n    syncMode: Push\n    apiEndpoint: "https://127.0.0.1:1"\n' "$i"
      done
    } >"$list"
    start=$(date +%s)
    "$OURS" apply -f "$list" --kubeconfig "$KC" >/dev/null
    rm -f "$list"
    echo "   created in $(( $(date +%s) - start )) s" >&2
    have=$("$OURS" get clusters -l bench=yes --kubeconfig "$KC" --no-headers | wc -l)
    (( have >= N_CLUSTERS )) || { echo "only $have bench clusters exist" >&2; exit 1; }
  fi
  if selected token; then measure token_create 1 "$REPS"; fi
  if selected get; then measure get_clusters 1 "$REPS"; fi
  if selected label; then measure label_clusters 1 "$REPS"; fi
  if selected api-resources; then
    WORK_CACHE=$(mktemp -d)
    measure api_resources 1 "$REPS"
    measure api_resources_cached 1 "$REPS"
    rm -rf "$WORK_CACHE"
  fi
  # Slow scenarios (tens of seconds per run): no warm-up run, fewer runs.
  if selected join; then measure join 0 "$SLOW_REPS"; fi
  if selected register; then
    line=$("$OURS" token create --print-register-command --description bench --kubeconfig "$KC")
    read -r -a reg <<<"$(grep ' register ' <<<"$line")"
    REG_ENDPOINT=${reg[2]} REG_TOKEN=${reg[4]} REG_HASH=${reg[6]}
    measure register 0 "$SLOW_REPS"
    before_register ours
  fi
  if selected get-pods; then
    for m in member1 member2; do
      "$OURS" join "$m" --kubeconfig "$KC" --cluster-kubeconfig "$LOCALENV_DIR/$m.kubeconfig" >/dev/null 2>&1 ||
        { echo "join $m failed" >&2; exit 1; }
      pods=$(mktemp --suffix=.yaml)
      for ((i = 1; i <= N_PODS; i++)); do
        printf -- '---\napiVersion: v1\nkind: Pod\nmetadata: {name: bench-%02d, namespace: default}\nspec: {containers: [{name: c, image: busybox}]}\n' "$i"
      done >"$pods"
      "$ROOT/_output/fixtures/bin/harness" apply --kubeconfig "$LOCALENV_DIR/$m.kubeconfig" -f "$pods" >/dev/null
      rm -f "$pods"
    done
    # The proxy serves a member once Karmada has synced the impersonation RBAC into it, a few seconds
    # after the Cluster is Ready: wait for both (untimed), so no run measures that.
    for m in member1 member2; do
      "$ROOT/_output/fixtures/bin/harness" wait-condition --kubeconfig "$KC" \
        --resource clusters.v1alpha1.cluster.karmada.io --name "$m" --condition Ready --timeout 300s >/dev/null
    done
    for ((i = 0; i < 120; i++)); do
      "$OURS" get pods -n default --operation-scope members -C member1,member2 --kubeconfig "$KC" >/dev/null 2>&1 && break
      sleep 1
    done
    measure get_pods 1 "$REPS"
    printf -- 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bench-web, namespace: default}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: bench-web}}\n  template:\n    metadata: {labels: {app: bench-web}}\n    spec: {containers: [{name: web, image: nginx}]}\n' |
      "$ROOT/_output/fixtures/bin/harness" apply --kubeconfig "$LOCALENV_DIR/member1.kubeconfig" -f - >/dev/null
    measure describe_member_deployment 1 "$REPS"
  fi
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------------------------------------------
OURS=$ROOT/build-bench/karmadactl
PORTABLE=$ROOT/build-portable/karmadactl-portable
KEEP_SAMPLES=""
UPSTREAM=$ROOT/_output/fixtures/bin/karmadactl
CLUSTER=1 KEEP_ENV=0 QUICK=0 NOTES=""
ALL=startup,size,token,get,label,api-resources,join,register,get-pods,init
ONLY=$ALL
while (($#)); do
  case $1 in
    --only) ONLY=$2; shift 2 ;;
    --notes) NOTES=$2; shift 2 ;;
    --ours) OURS=$(realpath "$2"); shift 2 ;;
    --upstream) UPSTREAM=$(realpath "$2"); shift 2 ;;
    --portable) PORTABLE=$(realpath "$2"); shift 2 ;;
    --keep-samples) KEEP_SAMPLES=$(realpath "$2"); shift 2 ;;
    --no-cluster) ONLY=startup,size; shift ;;
    --keep-env) KEEP_ENV=1; shift ;;
    --quick) QUICK=1; shift ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
  esac
done
if [[ ! -x $OURS && $OURS == "$ROOT/build-bench/karmadactl" ]]; then
  echo "== building our Release binary in build-bench" >&2
  cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DCMAKE_UNITY_BUILD=ON >/dev/null
  ninja -C "$ROOT/build-bench" karmadactl >/dev/null
fi
if [[ ! -x $PORTABLE && $PORTABLE == "$ROOT/build-portable/karmadactl-portable" ]] && { selected startup || selected size; }; then
  echo "== building the portable binary (scripts/build-portable.sh)" >&2
  "$ROOT/scripts/build-portable.sh" >/dev/null 2>&1 || echo "   the portable build failed; its rows are skipped" >&2
fi
[[ -x $UPSTREAM ]] || { echo "no upstream binary at $UPSTREAM (run hack/build-fixtures.sh)" >&2; exit 1; }
[[ -x $OURS ]] || { echo "no binary at $OURS" >&2; exit 1; }

RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
WORK=$(mktemp -d "$ROOT/_output/bench.XXXXXX")
SAMPLES=$WORK/samples.tsv
: >"$SAMPLES"
SKIPPED=$WORK/skipped.tsv   # scenario<TAB>reason
: >"$SKIPPED"
STARTED_ENV=0
cleanup() {
  if [[ $STARTED_ENV == 1 && $KEEP_ENV == 0 ]]; then
    echo "== stopping the local clusters" >&2
    E2E_SHARED_NAME=$ENV_NAME "$ROOT/tests/e2e/shared_controlplane.sh" down >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ $QUICK == 1 ]]; then WARM=1 REPS=3 CREPS=1 SLOW_REPS=1; else WARM=3 REPS=20 CREPS=5 SLOW_REPS=3; fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. Start-up.
if selected startup; then
  measure_startup version "$WARM" "$REPS" version
  measure_startup help "$WARM" "$REPS" --help
  measure_startup init_help "$WARM" "$REPS" init --help
  # Flag-name completion (cobra's hidden __complete, which both accept): local only, no API server.
  measure_startup complete "$WARM" "$REPS" __complete init --kube
  if [[ -x $PORTABLE ]]; then
    OURS=$PORTABLE measure_startup version_portable "$WARM" "$REPS" version
  else
    printf 'version_portable\t%s\n' "no portable build at $PORTABLE (scripts/build-portable.sh)" >>"$SKIPPED"
  fi
fi

# 2. Binary size, stripped copies.
: >"$WORK/sizes.tsv"
if selected size; then
  strip -o "$WORK/ours.stripped" "$OURS"
  strip -o "$WORK/upstream.stripped" "$UPSTREAM"
  printf 'binary_size\tours\t%s\nbinary_size\tupstream\t%s\n' "$(stat -c %s "$WORK/ours.stripped")" \
    "$(stat -c %s "$WORK/upstream.stripped")" >"$WORK/sizes.tsv"
  if [[ -x $PORTABLE ]]; then
    strip -o "$WORK/portable.stripped" "$PORTABLE"
    printf 'portable_binary\tours\t%s\nportable_binary\tupstream\t%s\n' "$(stat -c %s "$WORK/portable.stripped")" \
      "$(stat -c %s "$WORK/upstream.stripped")" >>"$WORK/sizes.tsv"
  else
    printf 'portable_binary\t%s\n' "no portable build at $PORTABLE (scripts/build-portable.sh)" >>"$SKIPPED"
  fi
fi

# 3. On the local clusters, with our control plane.
CLUSTER=0
for g in token get label api-resources join register get-pods; do selected "$g" && CLUSTER=1; done
cluster_skip() { for s in token_create get_clusters label_clusters api_resources api_resources_cached join register get_pods; do printf '%s\t%s\n' "$s" "$1" >>"$SKIPPED"; done; }
if [[ $CLUSTER == 0 ]]; then
  cluster_skip "not selected (--only / --no-cluster)"
elif [[ ! -x $ROOT/_output/fixtures/bin/harness && ! -d $ROOT/_output/fixtures ]]; then
  cluster_skip "no local-clusters fixtures (hack/build-fixtures.sh)"
else
  if [[ ! -f $ENV_DIR/ready || ! -f $KC ]] || ! LOCALENV_DIR=$ENV_DIR "$ROOT/hack/local-exec.sh" -- true 2>/dev/null; then
    echo "== starting the local clusters with our control plane (about a minute)" >&2
    STARTED_ENV=1
    if ! E2E_SHARED_NAME=$ENV_NAME "$ROOT/tests/e2e/shared_controlplane.sh" up "$OURS" >"$WORK/up.log" 2>&1; then
      tail -20 "$WORK/up.log" >&2
      cluster_skip "the local clusters did not start"
      CLUSTER=0
    fi
  fi
  if [[ $CLUSTER == 1 ]]; then
    if ! LOCALENV_DIR=$ENV_DIR "$ROOT/hack/local-exec.sh" -- env LOCALENV_DIR="$ENV_DIR" bash "$0" --inner-cluster \
        "$SAMPLES" "$OURS" "$UPSTREAM" 1 "$CREPS" "$QUICK" "$ONLY" "$SLOW_REPS"; then
      echo "cluster scenarios failed; the table shows what was measured" >&2
    fi
  fi
fi

# 4. init, each run on fresh local clusters of its own (bench/init.sh); one environment at a time, so the
# cluster scenarios' environment is stopped first (unless --keep-env, which then skips init).
if selected init; then
  if [[ $KEEP_ENV == 0 && -f $ENV_DIR/ready ]]; then
    echo "== stopping the bench clusters (init needs fresh ones, one environment at a time)" >&2
    E2E_SHARED_NAME=$ENV_NAME "$ROOT/tests/e2e/shared_controlplane.sh" down >/dev/null 2>&1 || true
    STARTED_ENV=0
  fi
  if [[ -f $ENV_DIR/ready ]] && LOCALENV_DIR=$ENV_DIR "$ROOT/hack/local-exec.sh" -- true 2>/dev/null; then
    printf 'init\t%s\n' "the bench clusters are kept running (--keep-env): init needs them stopped" >>"$SKIPPED"
  else
    INIT_REPS=$SLOW_REPS
    [[ $QUICK == 1 ]] || INIT_REPS=2
    rm -rf "$ROOT/_output/bench-init-logs"  # kept after the run: each init's step log and timestamps
    if ! "$ROOT/bench/init.sh" "$SAMPLES" "$OURS" "$UPSTREAM" "$INIT_REPS" "$ROOT/_output/bench-init-logs"; then
      echo "init scenario failed; the table shows what was measured" >&2
    fi
  fi
else
  printf 'init\t%s\n' "not selected (--only / --no-cluster)" >>"$SKIPPED"
fi

# Scenarios not measured in this run, from an earlier run's samples (--keep-samples).
if [[ -n $KEEP_SAMPLES ]]; then
  measured=$(cut -f1 "$SAMPLES" | sort -u | tr '\n' ' ')
  awk -F'\t' -v m=" $measured" 'index(m, " " $1 " ") == 0' "$KEEP_SAMPLES" >>"$SAMPLES"
  awk -F'\t' -v m=" $measured" 'index(m, " " $1 " ") == 0 {print $1}' "$KEEP_SAMPLES" | sort -u |
    while read -r kept; do grep -v "^$kept	" "$SKIPPED" >"$SKIPPED.new" || true; mv "$SKIPPED.new" "$SKIPPED"; done
  NOTES="${NOTES:+$NOTES; }scenarios not measured in this run are taken from $(basename "$KEEP_SAMPLES") of an earlier run"
fi

# The raw samples, beside the table made from them.
cp "$SAMPLES" "$RESULTS/latest.samples.tsv"

# Machine description.
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
mem=$(free -b | awk '/^Mem:/{printf "%.1f GiB", $2/1073741824}')
python3 "$ROOT/bench/report.py" --samples "$SAMPLES" --sizes "$WORK/sizes.tsv" --skipped "$SKIPPED" \
  --nproc "$(nproc)" --cpu "$cpu" --memory "$mem" --kernel "$(uname -sr)" --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --ours "$OURS" --ours-version "$("$OURS" version 2>/dev/null | grep -o 'GitVersion:"[^"]*"' | head -1)" \
  --upstream "$UPSTREAM" --upstream-version "$("$UPSTREAM" version 2>/dev/null | grep -o 'GitVersion:"[^"]*"' | head -1)" \
  --quick "$QUICK" --notes "$NOTES" --load "start $LOAD_START, end $(cut -d' ' -f1-3 /proc/loadavg)" \
  --md "$RESULTS/latest.md" --json "$RESULTS/latest.json"
cat "$RESULTS/latest.md"
