#!/usr/bin/env bash
# CTest fixture: ONE local environment with OUR control plane, shared by the e2e tests that only need
# a working Karmada (join, register, get, label, apply, ...), so CI starts clusters and runs init once.
#   shared_controlplane.sh up /path/to/karmadactl   -> clusters in _output/e2e/$E2E_SHARED_NAME, then our init
#   shared_controlplane.sh down                      -> stops them
# E2E_SHARED_NAME (default "shared") lets a developer keep a private copy while working on a test.
# Tests using it source lib.sh and call e2e_shared_env (it sets K, KD, KC, E2E_WORK; no teardown).
source "$(dirname "$0")/lib.sh"
case ${1:-} in
  up)
    KCTL=$(realpath "$2")
    e2e_require_fixtures
    e2e_shared_env
    mkdir -p "$LOCALENV_DIR"
    SKIP_BUILD=1 "$ROOT/hack/local-up.sh"
    mkdir -p "$E2E_WORK"
    step "our init on the shared host cluster (converges if it is already installed)"
    start=$(date +%s)
    if ! inns "$KCTL" init --kubeconfig "$K/host.kubeconfig" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
        --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data" \
        --wait-component-ready-timeout 5m >"$E2E_WORK/init.out" 2>"$E2E_WORK/init.log"; then
      cat "$E2E_WORK/init.log"; e2e_dump || true; fail "init failed"
    fi
    echo "init took $(( $(date +%s) - start ))s; Karmada kubeconfig: $KC"
    inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource apiservices.v1.apiregistration.k8s.io \
      --name v1alpha1.cluster.karmada.io --condition Available --timeout 120s || fail "APIService not Available"
    ;;
  down)
    e2e_shared_env
    "$ROOT/hack/local-down.sh" ;;
  *) echo "usage: $0 up KARMADACTL | down" >&2; exit 2 ;;
esac
