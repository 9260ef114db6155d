#!/usr/bin/env bash
# Push mode and the everyday cluster commands (issue 10) with our binary, on the shared environment
# (our init already done; CTest fixture karmada_ours):
#   join --dry-run writes nothing on either side; member1 and member2 joined in push mode become Ready
#   (the guide's command verbatim); join twice -> one Ready Cluster, every object "unchanged" (the
#   Cluster's and the member Namespace's lines required, none created or configured); a second
#   name for the same member is refused before anything is created; labels as in the guide, get clusters
#   --show-labels / -l environment=dev; cordon/uncordon; get pods -A --operation-scope members lists a
#   member's pod; unjoin removes the Cluster and cleans the member; delete cluster removes a Cluster;
#   join killed half-way (SIGKILL) and run again converges to one Ready Cluster.
# State left behind: member1 and member2 joined (Push), Ready, uncordoned, labelled as in the guide
# (environment=dev region=cn-north / environment=staging region=cn-east); no probe pod. member3 is
# never touched.
# Usage: karmadactl_join.sh /path/to/karmadactl   (E2E_SHARED_NAME selects a private environment)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_require_fixtures
e2e_shared_env
[[ -f $KC ]] || fail "no shared control plane at $KC (run the karmada_ours fixture first)"
WORK=$E2E_WORK/join
rm -rf "$WORK"; mkdir -p "$WORK"
T0=$(date +%s)

k() { inns "$KCTL" --kubeconfig "$KC" "$@"; }
# The objects join makes, read straight from the API servers (not through the CLI under test).
member_objects() {
  inns python3 "$ROOT/tests/e2e/objects.py" "$K/$1.kubeconfig" /v1/namespaces /v1/serviceaccounts /v1/secrets \
    rbac.authorization.k8s.io/v1/clusterroles rbac.authorization.k8s.io/v1/clusterrolebindings |
    grep -E 'karmada-cluster|karmada-controller-manager:|karmada-impersonator' || true
}
karmada_objects() {
  inns python3 "$ROOT/tests/e2e/objects.py" "$KC" cluster.karmada.io/v1alpha1/clusters /v1/secrets |
    grep -vE 'bootstrap-token|karmada-system/' || true
}
wait_ready() {
  inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
    --name "$1" --condition Ready --timeout 180s
}
timed() { # timed LABEL CMD...: runs CMD, prints its duration
  local s e rc=0
  s=$(date +%s%N); "${@:2}" || rc=$?; e=$(date +%s%N)
  echo "$1 took $(( (e - s) / 1000000 ))ms (rc=$rc)"
  return $rc
}
join() { k join "$1" --cluster-kubeconfig="$K/$1.kubeconfig"; }

step "start from member1 and member2 not registered"
e2e_need_unregistered member1 member2

step "join --dry-run writes nothing on either side"
before_m1=$(member_objects member1); before_k=$(karmada_objects)
k join member1 --cluster-kubeconfig="$K/member1.kubeconfig" --dry-run >"$WORK/dry.out" 2>"$WORK/dry.err" ||
  { cat "$WORK/dry.err"; fail "join --dry-run failed"; }
cat "$WORK/dry.err"
[[ $(member_objects member1) == "$before_m1" ]] || fail "join --dry-run changed the member"
[[ $(karmada_objects) == "$before_k" ]] || fail "join --dry-run changed Karmada"
grep -qx '\[cluster\] Cluster member1 created (dry run)' "$WORK/dry.err" ||
  fail "the dry-run plan does not say the Cluster would be created"

step "join member1 (the guide's command verbatim) and member2 in push mode"
timed "join member1" inns "$KCTL" --kubeconfig "$KC" join member1 --cluster-kubeconfig="$K/member1.kubeconfig" ||
  fail "join member1 failed"
