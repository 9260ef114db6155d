#!/usr/bin/env bash
# Kill at every step (issue 15), register and join, on the shared environment (CTest fixture
# karmada_ours) with member3, unregistered first if it is registered (the guide registers it itself):
#   register member3: killed (SIGKILL) right after preflight, run again killed after discovery, ...,
#   after cluster, then run in full; join member3 (push) the same over its steps. After every run: at most
#   one Cluster with member3's cluster ID, no CSR left Pending, no bootstrap token Secret added; objects of
#   the steps finished before are never created again; the agent's kubeconfig Secret (register) and the
#   credentials join stored (member and Karmada side) keep the bytes of the run that wrote them. The
#   final runs succeed; unregister / unjoin then leave member3 and Karmada as they were found.
# Writes the rows of docs/faults.md to $E2E_WORK/kill/table-register-join.md.
# Usage: karmadactl_kill_steps.sh /path/to/karmadactl   (E2E_SHARED_NAME selects the environment)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kill_lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test kill
KILL_TABLE=$OUT/table-register-join.md
: >"$KILL_TABLE"
started=$(date +%s)
checks() { inns python3 "$ROOT/tests/e2e/kill_checks.py" "$@"; }
secret_names() { inns python3 "$ROOT/tests/e2e/objects.py" "$1" /v1/secrets | grep -v -e "bootstrap-token-" -e "^$" || true; }

