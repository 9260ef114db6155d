#!/usr/bin/env bash
# The guide end to end with our binary only, on the shared environment (our init already done):
# register member3 (pull), join member1 and member2 (push), label them as the guide does, then an
# nginx Deployment under each of the four policies lands with the right replicas, read from the member
# API servers directly; apply --all-clusters puts a ConfigMap in every member; delete cluster removes
# one member; deinit leaves nothing with the ownership label on the host.
# Usage: karmadactl_guide.sh /path/to/karmadactl   (CTest fixture karmada_ours; runs last: it deinits)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_require_fixtures
e2e_shared_env
[[ -f $KC ]] || fail "no shared control plane (run the karmada_ours fixture first)"
WORK=$E2E_WORK/guide
rm -rf "$WORK"; mkdir -p "$WORK"
source "$ROOT/hack/guide/lib.sh"

step "start from member3 not registered"
e2e_need_unregistered member3
step "register member3 in pull mode with the line token create prints"
guide_register member3 || fail "register member3 failed"
step "join member1 and member2 in push mode"
guide_join member1 || fail "join member1 failed"
guide_join member2 || fail "join member2 failed"
for m in member1 member2 member3; do guide_wait_ready "$m" || fail "$m not Ready"; done
inns "$KCTL" --kubeconfig "$KC" get clusters

step "label the clusters as the guide does"
guide_label_clusters || fail "label the clusters"

step "policy by cluster names [member2, member3], 3 replicas"
guide_apply_case nginx-names 3 "$GUIDE_BY_NAMES" || fail "apply"
guide_wait_replicas nginx-names "member2=3 member3=3 member1=-" || fail "by names"

step "policy by label selector environment=dev (member1, member3), 3 replicas"
guide_apply_case nginx-labels 3 "$GUIDE_BY_LABEL" || fail "apply"
guide_wait_replicas nginx-labels "member1=3 member3=3 member2=-" || fail "by label"

step "Weighted 2:1 over member1 and member2, 6 replicas"
guide_apply_case nginx-weighted 6 "$GUIDE_WEIGHTED" || fail "apply"
guide_wait_replicas nginx-weighted "member1=4 member2=2 member3=-" || fail "weighted"

step "Duplicated over member1 and member2, 6 replicas"
guide_apply_case nginx-duplicated 6 "$GUIDE_DUPLICATED" || fail "apply"
guide_wait_replicas nginx-duplicated "member1=6 member2=6 member3=-" || fail "duplicated"

step "apply --all-clusters of a ConfigMap reaches every member"
cat >"$WORK/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: guide-settings, namespace: default}
data: {greeting: hello}
YAML
out=$(inns "$KCTL" apply -f "$WORK/cm.yaml" --all-clusters --kubeconfig "$KC") || fail "apply --all-clusters"
echo "$out"
grep -q '^configmap/guide-settings created$' <<<"$out" || fail "no 'created' line for the ConfigMap"
grep -q '^propagationpolicy.policy.karmada.io/guide-settings-' <<<"$out" || fail "no policy line"
for m in member1 member2 member3; do
  deadline=$(( $(date +%s) + 120 ))
  until inns "$BIN/harness" get --kubeconfig "$K/$m.kubeconfig" --resource configmaps.v1 -n default \
      --name guide-settings --field data.greeting 2>/dev/null | grep -qx hello; do
    (( $(date +%s) < deadline )) || fail "ConfigMap not in $m"
    sleep 1
  done
done
again=$(inns "$KCTL" apply -f "$WORK/cm.yaml" --all-clusters --kubeconfig "$KC") || fail "re-apply"
[[ $(grep -c ' unchanged$' <<<"$again") == 2 ]] || fail "re-apply was not unchanged: $again"

step "delete cluster member2, then deinit leaves nothing with the ownership label"
inns "$KCTL" delete cluster member2 --kubeconfig "$KC" || fail "delete cluster member2"
inns "$KCTL" deinit --kubeconfig "$K/host.kubeconfig" --force || fail "deinit"
left=$(inns python3 "$ROOT/tests/e2e/objects.py" "$K/host.kubeconfig" -l karmada.io/bootstrapping \
  apps/v1/deployments apps/v1/statefulsets /v1/services /v1/secrets)
[[ -z $left ]] || fail "left on the host after deinit: $left"
echo "PASS"
