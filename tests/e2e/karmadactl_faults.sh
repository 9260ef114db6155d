#!/usr/bin/env bash
# API faults (issue 15) on the shared environment (CTest fixture karmada_ours): the CLI talks to the
# Karmada API server through tests/support/fault_proxy.py, which resets connections, stalls, or answers
# 429/503 with Retry-After: 1. Commands succeed within their retry budget (and the proxy's log shows
# the faults really happened), or, when the fault outlasts it, fail with a message that says what
# timed out or failed, the step, what was done and how to continue, with a non-zero exit, in time.
# Needs member1 joined and member3 unregistered (made so first). Leaves everything as found (member3
# unjoined; no extra token).
# Writes the rows of docs/faults.md to $E2E_WORK/faults/table-faults.md.
# Usage: karmadactl_faults.sh /path/to/karmadactl   (E2E_SHARED_NAME selects the environment)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test faults
e2e_need_joined member1
e2e_need_unregistered member3
TABLE=$OUT/table-faults.md
: >"$TABLE"
started=$(date +%s)
checks() { inns python3 "$ROOT/tests/e2e/kill_checks.py" "$@"; }
PROXY_PID=

proxy_stop() {
  [[ -n $PROXY_PID ]] || return 0
  kill "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=
}

# proxy_start NAME ARGS...: the fault proxy in front of the Karmada API server; $PK is its kubeconfig.
proxy_start() {
  local name=$1
  shift
  proxy_stop
  PD=$OUT/$name
  mkdir -p "$PD"
  PK=$PD/kubeconfig
  # The proxy runs inside the clusters' network namespace, as the CLI does.
  "$ROOT/hack/local-exec.sh" -- python3 "$ROOT/tests/support/fault_proxy.py" --kubeconfig "$KC" --out "$PK" \
    --dir "$PD" --log "$PD/faults.log" "$@" >"$PD/proxy.out" 2>"$PD/proxy.err" &
  PROXY_PID=$!
  for _ in $(seq 100); do [[ -s $PD/proxy.out ]] && break; sleep 0.1; done
  [[ -s $PD/proxy.out ]] || { cat "$PD/proxy.err"; fail "the fault proxy did not start"; }
  : >>"$PD/faults.log"
}

cleanup() {
  local rc=$?
  proxy_stop
  inns "$KCTL" --kubeconfig "$KC" label cluster member3 e2e-faults- >/dev/null 2>&1 || true
  inns "$KCTL" unjoin member3 --cluster-kubeconfig "$M3" --kubeconfig "$KC" >/dev/null 2>&1 || true
  for t in $(checks tokens "$KC" 2>/dev/null | awk '$2 == "e2e-faults" {print $1}'); do
    inns "$KCTL" token delete "${t#bootstrap-token-}" --kubeconfig "$KC" >/dev/null 2>&1 || true
  done
  [[ $rc -ne 0 ]] && { for f in "$OUT"/*/*.log "$OUT"/*/*.err; do [[ -f $f ]] && { echo "---- $f"; cat "$f"; }; done; }
  exit $rc
}
trap cleanup EXIT

# run_case LABEL EXPECT CMD...: runs CMD (the CLI through the proxy), timed; EXPECT is ok or fail.
run_case() {
  local label=$1 expect=$2 s e rc=0
  shift 2
  s=$(date +%s%N)
  inns "$@" >"$PD/out.log" 2>"$PD/err.log" || rc=$?
  e=$(date +%s%N)
  ELAPSED_MS=$(( (e - s) / 1000000 ))
  FAULTS=$(wc -l <"$PD/faults.log")
  echo "$label: exit $rc in ${ELAPSED_MS} ms, $FAULTS fault(s) injected"
  if [[ $expect == ok && $rc -ne 0 ]]; then cat "$PD/err.log"; fail "$label: failed"; fi
  if [[ $expect == fail && $rc -eq 0 ]]; then cat "$PD/out.log"; fail "$label: succeeded despite the fault"; fi
  return 0
}
row() { echo "| $1 | $2 | $3 |" >>"$TABLE"; }
first_error() { grep -m1 '^error:' "$PD/err.log" | cut -c1-220; }

