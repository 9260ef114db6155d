#!/usr/bin/env bash
# Our join against upstream's (karmadactl v1.18.2, _output/fixtures/bin/karmadactl) on the same member:
# the same objects on both sides (kind, name, labels, annotations, Secret type and keys, RBAC rules,
# the Cluster's spec, owner references; tokens and UIDs aside), listed by tests/e2e/join_objects.py
# straight from the API servers. Runs on the shared environment (CTest fixture karmada_ours) with
# member2: upstream join, snapshot, upstream unjoin, our join, snapshot, compare.
# State left behind: member2 joined by our join (Push, Ready) and labelled as in the guide.
# Usage: karmadactl_join_parity.sh /path/to/karmadactl   (E2E_SHARED_NAME selects a private environment)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
UPSTREAM=$BIN/karmadactl
e2e_require_fixtures
e2e_shared_env
[[ -f $KC ]] || fail "no shared control plane at $KC (run the karmada_ours fixture first)"
[[ -x $UPSTREAM ]] || { echo "SKIP: no upstream karmadactl at $UPSTREAM"; exit 77; }
WORK=$E2E_WORK/join-parity
rm -rf "$WORK"; mkdir -p "$WORK"
snapshot() { inns python3 "$ROOT/tests/e2e/join_objects.py" "$K/member2.kubeconfig" "$KC" member2; }
wait_ready() {
  inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
    --name member2 --condition Ready --timeout 180s
}

step "start from member2 not joined"
e2e_need_unregistered member2

step "upstream join member2"
inns "$UPSTREAM" join member2 --kubeconfig "$KC" --cluster-kubeconfig "$K/member2.kubeconfig" || fail "upstream join"
wait_ready || fail "member2 not Ready after upstream join"
snapshot >"$WORK/upstream.objects"
cat "$WORK/upstream.objects"

step "upstream unjoin member2, then our join"
inns "$UPSTREAM" unjoin member2 --kubeconfig "$KC" --cluster-kubeconfig "$K/member2.kubeconfig" >"$WORK/unjoin.log" 2>&1 ||
  { cat "$WORK/unjoin.log"; fail "upstream unjoin"; }
inns "$KCTL" --kubeconfig "$KC" join member2 --cluster-kubeconfig="$K/member2.kubeconfig" || fail "our join"
wait_ready || fail "member2 not Ready after our join"
snapshot >"$WORK/ours.objects"

step "same objects on both sides"
if ! diff -u "$WORK/upstream.objects" "$WORK/ours.objects"; then
  fail "our join's objects differ from upstream's (- upstream, + ours)"
fi
grep -q MISSING "$WORK/ours.objects" && fail "objects missing"
inns "$KCTL" --kubeconfig "$KC" label cluster member2 environment=staging region=cn-east --overwrite || fail "label member2"
echo "PASS: $(wc -l <"$WORK/ours.objects") objects identical"
