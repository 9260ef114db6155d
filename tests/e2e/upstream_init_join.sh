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

step "karmadactl init (upstream $("$KCTL" version 2>/dev/null | head -c 80))"
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

step "clusters"
inns "$KCTL" get clusters --kubeconfig "$KC" 2>&1 || inns "$BIN/harness" get --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io | grep -E '^\s+(name|type|status):' || true
echo "PASS"