cleanup() {
  local rc=$?
  inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >/dev/null 2>&1 || true
  inns "$KCTL" unjoin member3 --cluster-kubeconfig "$M3" --kubeconfig "$KC" >/dev/null 2>&1 || true
  [[ -n ${TOKEN_ID:-} ]] && inns "$KCTL" token delete "$TOKEN_ID" --kubeconfig "$KC" >/dev/null 2>&1 || true
  [[ $rc -ne 0 ]] && { for f in "$OUT"/*.log; do echo "---- $f"; cat "$f"; done; }
  exit $rc
}
trap cleanup EXIT

# After every run: one registration at most, no CSR Pending, no token added.
invariants() {
  local what=$1 ids unsigned tokens
  read -r ids unsigned tokens < <(checks summary "$KC" "$M3_ID")
  [[ -n $tokens ]] || fail "$what: cannot read the Karmada API server"
  [[ $ids -le 1 ]] || fail "$what: $ids Clusters with member3's cluster ID"
  [[ $unsigned -eq 0 ]] || fail "$what: $unsigned CSRs left unsigned: $(checks csrs "$KC")"
  [[ $tokens -eq $TOKENS ]] || fail "$what: bootstrap token Secrets changed: $(checks tokens "$KC")"
}

step "start: member3 unregistered; what exists on both sides"
e2e_need_unregistered member3
[[ -z $(checks cluster-ids "$KC" | awk '$1 == "member3"') ]] || fail "member3 is still registered"
M3_ID=$(inns "$BIN/harness" get --kubeconfig "$M3" --resource namespaces.v1 --name kube-system --field metadata.uid)
[[ -n $M3_ID ]] || fail "no kube-system uid for member3"
secret_names "$M3" >"$OUT/member3-secrets.before"
secret_names "$KC" >"$OUT/karmada-secrets.before"
checks csrs "$KC" >"$OUT/csrs.before"

line=$(inns "$KCTL" token create --print-register-command --description e2e-kill --kubeconfig "$KC") || fail "token create"
read -r -a reg <<<"$line"
TOKEN=${reg[4]}
TOKEN_ID=${TOKEN%%.*}
TOKENS=$(checks tokens "$KC" | wc -l)
register=("$KCTL" "${reg[@]:1}" --kubeconfig "$M3" --discovery-timeout 120s)

step "register member3, killed after each step in turn, then in full"
steps=(preflight discovery control-plane credential member agent cluster)
done_steps=()
for i in "${!steps[@]}"; do
  s=${steps[$i]}
  rc=0; kill_run "$OUT/register-$s.log" "$s" "${register[@]}" || rc=$?
  kill_expect_killed "$OUT/register-$s.log" "$s" "$rc"
  invariants "register killed after $s"
  again=$(kill_rerun_created "$OUT/register-$s.log" "${done_steps[@]}")
  [[ $again -eq 0 ]] || { cat "$OUT/register-$s.log"; fail "register re-run after a kill created $again objects again"; }
  notes=$(grep -oE "is this member's, from an earlier run: converging|certificate from an earlier run is still valid: kept|certificate issued" "$OUT/register-$s.log" | sort -u | paste -sd ';' - || true)
  [[ $s == member ]] && agent_sha=$(checks secret-sha "$M3" karmada-system karmada-kubeconfig)
  echo "killed after $s; this run: $(kill_object_words "$OUT/register-$s.log" "${steps[@]}"); ${notes:-no notes}"
  kill_row "| register | ${done_steps[*]:-(first run)} -> $s | $(kill_object_words "$OUT/register-$s.log" "${steps[@]}"); ${notes:-} |"
  done_steps+=("$s")
done
rc=0; kill_run "$OUT/register-full.log" "" "${register[@]}" || rc=$?
[[ $rc -eq 0 ]] || { cat "$OUT/register-full.log"; fail "the full register after the kills failed ($rc)"; }
grep -q "cluster(member3) is joined successfully" "$OUT/register-full.log" || fail "no success line"
[[ $(kill_rerun_created "$OUT/register-full.log" "${steps[@]}") -eq 0 ]] || { cat "$OUT/register-full.log"; fail "the full run created objects again"; }
grep -q "certificate from an earlier run is still valid: kept" "$OUT/register-full.log" || fail "the agent's certificate was not kept"
kill_row "| register | all -> (full run) | $(kill_object_words "$OUT/register-full.log" "${steps[@]}"); exit 0, Cluster Ready |"
invariants "full register"
[[ $(checks secret-sha "$M3" karmada-system karmada-kubeconfig) == "$agent_sha" ]] ||
  fail "the agent's kubeconfig Secret changed after the run that wrote it"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member3 --condition Ready --timeout 60s || fail "member3 not Ready"
[[ $(checks cluster-ids "$KC" | awk -v id="$M3_ID" '$2 == id' | wc -l) -eq 1 ]] || fail "not exactly one Cluster for member3"
stray=$(comm -13 <(sort "$OUT/csrs.before") <(checks csrs "$KC" | sort) | grep -v " Issued$" || true)
[[ -z $stray ]] || fail "CSRs left behind: $stray"

step "unregister member3: both sides as found"
inns "$KCTL" unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" >"$OUT/unregister.log" 2>&1 ||
  { cat "$OUT/unregister.log"; fail "unregister failed"; }
diff <(secret_names "$M3") "$OUT/member3-secrets.before" || fail "Secrets left in member3 after unregister"
diff <(secret_names "$KC") "$OUT/karmada-secrets.before" || fail "Secrets left in Karmada after unregister"
inns "$KCTL" token delete "$TOKEN_ID" --kubeconfig "$KC" >/dev/null || fail "token delete"
TOKEN_ID=

step "join member3 (push), killed after each step in turn, then in full"
join=("$KCTL" --kubeconfig "$KC" join member3 --cluster-kubeconfig "$M3")
TOKENS=$(checks tokens "$KC" | wc -l)
steps=(member secrets cluster)
done_steps=()
for s in "${steps[@]}"; do
  rc=0; kill_run "$OUT/join-$s.log" "$s" "${join[@]}" || rc=$?
  kill_expect_killed "$OUT/join-$s.log" "$s" "$rc"
  invariants "join killed after $s"
  again=$(kill_rerun_created "$OUT/join-$s.log" "${done_steps[@]}")
  [[ $again -eq 0 ]] || { cat "$OUT/join-$s.log"; fail "join re-run after a kill created $again objects again"; }
  case $s in
    member) member_sha=$(checks secret-sha "$M3" karmada-cluster karmada-member3) ;;
    secrets) karmada_sha=$(checks secret-sha "$KC" karmada-cluster member3) ;;
  esac
  echo "killed after $s; this run: $(kill_object_words "$OUT/join-$s.log" "${steps[@]}")"
  kill_row "| join | ${done_steps[*]:-(first run)} -> $s | $(kill_object_words "$OUT/join-$s.log" "${steps[@]}") |"
  done_steps+=("$s")
done
rc=0; kill_run "$OUT/join-full.log" "" "${join[@]}" || rc=$?
[[ $rc -eq 0 ]] || { cat "$OUT/join-full.log"; fail "the full join after the kills failed ($rc)"; }
grep -Eq '\] (Namespace|Secret|ServiceAccount|ClusterRole|ClusterRoleBinding|Cluster) .* (created|configured)$' "$OUT/join-full.log" &&
  { cat "$OUT/join-full.log"; fail "the full join after the kills changed objects"; }
kill_row "| join | all -> (full run) | $(kill_object_words "$OUT/join-full.log" "${steps[@]}"); exit 0 |"
invariants "full join"
[[ $member_sha != absent && $(checks secret-sha "$M3" karmada-cluster karmada-member3) == "$member_sha" ]] ||
  fail "the member's service account token Secret changed after the run that made it"
[[ $karmada_sha != absent && $(checks secret-sha "$KC" karmada-cluster member3) == "$karmada_sha" ]] ||
  fail "the credentials join stored in Karmada changed after the run that stored them"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
  --name member3 --condition Ready --timeout 120s || fail "member3 not Ready after join"

step "unjoin member3: both sides as found"
inns "$KCTL" unjoin member3 --cluster-kubeconfig "$M3" --kubeconfig "$KC" >"$OUT/unjoin.log" 2>&1 ||
  { cat "$OUT/unjoin.log"; fail "unjoin failed"; }
diff <(secret_names "$M3") "$OUT/member3-secrets.before" || fail "Secrets left in member3 after unjoin"
diff <(secret_names "$KC") "$OUT/karmada-secrets.before" || fail "Secrets left in Karmada after unjoin"
[[ -z $(checks cluster-ids "$KC" | awk '$1 == "member3"') ]] || fail "Cluster member3 left after unjoin"
cat "$KILL_TABLE"
echo "PASS in $(( $(date +%s) - started ))s"
