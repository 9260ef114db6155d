#!/usr/bin/env bash
# Pull mode end to end with OUR control plane (shared environment, CTest fixture karmada_ours):
#   token create --print-register-command, the printed line run as printed against member3 -> the
#   karmada-agent runs there and Cluster member3 becomes Ready with syncMode Pull; token list shows
#   the token; a wrong CA hash and a deleted token are refused with nothing created on either side;
#   register run twice -> one Ready Cluster; unregister member3 removes the Cluster and the objects
#   on both sides. Leaves member3 unregistered; never touches member1/member2.
# Usage: karmadactl_register.sh /path/to/karmadactl   (E2E_SHARED_NAME selects the environment)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test register
started=$(date +%s)

get() { inns "$BIN/harness" get "$@" >/dev/null 2>&1; }
cluster_exists() { get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io --name member3; }

# Nothing of register's on either side (the namespace karmada-system may stay, as upstream's).
assert_nothing_created() {
  local what=$1
  cluster_exists && fail "$what: Cluster member3 exists"
  get --kubeconfig "$KC" --resource clusterroles.v1.rbac.authorization.k8s.io --name system:karmada:member3:agent &&
    fail "$what: ClusterRole system:karmada:member3:agent exists in the control plane"
  get --kubeconfig "$M3" --resource deployments.v1.apps -n karmada-system --name karmada-agent &&
    fail "$what: Deployment karmada-agent exists in member3"
  get --kubeconfig "$M3" --resource secrets.v1 -n karmada-system --name karmada-kubeconfig &&
    fail "$what: Secret karmada-kubeconfig exists in member3"
  get --kubeconfig "$M3" --resource clusterroles.v1.rbac.authorization.k8s.io --name karmada-agent &&
    fail "$what: ClusterRole karmada-agent exists in member3"
  echo "$what: nothing created on either side"
}

