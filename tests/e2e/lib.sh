# Shared helpers for the e2e scripts (sourced). Each script runs its own local environment in its own
# state directory (so tests never see each other's Karmada), and tears it down on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/_output/fixtures/bin
export LOCALENV_BIN=$BIN

e2e_require_fixtures() {
  if [[ ! -f $ROOT/_output/fixtures/STAMP || ! -x $BIN/harness ]]; then
    if [[ -z ${KARMADA_E2E_REQUIRED:-} ]]; then
      echo "SKIP: local-cluster fixtures are not built (run hack/build-fixtures.sh); set KARMADA_E2E_REQUIRED=1 to fail instead"
      exit 77
    fi
    echo "FAIL: KARMADA_E2E_REQUIRED is set but the fixtures are not built (run hack/build-fixtures.sh)" >&2
    exit 1
  fi
}

# e2e_env_up NAME: starts clusters in _output/e2e/NAME and arranges teardown (+ log dump on failure).
e2e_env_up() {
  export LOCALENV_DIR=$ROOT/_output/e2e/$1
  E2E_WORK=$LOCALENV_DIR/work
  mkdir -p "$LOCALENV_DIR"
  trap e2e_exit EXIT
  SKIP_BUILD=1 "$ROOT/hack/local-up.sh"
  rm -rf "$E2E_WORK"
  mkdir -p "$E2E_WORK"
}

e2e_exit() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "================ FAILED (rc=$rc): diagnostics ================"
    e2e_dump || true
  fi
  if [[ -z ${E2E_KEEP_ENV:-} ]]; then
    "$ROOT/hack/local-down.sh" || true
  else
    echo "E2E_KEEP_ENV set: environment left running in $LOCALENV_DIR"
  fi
  exit $rc
}