timed "join member2" join member2 || fail "join member2 failed"
wait_ready member1 || fail "member1 not Ready"
wait_ready member2 || fail "member2 not Ready"
for m in member1 member2; do
  [[ $(k get cluster "$m" -o jsonpath='{.spec.syncMode}') == Push ]] || fail "$m is not in Push mode"
done
member_objects member1 | tee "$WORK/member1.objects"
for want in "namespaces /karmada-cluster" "serviceaccounts karmada-cluster/karmada-impersonator" \
  "serviceaccounts karmada-cluster/karmada-member1" "secrets karmada-cluster/karmada-impersonator" \
  "secrets karmada-cluster/karmada-member1" "clusterroles /karmada-controller-manager:karmada-member1" \
  "clusterrolebindings /karmada-controller-manager:karmada-member1"; do
  grep -qx "$want" "$WORK/member1.objects" || fail "member1 lacks $want"
done
karmada_objects | tee "$WORK/karmada.objects"
for want in "clusters /member1" "secrets karmada-cluster/member1" "secrets karmada-cluster/member1-impersonator"; do
  grep -qx "$want" "$WORK/karmada.objects" || fail "Karmada lacks $want"
done

step "join twice: one Ready Cluster, nothing changed"
join member1 >"$WORK/again.out" 2>"$WORK/again.err" || { cat "$WORK/again.err"; fail "second join failed"; }
cat "$WORK/again.err"
grep -E '\] (Namespace|Secret|ServiceAccount|ClusterRole|ClusterRoleBinding|Cluster) .* (created|configured)$' "$WORK/again.err" &&
  fail "the second join changed objects"
grep -qx '\[cluster\] Cluster member1 unchanged' "$WORK/again.err" ||
  fail "the second join does not say Cluster member1 is unchanged"
grep -qx '\[member\] Namespace karmada-cluster unchanged' "$WORK/again.err" ||
  fail "the second join does not say the member's Namespace is unchanged"
id1=$(k get cluster member1 -o jsonpath='{.spec.id}')
[[ $(k get clusters -o jsonpath="{.items[?(@.spec.id==\"$id1\")].metadata.name}") == member1 ]] ||
  fail "member1 is registered more than once"

step "a second name for the same member is refused before anything is created"
before_m1=$(member_objects member1); before_k=$(karmada_objects)
if k join member1-again --cluster-kubeconfig="$K/member1.kubeconfig" 2>"$WORK/second.err"; then
  fail "join of member1 under a second name succeeded"
fi
cat "$WORK/second.err"
grep -q "already registered as member1" "$WORK/second.err" || fail "the refusal does not say why"
[[ $(member_objects member1) == "$before_m1" ]] || fail "the refused join changed the member"
[[ $(karmada_objects) == "$before_k" ]] || fail "the refused join changed Karmada"

step "label the clusters as the guide does; get clusters --show-labels and -l"
k label cluster member1 environment=dev region=cn-north --overwrite || fail "label member1"
k label cluster member2 environment=staging region=cn-east --overwrite || fail "label member2"
k get clusters --show-labels | tee "$WORK/labels.out"
grep -E '^member1 .*environment=dev,region=cn-north$' "$WORK/labels.out" >/dev/null || fail "member1 labels not shown"
grep -E '^member2 .*environment=staging,region=cn-east$' "$WORK/labels.out" >/dev/null || fail "member2 labels not shown"
head -1 "$WORK/labels.out" | holds -E '^NAME +CLUSTER +VERSION +MODE +READY +AGE +ADOPTION +LABELS$' ||
  fail "unexpected columns"
k get clusters -l environment=dev
[[ $(k get clusters -l environment=dev -o name) == "cluster.cluster.karmada.io/member1" ]] ||
  fail "-l environment=dev does not select exactly member1"
k get clusters -o wide | holds -E 'ZONES +REGION +PROVIDER +API-ENDPOINT +PROXY-URL' || fail "wide columns"

