#!/usr/bin/env bash
# Parity: the objects (kind, namespace, name) our `init` creates equal those upstream karmadactl v1.18.2
# creates on the same environment, in the host cluster and in the Karmada API server. Differences that are
# deliberate are listed in tests/e2e/init_parity_allowed.txt (see ARCHITECTURE.md, "Differences from upstream init") and nothing else may differ.
# Usage: karmadactl_init_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
OURS=$(realpath "$1")
e2e_require_fixtures
OBJ="python3 $ROOT/tests/e2e/objects.py"
HOST_RESOURCES=(/v1/namespaces /v1/services /v1/secrets /v1/configmaps /v1/persistentvolumeclaims apps/v1/deployments
  apps/v1/statefulsets rbac.authorization.k8s.io/v1/clusterroles rbac.authorization.k8s.io/v1/clusterrolebindings
  rbac.authorization.k8s.io/v1/roles rbac.authorization.k8s.io/v1/rolebindings)
KARMADA_RESOURCES=(/v1/namespaces /v1/services /v1/configmaps apiextensions.k8s.io/v1/customresourcedefinitions
  apiregistration.k8s.io/v1/apiservices admissionregistration.k8s.io/v1/mutatingwebhookconfigurations
  admissionregistration.k8s.io/v1/validatingwebhookconfigurations rbac.authorization.k8s.io/v1/clusterroles
  rbac.authorization.k8s.io/v1/clusterrolebindings rbac.authorization.k8s.io/v1/roles rbac.authorization.k8s.io/v1/rolebindings)

# snapshot TOOL: fresh clusters, init with TOOL, and the objects init created (host: new since before init).
snapshot() {
  local name=$1 tool=$2
  e2e_env_up "parity-$name"
  local K=$LOCALENV_DIR KD=$E2E_WORK/karmada out=$ROOT/_output/e2e/parity-$name.objects
  inns $OBJ "$K/host.kubeconfig" "${HOST_RESOURCES[@]}" | sed 's/^/host /' >"$E2E_WORK/before"
  inns "$tool" init --kubeconfig "$K/host.kubeconfig" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
    --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data" >"$E2E_WORK/init.log" 2>&1 \
    || { tail -40 "$E2E_WORK/init.log"; fail "$name init failed"; }
  { inns $OBJ "$K/host.kubeconfig" "${HOST_RESOURCES[@]}" | sed 's/^/host /' | comm -13 "$E2E_WORK/before" -
    inns $OBJ "$KD/karmada-apiserver.config" "${KARMADA_RESOURCES[@]}" | sed 's/^/karmada /'
  } | grep -vE '(kube-root-ca.crt|extension-apiserver-authentication)' \
    >"$out" || true
  "$ROOT/hack/local-down.sh" >/dev/null 2>&1 || true
  trap - EXIT
  echo "$name: $(wc -l <"$out") objects"
}

snapshot upstream "$BIN/karmadactl"
snapshot ours "$OURS"
allowed=$ROOT/tests/e2e/init_parity_allowed.txt
diff <(sort "$ROOT/_output/e2e/parity-upstream.objects") <(sort "$ROOT/_output/e2e/parity-ours.objects") \
  | grep -E '^[<>]' >"$ROOT/_output/e2e/parity.diff" || true
unexpected=$(grep -vxFf <(grep -v '^#' "$allowed") "$ROOT/_output/e2e/parity.diff" || true)
echo "differences (< upstream only, > ours only):"
cat "$ROOT/_output/e2e/parity.diff"
[[ -z $unexpected ]] || fail "undocumented differences:
$unexpected"
step "PASS: object sets match apart from the documented differences"
