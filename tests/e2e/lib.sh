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