step "cordon adds cluster.karmada.io/unschedulable:NoSchedule, uncordon removes it"
k cordon member1 | tee "$WORK/cordon.out"
grep -qx "member1 cluster cordoned\|member1 cluster already cordoned" "$WORK/cordon.out" || fail "cordon output"
[[ $(k get cluster member1 -o jsonpath='{.spec.taints[?(@.key=="cluster.karmada.io/unschedulable")].effect}') == NoSchedule ]] ||
  fail "no unschedulable taint after cordon"
k uncordon member1 | tee "$WORK/uncordon.out"
grep -qx "member1 cluster uncordoned" "$WORK/uncordon.out" || fail "uncordon output"
[[ -z $(k get cluster member1 -o jsonpath='{.spec.taints[?(@.key=="cluster.karmada.io/unschedulable")].key}') ]] ||
  fail "the unschedulable taint is still there after uncordon"

step "get pods -A --operation-scope members lists the members' pods (through clusters/proxy)"
# member1 has no kubelet: a Pod object is enough to be listed (it stays Pending).
cat >"$WORK/probe.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: e2e-join-probe, namespace: default}
spec: {containers: [{name: c, image: busybox}]}
YAML
inns "$BIN/harness" apply --kubeconfig "$K/member1.kubeconfig" -f "$WORK/probe.yaml" >/dev/null || fail "probe pod"
k get pods -A --operation-scope members | tee "$WORK/pods.out"
grep -E '^default +e2e-join-probe +member1 ' "$WORK/pods.out" >/dev/null || fail "member1's pod not listed"
k get pods -A --operation-scope all -C member1 | holds e2e-join-probe || fail "-s all -C member1"
inns "$BIN/harness" delete --kubeconfig "$K/member1.kubeconfig" -f "$WORK/probe.yaml" >/dev/null 2>&1 || true

step "unjoin removes the Cluster and cleans the member"
timed "unjoin member2" k unjoin member2 --cluster-kubeconfig="$K/member2.kubeconfig" || fail "unjoin member2"
k get cluster member2 2>/dev/null && fail "Cluster member2 still there after unjoin"
[[ -z $(member_objects member2) ]] || { member_objects member2; fail "member2 not cleaned"; }
karmada_objects | holds "member2" && fail "Karmada still holds member2's objects"

step "delete cluster removes a Cluster (the guide's command)"
join member2 >/dev/null 2>&1 || fail "re-join member2"
wait_ready member2 || fail "member2 not Ready after re-join"
timed "delete cluster member2" inns "$KCTL" delete cluster member2 --kubeconfig="$KC" || fail "delete cluster member2"
k get cluster member2 2>/dev/null && fail "Cluster member2 still there after delete"
k delete cluster member2 2>/dev/null && fail "deleting a missing cluster succeeded"
k delete cluster member2 --ignore-not-found || fail "--ignore-not-found"

step "join killed half-way (SIGKILL), then run again: one Ready Cluster"
# Killed at a few points of the flow; each run leaves some objects, the last run finishes.
for delay in 0.03 0.05 0.07 0.09; do
  inns timeout -s KILL "$delay" "$KCTL" --kubeconfig "$KC" join member2 \
    --cluster-kubeconfig="$K/member2.kubeconfig" >/dev/null 2>"$WORK/killed-$delay.err" || true
  echo "killed after ${delay}s; last progress line: $(grep "^\[" "$WORK/killed-$delay.err" | tail -1)"
done

step "leave member1 and member2 joined and labelled as in the guide"
join member2 >/dev/null 2>&1 || fail "re-join member2"
id2=$(k get cluster member2 -o jsonpath='{.spec.id}')
[[ $(k get clusters -o jsonpath="{.items[?(@.spec.id==\"$id2\")].metadata.name}") == member2 ]] ||
  fail "member2 is registered more than once"
wait_ready member2 || fail "member2 not Ready after re-join"
k label cluster member2 environment=staging region=cn-east --overwrite || fail "label member2"
k get clusters --show-labels
echo "PASS in $(( $(date +%s) - T0 ))s"
