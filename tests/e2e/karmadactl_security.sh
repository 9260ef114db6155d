#!/usr/bin/env bash
# Security end to end (issue 15) on the shared environment (CTest fixture karmada_ours; needs member1
# joined, and joins it when it is not):
#   1. a server presenting a certificate from another CA is refused by every kind of command (a
#      kubeconfig whose certificate-authority-data is an unrelated CA), non-zero exit, nothing created;
#   2. register against a Karmada whose kube-public/cluster-info is forged (its JWS signature altered,
#      or its kubeconfig altered after signing) is refused, nothing created; cluster-info is restored.
#      (A wrong --discovery-token-ca-cert-hash is karmadactl_register.sh's "a wrong CA hash" step.)
#   3. no bootstrap-token secret, bearer token, basic-auth password, service-account token or private
#      key (PEM, client-key-data, base64) appears in the output of any command at -v 10 (stderr only
#      for token create/list, which print tokens on stdout by design);
#   4. every private key and kubeconfig init wrote is 0600, no directory is world-writable, no
#      temporary file is left (register and join write no local files).
# Restores what it changes: cluster-info, Karmada's kube-controller-manager, labels, its tokens.
# Usage: karmadactl_security.sh /path/to/karmadactl   (E2E_SHARED_NAME selects the environment)
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test security
e2e_need_joined member1
HOSTK=$K/host.kubeconfig
M1=$K/member1.kubeconfig
started=$(date +%s)

raw() { inns python3 "$ROOT/tests/e2e/kube_raw.py" "$@"; }
objects() { inns python3 "$ROOT/tests/e2e/objects.py" "$@"; }
k() { inns "$KCTL" --kubeconfig "$KC" "$@"; }
CI_PATH=/api/v1/namespaces/kube-public/configmaps/cluster-info
KCM_PATH=/apis/apps/v1/namespaces/karmada-system/deployments/kube-controller-manager
TOKEN_IDS=()
KCM_SCALED=0

cleanup() {
  local rc=$?
  if [[ -f $OUT/cluster-info.orig.json ]]; then
    jq 'del(.metadata.resourceVersion)' "$OUT/cluster-info.orig.json" >"$OUT/cluster-info.restore.json"
    raw "$KC" put "$CI_PATH" "$OUT/cluster-info.restore.json" >/dev/null || echo "WARNING: cluster-info not restored"
  fi
  if [[ $KCM_SCALED == 1 ]]; then
    raw "$HOSTK" patch "$KCM_PATH" '{"spec":{"replicas":1}}' >/dev/null || echo "WARNING: kube-controller-manager not scaled back"
    inns "$BIN/harness" wait-condition --kubeconfig "$HOSTK" --resource deployments.v1.apps -n karmada-system \
      --name kube-controller-manager --condition Available --timeout 180s || echo "WARNING: kube-controller-manager not Available"
  fi
  inns "$KCTL" label clusters member1 security-e2e- --kubeconfig "$KC" >/dev/null 2>&1 || true
  local id
  for id in "${TOKEN_IDS[@]}"; do
    inns "$KCTL" token delete "$id" --kubeconfig "$KC" >/dev/null 2>&1 || true
  done
  exit $rc
}
trap cleanup EXIT

