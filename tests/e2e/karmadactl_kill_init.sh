#!/usr/bin/env bash
# Kill at every step (issue 15), init and deinit, in one private environment (a fresh host is needed):
#   init killed (SIGKILL, by the test-only KARMADACTL_TEST_KILL_AFTER_STEP hook) right after its first
#   step, run again killed after the second, ..., then run in full. While the run that starts etcd waits,
#   the host cluster's kube-apiserver is killed and comes back (the harness restarts it): that run
#   rides it out or fails with a message, and the series goes on. After every run: objects of the steps
#   finished before are never created again; the CA certificate and key keep the bytes of the run that
#   made them (and so does every other certificate and key, and karmada-apiserver.config). The full run
#   creates and changes nothing; the control plane works (APIService Available).
#   Then deinit --purge-namespace killed after each of its steps in turn, then in full: nothing with
#   the ownership label karmada.io/bootstrapping is left, the namespace and the etcd node label are gone
#   (a deinit killed after its last step is re-run: it finds the namespace gone and exits 0).
# Writes the rows of docs/faults.md to $E2E_WORK/kill/table-init-deinit.md.
# Usage: karmadactl_kill_init.sh /path/to/karmadactl   (E2E_KILL_ENV names the environment; default kill-init)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kill_lib.sh"
KCTL=$(realpath "$1")
e2e_require_fixtures
e2e_env_up "${E2E_KILL_ENV:-kill-init}"
started=$(date +%s)
H=$LOCALENV_DIR/host.kubeconfig
KD=$E2E_WORK/karmada
KC=$KD/karmada-apiserver.config
OUT=$E2E_WORK/kill
mkdir -p "$OUT"
KILL_TABLE=$OUT/table-init-deinit.md
: >"$KILL_TABLE"
checks() { inns python3 "$ROOT/tests/e2e/kill_checks.py" "$@"; }
init=("$KCTL" init --kubeconfig "$H" --crds "$ROOT/_output/fixtures/crds.tar.gz" --karmada-data "$KD"
  --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data" --wait-component-ready-timeout 5m)
deinit=("$KCTL" deinit --kubeconfig "$H" --karmada-data "$KD" --purge-namespace -f)
ca_sha() { [[ -f $KD/pki/ca.crt ]] && cat "$KD/pki/ca.crt" "$KD/pki/ca.key" | sha256sum | cut -c1-64 || echo none; }
pki_sha() { [[ -d $KD/pki ]] && (cd "$KD/pki" && find . -type f | sort | xargs cat) | sha256sum | cut -c1-64 || echo none; }
file_sha() { [[ -f $1 ]] && sha256sum <"$1" | cut -c1-64 || echo none; }

# The pid of the host cluster's kube-apiserver of this environment (not the Karmada API server's).
host_apiserver_pid() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    if [[ $cmd == "$BIN/kube-apiserver "* && $cmd == *"--etcd-prefix=/registry-host "* &&
      $cmd == *"--cert-dir=$LOCALENV_DIR/clusters/host/"* ]]; then
      echo "${p#/proc/}"; return 0
    fi
  done
  return 1
}

# Kills the host kube-apiserver once the run logging to $1 has finished step $2; waits for it back.
restart_host_apiserver_after() {
  local log=$1 after=$2 old new
  for _ in $(seq 600); do grep -Eq "^\[$after\] .*\([0-9.]+m?s\)$" "$log" && break; sleep 0.1; done
  old=$(host_apiserver_pid) || fail "no host kube-apiserver process found"
  kill -KILL "$old"
  echo "killed the host kube-apiserver (pid $old) after step $after at $(date -u +%T)"
  for _ in $(seq 600); do
    new=$(host_apiserver_pid || true)
    [[ -n $new && $new != "$old" ]] && inns "$BIN/harness" get --kubeconfig "$H" --resource namespaces.v1 \
      --name default >/dev/null 2>&1 && break
    sleep 0.1
  done
  [[ -n $new && $new != "$old" ]] || fail "the host kube-apiserver did not come back"
  echo "the host kube-apiserver is back (pid $new) at $(date -u +%T)"
}

# init's steps in the order of init::init_stages() (a stage's steps side by side); the full run at the end
# checks that these are exactly the steps init runs.
steps=(preflight certs crds kubeconfig namespace secrets etcd apiserver aggregated-apiserver karmada-resources
  apiservice scheduler kube-controller-manager controller-manager webhook)