step "pass-through: the proxy itself works"
proxy_start pass --mode pass
run_case "get clusters (pass)" ok "$KCTL" --kubeconfig "$PK" get clusters
cat "$PD/out.log" "$PD/err.log" | holds -E '^NAME |^No resources found' || fail "get clusters through the proxy printed neither a table nor 'No resources found'"
row "none (pass-through)" '`get clusters`' "exit 0 in ${ELAPSED_MS} ms"

step "reset: the first 2 connections reset before TLS; every verb is retried (nothing was sent)"
proxy_start reset --mode reset --count 2
run_case "get clusters (reset x2)" ok "$KCTL" --kubeconfig "$PK" get clusters
[[ $FAULTS -eq 2 ]] || fail "expected 2 resets, got $FAULTS"
row "connection reset (RST) at accept, first 2 connections" '`get clusters`' "exit 0 in ${ELAPSED_MS} ms after 2 retries"
proxy_start reset-post --mode reset --count 2
tokens_before=$(checks tokens "$KC" | wc -l)
run_case "token create (reset x2)" ok "$KCTL" --kubeconfig "$PK" token create --description e2e-faults
[[ $FAULTS -eq 2 ]] || fail "expected 2 resets, got $FAULTS"
[[ $(checks tokens "$KC" | wc -l) -eq $((tokens_before + 1)) ]] || fail "token create through resets did not make exactly one token"
row "connection reset (RST) at accept, first 2 connections" '`token create` (POST)' "exit 0 in ${ELAPSED_MS} ms; exactly 1 token created"

step "reset-request: a request read, then its connection reset; a GET is retried, a POST is not"
proxy_start reset-request --mode reset-request --count 1
run_case "get clusters (reset-request x1)" ok "$KCTL" --kubeconfig "$PK" get clusters
[[ $FAULTS -eq 1 ]] || fail "expected 1 reset, got $FAULTS"
row "connection reset after the request was read, once" '`get clusters`' "exit 0 in ${ELAPSED_MS} ms (GET retried)"
proxy_start reset-request-post --mode reset-request --count 1 --path /api/v1/namespaces/kube-system/secrets
tokens_before=$(checks tokens "$KC" | wc -l)
run_case "token create (reset-request x1)" fail "$KCTL" --kubeconfig "$PK" token create --description e2e-faults
grep -q "not retried: the POST may have reached the server" "$PD/err.log" || { cat "$PD/err.log"; fail "the POST failure does not say it was not retried"; }
[[ $(checks tokens "$KC" | wc -l) -eq $tokens_before ]] || fail "a token was created although the proxy never forwarded the request"
row "connection reset after the request was read, once" '`token create` (POST)' "exit 1 in ${ELAPSED_MS} ms, not retried: \`$(first_error)\`"

step "stall: a slow answer within --request-timeout succeeds; a stall forever fails in time"
proxy_start stall2 --mode stall --stall-seconds 2 --count 1
run_case "get clusters (stall 2s)" ok "$KCTL" --kubeconfig "$PK" --request-timeout 10s get clusters
[[ $ELAPSED_MS -ge 2000 ]] || fail "the stall did not happen"
row "first request answered after 2 s" '`get clusters --request-timeout 10s`' "exit 0 in ${ELAPSED_MS} ms"
proxy_start stall-forever --mode stall --count 0
run_case "get clusters (stall forever)" fail "$KCTL" --kubeconfig "$PK" --request-timeout 3s get clusters
grep -q "no complete answer within 3s (--request-timeout)" "$PD/err.log" || { cat "$PD/err.log"; fail "no timeout message"; }
[[ $ELAPSED_MS -lt 6000 ]] || fail "the stalled command took ${ELAPSED_MS} ms with --request-timeout 3s"
row "every request stalled" '`get clusters --request-timeout 3s`' "exit 1 in ${ELAPSED_MS} ms: \`$(first_error)\`"