# The objects register or join could leave, read straight from the API servers.
footprint() {
  {
    objects "$KC" certificates.k8s.io/v1/certificatesigningrequests cluster.karmada.io/v1alpha1/clusters \
      rbac.authorization.k8s.io/v1/clusterroles rbac.authorization.k8s.io/v1/clusterrolebindings /v1/namespaces
    objects "$KC" /v1/secrets | grep -v ' kube-system/bootstrap-token-'
    objects "$M3" /v1/namespaces /v1/secrets /v1/serviceaccounts apps/v1/deployments \
      rbac.authorization.k8s.io/v1/clusterroles rbac.authorization.k8s.io/v1/clusterrolebindings | sed 's/^/member3 /'
  } | grep -v '/kube-root-ca.crt$' || true
}
assert_nothing_created() { # assert_nothing_created WHAT: the footprint is the one saved in $OUT/footprint.before
  footprint >"$OUT/footprint.after"
  diff "$OUT/footprint.before" "$OUT/footprint.after" >&2 && echo "$1: nothing created" ||
    fail "$1: objects changed (diff above)"
}
# refused WHAT PATTERN LOG CMD...: CMD must fail (exit 1, not a crash) and its output match PATTERN.
refused() {
  local what=$1 pattern=$2 log=$3 rc=0
  shift 3
  "$@" >"$log" 2>&1 || rc=$?
  [[ $rc -eq 1 ]] || { cat "$log"; fail "$what: exit $rc, want 1"; }
  grep -Eiq "$pattern" "$log" || { cat "$log"; fail "$what: no message matching /$pattern/"; }
  echo "$what: refused: $(grep -Ei "$pattern" "$log" | head -1 | cut -c1-200)"
}

step "a token for register, and the register line token create prints"
line=$(k token create --print-register-command --description security-e2e) || fail "token create"
read -r -a reg <<<"$line"
ENDPOINT=${reg[2]} TOKEN=${reg[4]} HASH=${reg[6]}
TID=${TOKEN%%.*}
TOKEN_IDS+=("$TID")
footprint >"$OUT/footprint.before"

# ---------------------------------------------------------------------------------------------
step "1. a server presenting a certificate from another CA is refused"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/other-ca.key" -out "$OUT/other-ca.crt" -days 1 \
  -subj /CN=unrelated-ca >/dev/null 2>&1 || fail "openssl: cannot make a CA"