step "init killed after each step in turn (the host kube-apiserver killed and restarted during the etcd step)"
CA=; PKI=; CONFIG=
done_steps=()
for s in "${steps[@]}"; do
  log=$OUT/init-$s.log
  rc=0
  if [[ $s == etcd ]]; then
    inns env "$KILL_ENV=$s" "${init[@]}" >"$log" 2>&1 &
    run_pid=$!
    restart_host_apiserver_after "$log" secrets
    wait "$run_pid" || rc=$?
  else
    kill_run "$log" "$s" "${init[@]}" || rc=$?
  fi
  note=""
  if [[ $s == etcd && $rc -ne 137 ]]; then
    [[ $rc -ne 0 ]] || fail "the run with the restart was neither killed nor failed"
    grep -q "to continue: run" "$log" || { cat "$log"; fail "the run failed by the restart says nothing of how to continue"; }
    note="host kube-apiserver restarted during this run: it failed (exit $rc): \`$(grep -m1 '^error:' "$log" | cut -c1-160)\`; the next run converged"
    echo "$note"
  else
    kill_expect_killed "$log" "$s" "$rc"
    [[ $s == etcd ]] && note="host kube-apiserver restarted during this run: ridden out"
  fi
  again=$(kill_rerun_created "$log" "${done_steps[@]}")
  [[ $again -eq 0 ]] || { cat "$log"; fail "init killed after $s created $again objects of finished steps again"; }
  if [[ -z $CA && $(ca_sha) != none ]]; then CA=$(ca_sha); PKI=$(pki_sha); fi
  [[ -z $CA || $(ca_sha) == "$CA" ]] || fail "the CA changed in the run killed after $s"
  [[ -z $PKI || $(pki_sha) == "$PKI" ]] || fail "a certificate or key changed in the run killed after $s"
  [[ -z $CONFIG && -f $KC ]] && CONFIG=$(file_sha "$KC")
  [[ -z $CONFIG || $(file_sha "$KC") == "$CONFIG" ]] || fail "karmada-apiserver.config changed in the run killed after $s"
  kept=$(grep -c "^\[certs\] kept certificate" "$log" || true)
  issued=$(grep -c "^\[certs\] issued certificate" "$log" || true)
  words=$(kill_object_words "$log" "${steps[@]}")
  echo "killed after $s: $words; certificates issued $issued, kept $kept"
  kill_row "| init | ${done_steps[*]:-(first run)} -> $s | $words; certificates: issued $issued${CA:+, CA kept}${note:+; $note} |"
  done_steps+=("$s")
done

step "init in full: converges, creates and changes nothing, works"
rc=0; kill_run "$OUT/init-full.log" "" "${init[@]}" || rc=$?
[[ $rc -eq 0 ]] || { cat "$OUT/init-full.log"; fail "the full init after the kills failed ($rc)"; }
grep -Eq ' (created|configured|updated)$|issued certificate' "$OUT/init-full.log" && { cat "$OUT/init-full.log"; fail "the full init changed something"; }
[[ $(ca_sha) == "$CA" && $(pki_sha) == "$PKI" && $(file_sha "$KC") == "$CONFIG" ]] || fail "certificates or the kubeconfig changed"
ran=$(grep -oE '^\[[a-z-]+\] .*\([0-9.]+m?s\)$' "$OUT/init-full.log" | sed -E 's/^\[([a-z-]+)\].*/\1/' | sort | paste -sd' ')
[[ $ran == "$(printf '%s\n' "${steps[@]}" | sort | paste -sd' ')" ]] || fail "init's steps are now: $ran; update steps=() here"
owned=$(checks owned "$H" karmada-system | wc -l)
kill_row "| init | all -> (full run) | $(kill_object_words "$OUT/init-full.log" "${steps[@]}"); exit 0; $owned objects with the ownership label, CA and every key byte-identical |"
inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource apiservices.v1.apiregistration.k8s.io \
  --name v1alpha1.cluster.karmada.io --condition Available --timeout 120s || fail "APIService not Available"

step "deinit --purge-namespace killed after each step in turn, then in full"
dsteps=(delete etcd-nodes namespace)
for s in "${dsteps[@]}"; do
  rc=0; kill_run "$OUT/deinit-$s.log" "$s" "${deinit[@]}" || rc=$?
  kill_expect_killed "$OUT/deinit-$s.log" "$s" "$rc"
  left=$(checks owned "$H" karmada-system | wc -l)
  echo "deinit killed after $s: $left objects with the ownership label left"
  kill_row "| deinit | $s | $(grep -cE '^\[(delete|etcd-nodes|namespace)\] (removed |.* deleted$)' "$OUT/deinit-$s.log" || true) objects or labels removed; $left labelled objects still terminating |"
done
rc=0; kill_run "$OUT/deinit-full.log" "" "${deinit[@]}" || rc=$?
[[ $rc -eq 0 ]] || { cat "$OUT/deinit-full.log"; fail "the full deinit after the kills failed ($rc)"; }
cat "$OUT/deinit-full.log"
# The namespace may still be terminating from the killed run (then this run deletes what is left and
# says "Karmada was removed"), or already gone ("Nothing left"); both converge, as checked below.
said=$(grep -oE "Nothing left of Karmada in namespace karmada-system|Karmada was removed from namespace karmada-system" \
  "$OUT/deinit-full.log" | head -n 1) || true
[[ -n $said ]] || fail "the last deinit says neither that nothing is left nor that Karmada was removed"
# Deletion is asynchronous (foreground deletion of workloads, the namespace's finalizer): wait for it.
for _ in $(seq 120); do
  left=$(checks owned "$H" karmada-system)
  inns "$BIN/harness" get --kubeconfig "$H" --resource namespaces.v1 --name karmada-system >/dev/null 2>&1 || ns_gone=1
  [[ -z $left && -n ${ns_gone:-} ]] && break
  sleep 0.5
done
[[ -z $left ]] || fail "objects with the ownership label left: $left"
[[ -n ${ns_gone:-} ]] || fail "namespace karmada-system is still there"
inns "$BIN/harness" get --kubeconfig "$H" --resource nodes.v1 --name host-control-plane --field metadata.labels 2>/dev/null |
  grep -q "karmada.io/etcd" && fail "the etcd node label is still there"
[[ $(ca_sha) == "$CA" ]] || fail "deinit touched the CA"
kill_row "| deinit | (full run) | exit 0: \"$said\"; nothing with karmada.io/bootstrapping left, namespace and node label gone, local PKI kept |"
cat "$KILL_TABLE"
echo "PASS in $(( $(date +%s) - started ))s"