step "join member3 with Karmada's Secrets stalled: fails naming the step, the steps done and how to continue"
proxy_start stall-join --mode stall --count 0 --path /api/v1/namespaces/karmada-cluster/secrets
run_case "join member3 (secrets stalled)" fail "$KCTL" --kubeconfig "$PK" --request-timeout 3s join member3 --cluster-kubeconfig "$M3"
cat "$PD/err.log"
grep -q 'step "secrets" failed: .*no complete answer within 3s (--request-timeout)' "$PD/err.log" || fail "the failure does not name the step and the timeout"
grep -q "completed steps: member" "$PD/err.log" || fail "the failure does not list the steps done"
grep -q "to continue: run the same join again" "$PD/err.log" || fail "the failure does not say how to continue"
row "Karmada's Secrets API stalled" '`join member3 --request-timeout 3s`' "exit 1 in ${ELAPSED_MS} ms: \`step \"secrets\" failed: ... no complete answer within 3s\`, \`completed steps: member\`, \`to continue: run the same join again\`"
proxy_stop
inns "$KCTL" --kubeconfig "$KC" join member3 --cluster-kubeconfig "$M3" >"$OUT/join-resume.log" 2>&1 ||
  { cat "$OUT/join-resume.log"; fail "the join to resume failed"; }
grep -Eq '^\[member\] .* created$' "$OUT/join-resume.log" && { cat "$OUT/join-resume.log"; fail "the resumed join created member objects again"; }
row "(resume) the same join without the fault" '`join member3`' "exit 0; member step: nothing created again; then unjoined"
step "status 429 / 503 with Retry-After: 1 are waited out"
proxy_start status429 --mode status --status 429 --count 3
run_case "label (429 x3)" ok "$KCTL" --kubeconfig "$PK" label cluster member3 e2e-faults=yes
[[ $FAULTS -eq 3 ]] || fail "expected 3 answers 429, got $FAULTS"
[[ $ELAPSED_MS -ge 2900 ]] || fail "Retry-After: 1 was not honoured (3 retries in ${ELAPSED_MS} ms)"
[[ $(inns "$KCTL" --kubeconfig "$KC" get cluster member3 -o jsonpath='{.metadata.labels.e2e-faults}') == yes ]] || fail "label not set"
inns "$KCTL" --kubeconfig "$KC" label cluster member3 e2e-faults- >/dev/null || fail "label removal"
row "429 + Retry-After: 1, first 3 requests" '`label cluster member3`' "exit 0 in ${ELAPSED_MS} ms (3 waits of 1 s)"
proxy_start status503 --mode status --status 503 --count 2 --path /api/v1/namespaces/kube-system/secrets
tokens_before=$(checks tokens "$KC" | wc -l)
run_case "token create (503 x2)" ok "$KCTL" --kubeconfig "$PK" token create --description e2e-faults
[[ $FAULTS -eq 2 ]] || fail "expected 2 answers 503, got $FAULTS"
[[ $(checks tokens "$KC" | wc -l) -eq $((tokens_before + 1)) ]] || fail "token create through 503s did not make exactly one token"
row "503 + Retry-After: 1 on the token POST, twice" '`token create` (POST)' "exit 0 in ${ELAPSED_MS} ms; exactly 1 token created"
proxy_start status429-forever --mode status --status 429 --count 0
run_case "get clusters (429 forever)" fail "$KCTL" --kubeconfig "$PK" get clusters
grep -q "try again later" "$PD/err.log" || { cat "$PD/err.log"; fail "the message is not the server's 429 message"; }
[[ $FAULTS -ge 5 ]] || fail "expected 5 attempts, got $FAULTS"
row "429 on every request" '`get clusters`' "exit 1 in ${ELAPSED_MS} ms after 5 attempts: \`$(first_error)\`"

inns "$KCTL" unjoin member3 --cluster-kubeconfig "$M3" --kubeconfig "$KC" >"$OUT/unjoin.log" 2>&1 ||
  { cat "$OUT/unjoin.log"; fail "unjoin failed"; }

cat "$TABLE"
echo "PASS in $(( $(date +%s) - started ))s"