other_ca() { # other_ca SRC DST: SRC with every cluster's CA replaced by the unrelated one
  python3 - "$1" "$2" "$OUT/other-ca.crt" <<'EOF'
import base64, sys, yaml
src, dst, ca = sys.argv[1:]
config = yaml.safe_load(open(src))
data = base64.b64encode(open(ca, "rb").read()).decode()
for c in config["clusters"]:
    c["cluster"].pop("certificate-authority", None)
    c["cluster"]["certificate-authority-data"] = data
with open(dst, "w") as f:
    yaml.safe_dump(config, f)
EOF
}
for c in host member1 member3; do other_ca "$K/$c.kubeconfig" "$OUT/$c.other-ca.kubeconfig"; done
other_ca "$KC" "$OUT/karmada.other-ca.kubeconfig"
chmod 600 "$OUT"/*.kubeconfig
BADKC=$OUT/karmada.other-ca.kubeconfig
TLS_MSG='certificate (verify|problem)|unable to get local issuer|self.signed|not trusted|verif'
refused "get clusters" "$TLS_MSG" "$OUT/ca-get.log" inns "$KCTL" get clusters --kubeconfig "$BADKC"
refused "token create" "$TLS_MSG" "$OUT/ca-token.log" inns "$KCTL" token create --kubeconfig "$BADKC"
refused "token list" "$TLS_MSG" "$OUT/ca-token-list.log" inns "$KCTL" token list --kubeconfig "$BADKC"
refused "join --dry-run (Karmada)" "$TLS_MSG" "$OUT/ca-join-dry.log" \
  inns "$KCTL" join member3 --kubeconfig "$BADKC" --cluster-kubeconfig "$M3" --dry-run
refused "join (member)" "$TLS_MSG" "$OUT/ca-join.log" \
  inns "$KCTL" join member3 --kubeconfig "$KC" --cluster-kubeconfig "$OUT/member3.other-ca.kubeconfig"
refused "register (member)" "$TLS_MSG" "$OUT/ca-register.log" \
  inns "$KCTL" register "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$HASH" \
  --kubeconfig "$OUT/member3.other-ca.kubeconfig"
refused "init --dry-run (host)" "$TLS_MSG" "$OUT/ca-init.log" \
  inns "$KCTL" init --dry-run --kubeconfig "$OUT/host.other-ca.kubeconfig" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
  --karmada-data "$OUT/init-data" --karmada-pki "$OUT/init-data/pki" --etcd-data "$OUT/init-etcd"
refused "label" "$TLS_MSG" "$OUT/ca-label.log" inns "$KCTL" label clusters member1 security-e2e=yes --kubeconfig "$BADKC"
refused "apply" "$TLS_MSG" "$OUT/ca-apply.log" \
  inns "$KCTL" apply -f "$ROOT/tests/e2e/security/configmap.yaml" --kubeconfig "$BADKC"
[[ ! -e $OUT/init-data ]] || fail "init --dry-run against a server from another CA wrote $OUT/init-data"
assert_nothing_created "another CA"

# ---------------------------------------------------------------------------------------------
step "2. register against a forged kube-public/cluster-info is refused, nothing created"
# Karmada's kube-controller-manager runs the bootstrapsigner, which would re-sign a forged document
# at once: it is stopped while cluster-info is forged, and started again afterwards.
for _ in $(seq 60); do
  raw "$KC" get "$CI_PATH" >"$OUT/cluster-info.orig.json" || fail "cannot read cluster-info"
  jq -e --arg k "jws-kubeconfig-$TID" '.data[$k] != null' "$OUT/cluster-info.orig.json" >/dev/null && break
  sleep 1
done
jq -e --arg k "jws-kubeconfig-$TID" '.data[$k] != null' "$OUT/cluster-info.orig.json" >/dev/null ||
  fail "cluster-info was not signed for token $TID"
KCM_SCALED=1
raw "$HOSTK" patch "$KCM_PATH" '{"spec":{"replicas":0}}' >/dev/null || fail "cannot scale kube-controller-manager"
# Gone means no pod left, not even a terminating one (its process may still be signing).
kcm_pods() { raw "$HOSTK" get "/api/v1/namespaces/karmada-system/pods?labelSelector=app%3Dkube-controller-manager" | jq '.items | length'; }
for _ in $(seq 120); do
  [[ $(kcm_pods) == 0 ]] && break
  sleep 1
done
[[ $(kcm_pods) == 0 ]] || fail "kube-controller-manager did not stop"
forge() { # forge JQ-FILTER NAME: cluster-info with FILTER applied, written to the Karmada API server
  jq --arg k "jws-kubeconfig-$TID" "$1 | del(.metadata.resourceVersion)" "$OUT/cluster-info.orig.json" >"$OUT/$2.json"
  # The pod object can be gone a moment before its process: write until the forgery stays.
  local _
  for _ in $(seq 10); do
    raw "$KC" put "$CI_PATH" "$OUT/$2.json" >/dev/null || fail "cannot write the forged cluster-info"
    sleep 2
    [[ $(raw "$KC" get "$CI_PATH" | jq -c .data) == "$(jq -c .data "$OUT/$2.json")" ]] && return 0
  done
  fail "the forged cluster-info did not stay (is something re-signing it?)"
}
# The signature's first character changed: a well-formed JWS that does not verify.
forge '.data[$k] |= (split("..") | .[0] + ".." + (if .[1][0:1] == "A" then "B" else "A" end) + .[1][1:])' forged-signature
refused "forged signature" "signature of kube-public/cluster-info .* does not match" "$OUT/forged-signature.log" \
  inns "$KCTL" register "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" \
  --discovery-timeout 20s
grep -q "${TOKEN#*.}" "$OUT/forged-signature.log" && fail "the token's secret was printed"
assert_nothing_created "forged signature"
# The kubeconfig altered after signing (another server; the CA kept, so the CA pin still matches).
forge '.data.kubeconfig |= sub("server: [^\n]*"; "server: https://10.200.0.250:32443")' forged-kubeconfig
refused "kubeconfig altered after signing" "signature of kube-public/cluster-info .* does not match" \
  "$OUT/forged-kubeconfig.log" inns "$KCTL" register "$ENDPOINT" --token "$TOKEN" \
  --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" --discovery-timeout 20s
assert_nothing_created "kubeconfig altered after signing"
refused "kubeconfig altered, --dry-run" "signature of kube-public/cluster-info .* does not match" \
  "$OUT/forged-kubeconfig-dry.log" inns "$KCTL" register "$ENDPOINT" --token "$TOKEN" \
  --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" --discovery-timeout 20s --dry-run
echo "(a wrong --discovery-token-ca-cert-hash: karmadactl_register.sh, step \"a wrong CA hash is refused\")"

step "restore cluster-info and kube-controller-manager"
jq 'del(.metadata.resourceVersion)' "$OUT/cluster-info.orig.json" >"$OUT/cluster-info.restore.json"
raw "$KC" put "$CI_PATH" "$OUT/cluster-info.restore.json" >/dev/null || fail "cannot restore cluster-info"
rm "$OUT/cluster-info.orig.json"
raw "$HOSTK" patch "$KCM_PATH" '{"spec":{"replicas":1}}' >/dev/null || fail "cannot scale kube-controller-manager back"
inns "$BIN/harness" wait-condition --kubeconfig "$HOSTK" --resource deployments.v1.apps -n karmada-system \
  --name kube-controller-manager --condition Available --timeout 180s || fail "kube-controller-manager not Available"
KCM_SCALED=0
inns "$KCTL" register "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" \
  --dry-run >"$OUT/restored-dry.log" 2>&1 || { cat "$OUT/restored-dry.log"; fail "register --dry-run after the restore"; }
echo "register --dry-run verifies cluster-info again"

# ---------------------------------------------------------------------------------------------
step "3. no secret in any output at -v 10"
# Kubeconfigs with a bearer token (the bootstrap token: it authenticates) and with basic auth.
BEARER_TOKEN=$(k token create --description security-e2e-bearer) || fail "token create"
TOKEN_IDS+=("${BEARER_TOKEN%%.*}")
PASSWORD=security-e2e-password-$RANDOM$RANDOM$RANDOM
python3 - "$KC" "$OUT" "$BEARER_TOKEN" "$PASSWORD" <<'EOF'
import sys, yaml
src, out, token, password = sys.argv[1:]
for name, user in (("bearer", {"token": token}), ("basic", {"username": "security-e2e", "password": password})):
    config = yaml.safe_load(open(src))
    for u in config["users"]:
        u["user"] = dict(user)
    with open(f"{out}/{name}.kubeconfig", "w") as f:
        yaml.safe_dump(config, f)
EOF
chmod 600 "$OUT"/*.kubeconfig
SECRET_FILE=$ROOT/tests/e2e/security/secret.yaml
CM_FILE=$ROOT/tests/e2e/security/configmap.yaml
V=(-v 10)
n=0
# run MODE CMD...: MODE "all" checks stdout and stderr, "stderr" only stderr; "ok" or "fail" is the
# expected outcome (MODE is "all,ok", "stderr,ok", "all,fail").
run() {
  local mode=$1 rc=0
  shift
  n=$((n + 1))
  printf '%s\n' "$*" >"$OUT/v10-$n.cmd"
  inns "$KCTL" "$@" >"$OUT/v10-$n.out" 2>"$OUT/v10-$n.err" || rc=$?
  if [[ $mode == *,ok && $rc -ne 0 ]]; then
    tail -5 "$OUT/v10-$n.err"; fail "failed (rc=$rc): karmadactl $*"
  fi
  if [[ $mode == *,fail && $rc -ne 1 ]]; then
    tail -5 "$OUT/v10-$n.err"; fail "exit $rc, want 1: karmadactl $*"
  fi
  echo "${mode%,*}" >"$OUT/v10-$n.mode"
  return 0
}
run all,ok version "${V[@]}"
run all,ok options "${V[@]}"
run all,ok completion bash "${V[@]}"
run all,ok config images list "${V[@]}"
run all,ok get clusters "${V[@]}" --kubeconfig "$KC"
run all,ok get clusters -v=10 --kubeconfig "$KC" -o yaml
run all,ok get clusters --v=10 --kubeconfig "$KC" -o wide
run all,ok get secrets -A "${V[@]}" --kubeconfig "$KC"
run all,ok get secrets -A "${V[@]}" --kubeconfig "$KC" --operation-scope members -C member1
run all,ok get pods -A "${V[@]}" --kubeconfig "$KC" --operation-scope all
run stderr,ok token create "${V[@]}" --kubeconfig "$KC" --description security-e2e-v10
TOKEN_IDS+=("$(cut -d. -f1 "$OUT/v10-$n.out")")
run stderr,ok token create --print-register-command -v=10 --kubeconfig "$KC" --description security-e2e-v10
TOKEN_IDS+=("$(awk '{print $5}' "$OUT/v10-$n.out" | cut -d. -f1)")
run stderr,ok token list "${V[@]}" --kubeconfig "$KC"
run stderr,ok token list "${V[@]}" --kubeconfig "$KC" -o yaml
run all,ok token delete "${TOKEN_IDS[-1]}" "${V[@]}" --kubeconfig "$KC"
run all,ok register "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" \
  --dry-run "${V[@]}"
run all,ok register "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$HASH" --kubeconfig "$M3" \
  --dry-run -v=10
run all,ok unregister member3 --cluster-kubeconfig "$M3" --karmada-config "$KC" --dry-run "${V[@]}"
run all,ok join member1 --kubeconfig "$KC" --cluster-kubeconfig "$M1" --dry-run "${V[@]}"
run all,ok join member3 --kubeconfig "$KC" --cluster-kubeconfig "$M3" --dry-run -v=10
run all,ok unjoin member1 --kubeconfig "$KC" --cluster-kubeconfig "$M1" --dry-run "${V[@]}"
run all,ok label clusters member1 security-e2e=yes "${V[@]}" --kubeconfig "$KC"
run all,ok label clusters member1 security-e2e- "${V[@]}" --kubeconfig "$KC"
run all,ok annotate clusters member1 security-e2e=yes --dry-run=client "${V[@]}" --kubeconfig "$KC"
run all,ok taint clusters member1 security-e2e=yes:NoSchedule --dry-run "${V[@]}" --kubeconfig "$KC"
run all,ok cordon member1 --dry-run "${V[@]}" --kubeconfig "$KC"
run all,ok uncordon member1 --dry-run "${V[@]}" --kubeconfig "$KC"
run all,ok delete clusters member1 --dry-run=client "${V[@]}" --kubeconfig "$KC"
run all,ok apply -f "$CM_FILE" --dry-run=server "${V[@]}" --kubeconfig "$KC"
run all,ok apply -f "$SECRET_FILE" --dry-run=server "${V[@]}" --kubeconfig "$KC"
run all,ok apply -f "$SECRET_FILE" --dry-run=server -C member1 "${V[@]}" --kubeconfig "$KC"
run all,ok init --dry-run "${V[@]}" --kubeconfig "$HOSTK" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
  --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data"
run all,ok init --dry-run -o yaml -v=10 --kubeconfig "$HOSTK" --crds "$ROOT/_output/fixtures/crds.tar.gz" \
  --karmada-data "$KD" --karmada-pki "$KD/pki" --etcd-data "$E2E_WORK/etcd-data"
run all,ok deinit --dry-run --force "${V[@]}" --kubeconfig "$HOSTK"
run all,fail get clusters "${V[@]}" --kubeconfig "$OUT/bearer.kubeconfig"
run all,fail token list -v=10 --kubeconfig "$OUT/bearer.kubeconfig"
run all,fail get clusters "${V[@]}" --kubeconfig "$OUT/basic.kubeconfig"
run all,fail label clusters member1 security-e2e=yes -v=10 --kubeconfig "$OUT/basic.kubeconfig"
echo "$n commands run at -v 10"

# The trace was on: requests, headers (credentials masked) and bodies were logged.
grep -l "Request Headers:" "$OUT"/v10-*.err | wc -l | holds -v '^0$' || fail "no request headers logged at -v 10"
grep -q "Response Body: {" "$OUT"/v10-5.err || fail "get clusters -v 10 logged no response body"
grep -q "Authorization: Bearer <masked>" "$OUT"/v10-*.err || fail "the bearer token is not shown masked"
grep -q "Authorization: Basic <masked>" "$OUT"/v10-*.err || fail "the basic-auth header is not shown masked"
grep -q "Response Body: <redacted>" "$OUT"/v10-*.err || fail "no Secret body shown as redacted"

# Every secret there is, read straight from the servers and the files: bootstrap-token secrets,
# service-account tokens, every private key (PEM body lines, base64 of the PEM), every kubeconfig's
# client-key-data and token, the basic-auth password, the Secret the test applied.
{
  for c in "$KC" "$HOSTK" "$M1" "$K/member2.kubeconfig" "$M3"; do inns python3 - "$c" "$ROOT/tests/e2e" <<'EOF'
import base64, sys, yaml
sys.path.insert(0, sys.argv[2])
from kube_raw import request
from objects import client
server, tls = client(sys.argv[1])
def pem_needles(text):
    for block in text.split("-----BEGIN ")[1:]:
        if "PRIVATE KEY-----" in block.split("\n", 1)[0]:
            for line in block.split("\n")[1:]:
                if len(line) == 64:
                    yield line
def value_needles(value):
    yield value
    if len(value) > 100:
        yield value[60:120]
for item in request(server, tls, "GET", "/api/v1/secrets")["items"]:
    for key, b64 in (item.get("data") or {}).items():
        text = base64.b64decode(b64).decode(errors="replace")
        if item["type"] == "bootstrap.kubernetes.io/token" and key == "token-secret":
            print(text)
            print(b64)
        elif key == "token" or "PRIVATE KEY" in text:
            needles = list(value_needles(b64)) + list(pem_needles(text))
            if key == "token":
                needles.append(text)
            print("\n".join(needles))
        if "apiVersion: v1" in text and "clusters:" in text:  # a kubeconfig inside a Secret
            for user in (yaml.safe_load(text).get("users") or []):
                for field in ("client-key-data", "token", "password"):
                    if user.get("user", {}).get(field):
                        print("\n".join(value_needles(user["user"][field])))
EOF
  done
  for f in "$KD"/pki/*.key "$KD"/pki/*/*.key; do
    [[ -f $f ]] || continue
    grep -E '^.{64}$' "$f"
    base64 -w0 "$f" | cut -c61-120; echo
  done
  for f in "$K"/*.kubeconfig "$KC" "$KD"/*.config; do
    [[ -f $f ]] || continue
    python3 - "$f" <<'EOF'
import sys, yaml
for user in yaml.safe_load(open(sys.argv[1])).get("users") or []:
    for field in ("client-key-data", "token", "password"):
        value = (user.get("user") or {}).get(field)
        if value:
            print(value)
            if len(value) > 100:
                print(value[60:120])
EOF
  done
  echo "$PASSWORD"
  echo "${BEARER_TOKEN#*.}"
  echo "${TOKEN#*.}"
  grep -o 'security-e2e-secret-value-[a-z0-9]*' "$SECRET_FILE"
  echo "PRIVATE KEY"
} | awk 'length($0) >= 11' | sort -u >"$OUT/needles"
# A chunk cut from a private key's PEM can fall in its public half (an RSA key's PEM begins with the
# modulus, which its certificate carries too, and cluster-info publishes the CA certificate): a
# string also found in public certificate data (the certificate fields of every kubeconfig, the
# PKI's certificates as PEM and as base64) is not a secret, and is dropped.
{
  for f in "$K"/*.kubeconfig "$KC" "$KD"/*.config; do
    [[ -f $f ]] || continue
    python3 - "$f" <<'EOF'
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
for cluster in config.get("clusters") or []:
    print((cluster.get("cluster") or {}).get("certificate-authority-data", ""))
for user in config.get("users") or []:
    print((user.get("user") or {}).get("client-certificate-data", ""))
EOF
  done
  for f in "$KD"/pki/*.crt "$KD"/pki/*/*.crt; do
    [[ -f $f ]] || continue
    cat "$f"
    base64 -w0 "$f"; echo
  done
} >"$OUT/public"
python3 - "$OUT/needles" "$OUT/public" <<'EOF'
import sys
needles, public = open(sys.argv[1]).read().split("\n"), open(sys.argv[2]).read()
kept = [n for n in needles if n and n not in public]
open(sys.argv[1], "w").write("".join(n + "\n" for n in kept))
print(f"{len([n for n in needles if n]) - len(kept)} strings dropped: also in public certificate data")
EOF
echo "$(wc -l <"$OUT/needles") secret strings to look for"
[[ $(wc -l <"$OUT/needles") -gt 20 ]] || fail "too few secret strings found: $(cat "$OUT/needles" | wc -l)"
# Control: the look-up finds secrets where they are printed by design (a Secret shown -o yaml, a
# kubeconfig), so that "no hit" below means something.
k get secret "bootstrap-token-$TID" -n kube-system -o yaml | grep -F -q -f "$OUT/needles" ||
  fail "control: the bootstrap token Secret's data is not among the secret strings"