e2e_dump() {
  local d=$LOCALENV_DIR
  echo "---- harness.log (tail)"; tail -n 60 "$d/harness.log" 2>/dev/null || true
  if [[ -f $d/ready ]]; then
    for c in host member3; do
      echo "---- $c workloads"
      inns "$BIN/harness" dump --kubeconfig "$d/$c.kubeconfig" 2>&1 || true
    done
  fi
  local f
  for f in "$d"/logs/*/*.log; do
    [[ -f $f ]] || continue
    echo "---- pod log $f (tail)"; tail -n 40 "$f"
  done
  for f in "$d"/logs/*.log; do
    [[ -f $f ]] || continue
    echo "---- $f (errors, tail)"; grep -E '^[EF][0-9]{4}|error|fatal' "$f" | tail -n 15 || true
  done
}

# inns CMD...: run inside the clusters' namespace.
inns() { "$ROOT/hack/local-exec.sh" -- "$@"; }

step() { echo "==== [$(date -u +%H:%M:%S)] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# CMD | holds GREP-ARGS...: whether CMD's output matches, reading all of it first. `CMD | grep -q`
# under pipefail fails at random: grep exits at the first match, and CMD, still writing, dies of
# SIGPIPE (seen as "no karmada-system namespace" in a loaded run of e2e_karmadactl_init).
holds() { local all; all=$(cat); grep -q "$@" <<<"$all"; }

# Parity tests: parity_compare NAME ARGS... runs ARGS with our karmadactl ($KCTL) and upstream's
# ($UPSTREAM) against $KC, each output kept in $OUT/NAME.{ours,upstream}[.err]. Exit codes and
# stdout (through parity_normalize FILE, which a test may redefine) must be equal, and stderr too
# when PARITY_STDERR=1. A difference is printed and sets failed=1; the test fails at its end.
# Objects that are still changing (a controller's events arriving between the two tools' runs)
# differ for a moment only: with PARITY_RETRIES=N both tools run again, up to N times, 3 s apart,
# and only a difference that stays is one.
failed=0
parity_normalize() { cat "$1"; }
# parity_differs NAME ARGS...: runs both tools; whether they differ (the reason in $OUT/NAME.diff).
parity_differs() {
  local name=$1 ours_rc=0 theirs_rc=0
  shift
  inns "$KCTL" "$@" --kubeconfig "$KC" >"$OUT/$name.ours" 2>"$OUT/$name.ours.err" || ours_rc=$?
  inns "$UPSTREAM" "$@" --kubeconfig "$KC" >"$OUT/$name.upstream" 2>"$OUT/$name.upstream.err" || theirs_rc=$?
  PARITY_RC=$ours_rc
  if [[ $ours_rc != "$theirs_rc" ]]; then
    { echo "DIFF $name ($*): exit $ours_rc, upstream $theirs_rc"; cat "$OUT/$name.ours.err" "$OUT/$name.upstream.err"; } >"$OUT/$name.diff"
    return 0
  fi
  if ! diff -u <(parity_normalize "$OUT/$name.upstream") <(parity_normalize "$OUT/$name.ours") >"$OUT/$name.udiff" ||
     { [[ ${PARITY_STDERR:-0} == 1 ]] && ! diff -u "$OUT/$name.upstream.err" "$OUT/$name.ours.err" >>"$OUT/$name.udiff"; }; then
    { echo "DIFF $name ($*): (- upstream, + ours)"; cat "$OUT/$name.udiff"; } >"$OUT/$name.diff"
    return 0
  fi
  return 1
}
parity_compare() {
  local name=$1 try=0
  while parity_differs "$@"; do
    if ((try >= ${PARITY_RETRIES:-0})); then
      cat "$OUT/$name.diff"
      failed=1
      return 0
    fi
    try=$((try + 1))
    sleep 3
  done
  echo "same: $name ($(wc -l <"$OUT/$name.ours") lines, exit $PARITY_RC$( ((try == 0)) || echo ", after $try retries"))"
}

# e2e_shared_env: the environment of shared_controlplane.sh (clusters + our control plane), without
# teardown; the CTest fixture stops it. Sets LOCALENV_DIR, K (kubeconfig dir), KD (Karmada data),
# KC (karmada-apiserver.config) and E2E_WORK.
e2e_shared_env() {
  export LOCALENV_DIR=$ROOT/_output/e2e/${E2E_SHARED_NAME:-shared}
  K=$LOCALENV_DIR
  E2E_WORK=$LOCALENV_DIR/work
  KD=$E2E_WORK/karmada
  KC=$KD/karmada-apiserver.config
}

# The start of a test on the shared environment (CTest fixture karmada_ours): the fixtures are built,
# the environment's variables are set (see e2e_shared_env; M3 is member3's kubeconfig), the test is
# skipped (exit 77) when the environment is not up, unless KARMADA_E2E_REQUIRED makes that a
# failure, and OUT=$E2E_WORK/NAME is a fresh directory for what the test writes.
e2e_shared_test() { # NAME
  e2e_require_fixtures
  e2e_shared_env
  if [[ ! -f $LOCALENV_DIR/ready || ! -f $KC ]]; then
    [[ -n ${KARMADA_E2E_REQUIRED:-} ]] && fail "the shared environment is not up ($LOCALENV_DIR)"
    echo "SKIP: the shared environment is not up (tests/e2e/shared_controlplane.sh up)"
    exit 77
  fi
  M3=$K/member3.kubeconfig
  OUT=$E2E_WORK/$1
  rm -rf "$OUT"
  mkdir -p "$OUT"
}

# What a test on the shared environment needs, made so whatever ran before (each test passes when
# run alone: `ctest -R <name>`). $KCTL is the binary under test; every helper converges.
e2e_is_registered() { # NAME: a Cluster NAME exists in Karmada
  inns "$KCTL" get clusters "$1" --kubeconfig "$KC" -o name >/dev/null 2>&1
}

# e2e_need_joined NAME...: each member joined (push mode unless already registered) and Ready.
e2e_need_joined() {
  local name
  for name in "$@"; do
    if ! e2e_is_registered "$name"; then
      step "needs $name joined: joining it"
      inns "$KCTL" join "$name" --kubeconfig "$KC" --cluster-kubeconfig "$K/$name.kubeconfig" >/dev/null ||
        fail "join $name (needed by this test) failed"
    fi
    inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
      --name "$name" --condition Ready --timeout 180s >/dev/null || fail "$name (needed Ready) is not Ready"
  done
}

# e2e_need_unregistered NAME...: no Cluster NAME, and the member cleaned, whichever mode it was in.
e2e_need_unregistered() {
  local name mode
  for name in "$@"; do
    e2e_is_registered "$name" || continue
    mode=$(inns "$KCTL" get clusters "$name" --kubeconfig "$KC" -o jsonpath='{.spec.syncMode}')
    step "needs $name unregistered: removing its $mode registration"
    if [[ $mode == Pull ]]; then
      inns "$KCTL" unregister "$name" --cluster-kubeconfig "$K/$name.kubeconfig" --karmada-config "$KC" >/dev/null ||
        fail "unregister $name (needed by this test) failed"
    else
      inns "$KCTL" unjoin "$name" --kubeconfig "$KC" --cluster-kubeconfig "$K/$name.kubeconfig" >/dev/null ||
        fail "unjoin $name (needed by this test) failed"
    fi
    ! e2e_is_registered "$name" || fail "Cluster $name is still there"
  done
}
