#!/usr/bin/env bash
# Fidelity proof for the local environment, with the upstream karmadactl v1.18.2 as the client:
#   karmadactl init (local CRD tarball, data/pki/etcd dirs under _output) against the local host cluster,
#   APIService v1alpha1.cluster.karmada.io Available, karmadactl join member1 -> Cluster member1 Ready=True,
#   and (pull mode) karmadactl token create + register member3 -> Cluster member3 Ready=True.
# Env: E2E_SKIP_REGISTER=1 skips the pull-mode part; E2E_KEEP_ENV=1 leaves the clusters running.
source "$(dirname "$0")/lib.sh"
e2e_require_fixtures
e2e_env_up upstream
K=$LOCALENV_DIR
KD=$E2E_WORK/karmada            # --karmada-data (init rm -rf's and recreates it)
KC=$KD/karmada-apiserver.config
KCTL=$BIN/karmadactl

step "karmadactl init (upstream $("$KCTL" version 2>/dev/null | cut -c1-80 | tr -d "\n"))"
start=$(date +%s)
inns "$KCTL" init --kubeconfig "$K/host.kubeconfig" \
  --crds "$ROOT/_output/fixtures/crds.tar.gz" \
  --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data" \
  --wait-component-ready-timeout 300 2>&1 | tee "$E2E_WORK/init.log" || fail "karmadactl init failed"
grep -q "Karmada is installed successfully" "$E2E_WORK/init.log" || fail "init did not report success"
echo "init took $(( $(date +%s) - start ))s"
[[ -f $KC ]] || fail "no $KC"

step "APIService v1alpha1.cluster.karmada.io Available"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource apiservices.v1.apiregistration.k8s.io \
  --name v1alpha1.cluster.karmada.io --condition Available --timeout 120s

step "host workloads all available"
inns "$BIN/harness" wait-condition --kubeconfig "$K/host.kubeconfig" --resource deployments.v1.apps -n karmada-system \
  --name karmada-controller-manager --condition Available --timeout 180s
inns "$BIN/harness" wait-condition --kubeconfig "$K/host.kubeconfig" --resource deployments.v1.apps -n karmada-system \
  --name karmada-webhook --condition Available --timeout 180s

step "karmadactl join member1 (push mode)"
inns "$KCTL" join member1 --kubeconfig "$KC" --cluster-kubeconfig "$K/member1.kubeconfig" || fail "join member1 failed"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member1 --condition Ready --timeout 180s

if [[ -z ${E2E_SKIP_REGISTER:-} ]]; then
  step "karmadactl token create + register member3 (pull mode)"
  reg=$(inns "$KCTL" token create --print-register-command --kubeconfig "$KC") || fail "token create failed"
  echo "$reg"
  read -r -a regcmd <<<"$(grep 'karmadactl register' <<<"$reg")"
  [[ ${#regcmd[@]} -gt 2 ]] || fail "no register command printed"
  inns "$KCTL" "${regcmd[@]:1}" --kubeconfig "$K/member3.kubeconfig" --cluster-name member3 \
    --karmada-agent-image docker.io/karmada/karmada-agent:v1.18.2 --cert-expiration-seconds 86400 || fail "register member3 failed"
  inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
    --name member3 --condition Ready --timeout 180s
fi

# wait_field KUBECONFIG RESOURCE NS NAME FIELD WANT [TIMEOUT]
wait_field() {
  local deadline=$(( $(date +%s) + ${7:-120} )) got=""
  while (( $(date +%s) < deadline )); do
    got=$(inns "$BIN/harness" get --kubeconfig "$1" --resource "$2" -n "$3" --name "$4" --field "$5" 2>/dev/null || true)
    [[ $got == "$6" ]] && { echo "$4 $5=$got in $(basename "$1" .kubeconfig)"; return 0; }
    sleep 1
  done
  fail "$2 $3/$4 $5: want $6, got '${got}' in $1"
}

step "propagation: static weights 2:1 over 3 replicas, and Duplicated"
members=(member1)
[[ -z ${E2E_SKIP_REGISTER:-} ]] && members+=(member3)
cat >"$E2E_WORK/propagation.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: weighted, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: weighted}}
  template:
    metadata: {labels: {app: weighted}}
    spec: {containers: [{name: app, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: duplicated, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: duplicated}}
  template:
    metadata: {labels: {app: duplicated}}
    spec: {containers: [{name: app, image: nginx}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: weighted, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: weighted}]
  placement:
    clusterAffinity: {clusterNames: [${members[*]/%/,}]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [${members[0]}]}, weight: 2}
        - {targetCluster: {clusterNames: [${members[1]:-${members[0]}}]}, weight: 1}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: duplicated, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: duplicated}]
  placement:
    clusterAffinity: {clusterNames: [${members[*]/%/,}]}
    replicaScheduling: {replicaSchedulingType: Duplicated}
YAML
sed -i 's/, *]/]/' "$E2E_WORK/propagation.yaml"
inns "$BIN/harness" apply --kubeconfig "$KC" -f "$E2E_WORK/propagation.yaml"
if [[ ${#members[@]} == 2 ]]; then
  wait_field "$K/member1.kubeconfig" deployments.v1.apps default weighted spec.replicas 2
  wait_field "$K/member3.kubeconfig" deployments.v1.apps default weighted spec.replicas 1
else
  wait_field "$K/member1.kubeconfig" deployments.v1.apps default weighted spec.replicas 3
fi
for m in "${members[@]}"; do
  wait_field "$K/$m.kubeconfig" deployments.v1.apps default duplicated spec.replicas 2
done

step "clusters"
inns "$KCTL" get clusters --kubeconfig "$KC" 2>&1 || inns "$BIN/harness" get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io | grep -E '^\s+(name|type|status):' || true
echo "PASS"