cleanup() {
  local rc=$?
  inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >/dev/null 2>&1 || true
  [[ -n ${TOKEN_ID:-} ]] && inns "$KCTL" token delete "$TOKEN_ID" --kubeconfig "$KC" >/dev/null 2>&1 || true
  [[ $rc -ne 0 ]] && { for f in "$OUT"/*.log; do echo "---- $f"; cat "$f"; done; e2e_dump || true; }
  exit $rc
}
trap cleanup EXIT

step "start clean: member3 unregistered"
inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >"$OUT/pre-unregister.log" 2>&1 || true
assert_nothing_created "before"

step "token create --print-register-command"
line=$(inns "$KCTL" token create --print-register-command --description e2e-register --kubeconfig "$KC") ||
  fail "token create failed"
read -r -a reg <<<"$line"
[[ ${reg[0]} == "$(basename "$KCTL")" && ${reg[1]} == register && ${reg[3]} == --token &&
  ${reg[5]} == --discovery-token-ca-cert-hash && ${reg[6]} == sha256:* ]] || fail "unexpected register line: $line"
echo "register line: ${reg[0]} register ${reg[2]} --token <id>.<secret> --discovery-token-ca-cert-hash ${reg[6]}"
TOKEN=${reg[4]}
TOKEN_ID=${TOKEN%%.*}

step "as the kubectl plugin, the printed line says kubectl karmada"
ln -sf "$KCTL" "$OUT/kubectl-karmada"
plugin_line=$(inns "$OUT/kubectl-karmada" token create --print-register-command --kubeconfig "$KC") || fail "plugin token create"
[[ $plugin_line == "kubectl karmada register ${reg[2]} --token "*" --discovery-token-ca-cert-hash ${reg[6]}" ]] ||
  fail "plugin line: ${plugin_line%% --token*}"
plugin_token=$(awk '{print $6}' <<<"$plugin_line")
inns "$KCTL" token delete "$plugin_token" --kubeconfig "$KC" >/dev/null || fail "token delete by whole token"

step "token list shows the token"
inns "$KCTL" token list --kubeconfig "$KC" >"$OUT/list.out" || fail "token list failed"
head -1 "$OUT/list.out" | grep -Eq '^TOKEN +TTL +EXPIRES +USAGES +DESCRIPTION +EXTRA GROUPS$' || fail "bad header: $(head -1 "$OUT/list.out")"
grep -E "^$TOKEN +(23h|24h) .* authentication,signing +e2e-register +system:bootstrappers:karmada:default-cluster-token$" "$OUT/list.out" >/dev/null ||
  fail "token not listed: $(cat "$OUT/list.out")"
inns "$KCTL" token list --kubeconfig "$KC" -o json | holds "\"token\": \"$TOKEN\"" || fail "token list -o json"

step "a wrong CA hash is refused, nothing created"
wrong=sha256:$(printf '0%.0s' {1..64})
if inns "$KCTL" register "${reg[2]}" --token "$TOKEN" --discovery-token-ca-cert-hash "$wrong" --kubeconfig "$M3" \
    >"$OUT/wrong-hash.log" 2>&1; then
  fail "register with a wrong CA hash succeeded"
fi
grep -q "CA does not match --discovery-token-ca-cert-hash" "$OUT/wrong-hash.log" || fail "no CA-hash message: $(cat "$OUT/wrong-hash.log")"
assert_nothing_created "wrong CA hash"

step "a deleted token is refused, nothing created"
# cluster-info is never signed for a deleted token, and the token is not sent to ask the server
# (issue 20): register waits out --discovery-timeout for the signature, then says why.
dead=$(inns "$KCTL" token create --kubeconfig "$KC") || fail "token create failed"
inns "$KCTL" token delete "$dead" --kubeconfig "$KC" | holds "bootstrap token \"${dead%%.*}\" deleted" || fail "token delete"
if inns "$KCTL" register "${reg[2]}" --token "$dead" --discovery-token-ca-cert-hash "${reg[6]}" --kubeconfig "$M3" \
    --discovery-timeout 10s >"$OUT/deleted-token.log" 2>&1; then
  fail "register with a deleted token succeeded"
fi
grep -q "has no signature for token id \"${dead%%.*}\"" "$OUT/deleted-token.log" &&
  grep -q "the token is wrong, expired or deleted" "$OUT/deleted-token.log" ||
  fail "no token message: $(cat "$OUT/deleted-token.log")"
grep -q "${dead#*.}" "$OUT/deleted-token.log" && fail "the token's secret was printed"
assert_nothing_created "deleted token"

step "register --dry-run: checks pass, nothing created"
inns "$KCTL" "${reg[@]:1}" --kubeconfig "$M3" --dry-run >"$OUT/dry-run.log" 2>&1 || fail "dry run failed: $(cat "$OUT/dry-run.log")"
grep -q "Deployment karmada-system/karmada-agent created (dry run)" "$OUT/dry-run.log" || fail "no plan: $(cat "$OUT/dry-run.log")"
assert_nothing_created "dry run"

step "the printed line, run as printed, against member3"
t0=$(date +%s)
inns "$KCTL" "${reg[@]:1}" --kubeconfig "$M3" >"$OUT/register1.log" 2>&1 || fail "register failed"
echo "register took $(( $(date +%s) - t0 ))s"
grep -q "cluster(member3) is joined successfully" "$OUT/register1.log" || fail "no success line"
grep -q "$TOKEN" "$OUT/register1.log" && fail "the token was printed in register's output"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member3 --condition Ready --timeout 120s
mode=$(inns "$BIN/harness" get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io --name member3 --field spec.syncMode)
[[ $mode == Pull ]] || fail "syncMode $mode, want Pull"
inns "$BIN/harness" wait-condition --kubeconfig "$M3" --resource deployments.v1.apps -n karmada-system \
  --name karmada-agent --condition Available --timeout 120s
grep -h -- "--metrics-bind-address=10.244." "$LOCALENV_DIR"/logs/member3/karmada-system_karmada-agent-*.log >/dev/null ||
  fail "the agent's metrics listener is not bound to the pod IP"

step "register again: converges, one Ready Cluster"
t0=$(date +%s)
inns "$KCTL" "${reg[@]:1}" --kubeconfig "$M3" >"$OUT/register2.log" 2>&1 || fail "second register failed"
echo "second register took $(( $(date +%s) - t0 ))s"
grep -q "is this member's, from an earlier run: converging" "$OUT/register2.log" || fail "no converging note"
grep -q "certificate from an earlier run is still valid: kept" "$OUT/register2.log" || fail "agent certificate not kept"
ids=$(inns "$BIN/harness" get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io | grep -c "id: $(inns "$BIN/harness" get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io --name member3 --field spec.id)" || true)
[[ $ids -eq 1 ]] || fail "$ids Clusters with member3's cluster ID"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member3 --condition Ready --timeout 60s

step "unregister member3: the Cluster and the objects on both sides are gone"
inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >"$OUT/unregister.log" 2>&1 ||
  fail "unregister failed"
assert_nothing_created "after unregister"
get --kubeconfig "$KC" --resource namespaces.v1 --name karmada-es-member3 &&
  { sleep 5; get --kubeconfig "$KC" --resource namespaces.v1 --name karmada-es-member3 && fail "karmada-es-member3 remains"; }

step "register killed half-way (SIGKILL after 3s), then re-run: one Ready Cluster"
inns timeout -s KILL 3 "$KCTL" "${reg[@]:1}" --kubeconfig "$M3" >"$OUT/killed.log" 2>&1 && fail "register was not killed"
echo "killed after: $(grep -E '^\[[a-z-]+\] .*\([0-9.]+m?s\)$' "$OUT/killed.log" | tail -1)"
inns "$KCTL" "${reg[@]:1}" --kubeconfig "$M3" >"$OUT/register3.log" 2>&1 || fail "register after the killed one failed"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member3 --condition Ready --timeout 60s
inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >"$OUT/unregister2.log" 2>&1 ||
  fail "unregister failed"
assert_nothing_created "after the second unregister"

echo "PASS in $(( $(date +%s) - started ))s"
