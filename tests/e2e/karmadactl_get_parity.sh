#!/usr/bin/env bash
# Parity of get: ours and upstream karmadactl v1.18.2 on the same objects of the shared environment
# (CTest fixture karmada_ours): Karmada's Clusters, a namespace's Deployments and ConfigMaps (one
# table per resource type when several are asked for), names, selectors, label columns, every
# output format, errors, and member1 through Karmada's proxy under the members and all scopes.
# Every differing line of stdout and stderr and every differing exit code is reported.
# Compared as the two tools print them, except: ages (and other durations) are written AGE, and the
# gaps between table columns are squeezed to two spaces, since a column's width follows its ages
# and the tools run a second apart (the custom-columns cases, without ages, are compared exactly,
# layout included); -o yaml is compared parsed (our YAML writer indents lists inside maps by two
# spaces: the same data, another layout). Deliberate differences (ours better):
# - with --no-headers, ours puts no blank line between two resource types' rows (as kubectl; upstream
#   does): compared with blank lines left out, and ours checked to have none;
# - other formats than tables print what every target gave as one output (one List for -o json,
#   one custom-columns table), where upstream prints one per target (two JSON documents in a row);
# - a name that is missing does not hide the objects found (upstream prints only the error), and
#   a missing object under -o json|yaml|name exits 1 with its error (upstream exits 0, silent);
# - an unknown type among several does not hide the others' objects;
# - upstream drops the ADOPTION column of every table printed after a table of pods (it marks the
#   column hidden for pods globally); ours hides it for pods only;
# - ours has --sort-by (upstream has none), and warns when -C is given under the karmada scope.
# Usage: karmadactl_get_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test get-parity
UPSTREAM=$BIN/karmadactl
e2e_need_joined member1
NS=get-parity

step "objects to get: a namespace with config maps and deployments, one propagated to member1"
cat >"$OUT/objects.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $NS}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: $NS, labels: {app: web}}
data: {port: "8080"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other-config, namespace: $NS, labels: {app: other, tier: back}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS, labels: {app: web, tier: front}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: $NS, labels: {app: api}}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: busybox}, {name: sidecar, image: nginx:1.25}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: $NS}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
YAML
inns "$KCTL" apply -f "$OUT/objects.yaml" --kubeconfig "$KC" >/dev/null || fail "apply the objects"
# The Deployment is in member1 (with its ReplicaSet and pods) before the comparison.
for _ in $(seq 60); do
  inns "$BIN/harness" get --kubeconfig "$K/member1.kubeconfig" --resource deployments.v1.apps -n $NS \
    --name web --field metadata.name >/dev/null 2>&1 && break
  sleep 1
done

PARITY_STDERR=1
without_ages() {
  sed -E 's/(^|[ (])[0-9]+(s|m|h|d|y)([0-9]+(s|m|h|d))?($|[ )])/\1AGE\5/g; s/   +/  /g' "$1"
}
parity_normalize() { without_ages "$1"; }

step "get in Karmada"
parity_compare clusters get clusters
parity_compare clusters-wide get clusters -o wide
parity_compare cluster-by-name get cluster member1
parity_compare deployments get deployments -n $NS
parity_compare deployments-wide get deploy -n $NS -o wide
parity_compare two-types get deploy,cm -n $NS
parity_compare two-types-reversed get configmaps,deployments.apps -n $NS
parity_normalize() { without_ages "$1" | grep -v '^$'; }
parity_compare two-types-no-headers get cm,deploy -n $NS --no-headers
holds -x '' <"$OUT/two-types-no-headers.ours" && { echo "DIFF two-types-no-headers: ours has a blank line"; failed=1; }
parity_normalize() { without_ages "$1"; }
parity_compare two-types-names get deploy,cm -n $NS -o name
parity_compare by-slash get deploy/web cm/web-config -n $NS
parity_compare show-labels get deploy -n $NS --show-labels
parity_compare label-columns get cm -n $NS -L app -L tier
parity_compare selector get cm -l app=web -n $NS
parity_compare selector-none get cm -l app=none -n $NS
parity_compare missing get deploy nope -n $NS
parity_compare missing-ignored get deploy nope -n $NS --ignore-not-found
parity_compare jsonpath get deploy web -n $NS -o 'jsonpath={.spec.replicas} {.metadata.name}'
parity_compare go-template get cm -n $NS -o 'go-template={{range .items}}{{.metadata.name}} {{end}}'
parity_compare json get deploy web -n $NS -o json
parity_compare names get cm -n $NS -o name
parity_compare no-type get no-such-type

step "get in member1 through Karmada's proxy"
parity_compare member-deployments get deploy -n $NS -s members -C member1
parity_compare member-pods get pods -n $NS -s members -C member1
parity_compare member-two-types get deploy,rs -n $NS -s members -C member1
parity_compare all-scopes get deploy -n $NS -s all -C member1
parity_compare member-namespaces get ns default kube-system -s members -C member1
parity_compare member-missing get deploy nope -n $NS -s members -C member1
parity_compare member-json get deploy web -n $NS -s members -C member1 -o json

step "custom columns, compared exactly (no ages)"
parity_normalize() { cat "$1"; }
parity_compare custom-columns get deploy,cm -n $NS -o 'custom-columns=NAME:.metadata.name,KIND:.kind,REPLICAS:.spec.replicas'
parity_compare member-custom-columns get deploy -n $NS -s members -C member1 -o 'custom-columns=NAME:.metadata.name,NS:.metadata.namespace'

step "-o yaml, compared parsed"
inns "$KCTL" get deploy web -n $NS -o yaml --kubeconfig "$KC" >"$OUT/yaml.ours" || fail "get -o yaml (ours)"
inns "$UPSTREAM" get deploy web -n $NS -o yaml --kubeconfig "$KC" >"$OUT/yaml.upstream" || fail "get -o yaml (upstream)"
python3 -c 'import sys, yaml; a, b = (yaml.safe_load(open(p)) for p in sys.argv[1:]); sys.exit(a != b)' \
  "$OUT/yaml.ours" "$OUT/yaml.upstream" || { echo "DIFF yaml: the parsed documents differ"; failed=1; }

((failed == 0)) || fail "get differs from upstream"
echo "PASS"
