#!/usr/bin/env bash
# Parity of Pull-mode registration: the objects (kind, namespace, name) our `register` creates in the
# Karmada API server and in member3 equal those upstream karmadactl v1.18.2's register creates, on the
# same shared environment with our control plane (CTest fixture karmada_ours). Random name suffixes
# (CSRs) are normalised. Upstream's registration is removed with OUR unregister, which shows it cleans
# up upstream's objects too. Leaves member3 unregistered.
# Usage: karmadactl_register_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
OURS=$(realpath "$1")
e2e_shared_test register-parity
OBJ="python3 $ROOT/tests/e2e/objects.py"
RBAC=rbac.authorization.k8s.io/v1
KARMADA_RESOURCES=(/v1/namespaces /v1/secrets /v1/serviceaccounts $RBAC/clusterroles $RBAC/clusterrolebindings
  $RBAC/roles $RBAC/rolebindings cluster.karmada.io/v1alpha1/clusters certificates.k8s.io/v1/certificatesigningrequests)
MEMBER_RESOURCES=(/v1/namespaces /v1/secrets /v1/serviceaccounts /v1/configmaps $RBAC/clusterroles
  $RBAC/clusterrolebindings $RBAC/roles $RBAC/rolebindings apps/v1/deployments)

objects() {
  inns $OBJ "$KC" "${KARMADA_RESOURCES[@]}" | sed 's/^/karmada /'
  inns $OBJ "$M3" "${MEMBER_RESOURCES[@]}" | sed 's/^/member /'
}

unregister() {
  inns "$OURS" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >"$OUT/unregister-$1.log" 2>&1 ||
    { cat "$OUT/unregister-$1.log"; fail "unregister after $1 failed"; }
  # Namespaces go asynchronously; wait for them so the next snapshot starts from the same state.
  for _ in $(seq 90); do
    if ! inns "$BIN/harness" get --kubeconfig "$KC" --resource namespaces.v1 --name karmada-es-member3 >/dev/null 2>&1 &&
       ! inns "$BIN/harness" get --kubeconfig "$M3" --resource namespaces.v1 --name karmada-cluster >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  fail "namespaces karmada-es-member3 (Karmada) or karmada-cluster (member3) still exist after unregister"
}

# Namespaces register creates when they are missing and unregister leaves, as upstream's does:
# Karmada's karmada-cluster and member3's karmada-system. Each tool registers from the same state, so
# those missing before a registration are deleted again after its unregister (run alone, this test
# starts without them; after the other tests, with them).
leftover_namespaces=("$KC karmada-cluster" "$M3 karmada-system")
has_namespace() { inns "$BIN/harness" get --kubeconfig "$1" --resource namespaces.v1 --name "$2" >/dev/null 2>&1; }
missing_namespaces() {
  local entry
  for entry in "${leftover_namespaces[@]}"; do
    read -r config ns <<<"$entry"
    has_namespace "$config" "$ns" || echo "$entry"
  done
}
restore_missing() {
  local entry config ns
  while read -r entry; do
    [[ -n $entry ]] || continue
    read -r config ns <<<"$entry"
    inns "$OURS" delete namespace "$ns" --timeout 90s --kubeconfig "$config" >/dev/null ||
      fail "could not delete namespace $ns left by the first registration"
  done <<<"$1"
}

# snapshot NAME TOOL: what TOOL's register (printed line + agent image) creates, then unregister.
snapshot() {
  local name=$1 tool=$2 line missing
  missing=$(missing_namespaces)
  objects | sort >"$OUT/before-$name"
  line=$(inns "$OURS" token create --print-register-command --kubeconfig "$KC") || fail "token create"
  read -r -a reg <<<"$line"
  inns "$tool" "${reg[@]:1}" --kubeconfig "$M3" --cluster-name member3 \
    --karmada-agent-image docker.io/karmada/karmada-agent:v1.18.2 >"$OUT/register-$name.log" 2>&1 ||
    { cat "$OUT/register-$name.log"; fail "$name register failed"; }
  inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
    --name member3 --condition Ready --timeout 180s
  sleep 5 # the agent reports its secrets after registering
  objects | sort | comm -13 "$OUT/before-$name" - |
    sed -E 's#(certificatesigningrequests /(agent-rbac-generator-member3|member3-))[a-z0-9]{5}$#\1<random>#' |
    grep -v ' kube-system/bootstrap-token-' | sort -u >"$OUT/$name.objects"
  inns "$OURS" token delete "${reg[4]%%.*}" --kubeconfig "$KC" >/dev/null
  unregister "$name"
  restore_missing "$missing"
  echo "$name: $(wc -l <"$OUT/$name.objects") objects"
}

unregister start
snapshot upstream "$BIN/karmadactl"
snapshot ours "$OURS"
if ! diff "$OUT/upstream.objects" "$OUT/ours.objects" >"$OUT/parity.diff"; then
  echo "objects created by register differ (< upstream, > ours):"; cat "$OUT/parity.diff"
  fail "register parity"
fi
echo "PASS: the same $(wc -l <"$OUT/ours.objects") objects on both sides"