grep -F -q -f "$OUT/needles" "$KC" || fail "control: the Karmada kubeconfig's key is not among the secret strings"
grep -F -q -f "$OUT/needles" "$KD/pki/ca.key" || fail "control: ca.key is not among the secret strings"
leaks=0
for i in $(seq "$n"); do
  streams=("$OUT/v10-$i.err")
  [[ $(cat "$OUT/v10-$i.mode") == all ]] && streams+=("$OUT/v10-$i.out")
  if hits=$(cat "${streams[@]}" | grep -F -o -f "$OUT/needles" | sort -u | cut -c1-12); then
    echo "LEAK in karmadactl $(cat "$OUT/v10-$i.cmd"): $(tr '\n' ' ' <<<"$hits")" >&2
    leaks=$((leaks + 1))
  fi
done
[[ $leaks -eq 0 ]] || fail "$leaks commands printed a secret at -v 10"
echo "no secret in the output of $n commands at -v 10 ($(cat "$OUT"/v10-*.err | wc -l) log lines)"

# ---------------------------------------------------------------------------------------------
step "4. file modes of what init wrote"
find "$KD" -printf '%m %y %p\n' | sed "s|$KD|KD|" | sort -k3 >"$OUT/modes"
cat "$OUT/modes"
bad=$(find "$KD" \( -name '*.key' -o -name '*.config' -o -name '*kubeconfig*' \) -type f ! -perm 600)
[[ -z $bad ]] || fail "private keys or kubeconfigs not 0600: $bad"
[[ $(grep -cE '\.key$' "$OUT/modes") -ge 5 ]] || fail "fewer private keys than expected under $KD"
grep -qE '^600 f KD/karmada-apiserver.config$' "$OUT/modes" || fail "karmada-apiserver.config is not 0600"
bad=$(find "$KD" -perm -o+w ! -type l)
[[ -z $bad ]] || fail "world-writable: $bad"
bad=$(find "$KD" -name '.*.tmp*')
[[ -z $bad ]] || fail "temporary files left: $bad"
echo "every private key and kubeconfig is 0600; nothing world-writable; no temporary file"

echo "PASS in $(( $(date +%s) - started ))s"
