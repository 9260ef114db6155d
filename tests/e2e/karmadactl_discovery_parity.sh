#!/usr/bin/env bash
# Parity of api-versions and api-resources (issue 22): ours and upstream karmadactl v1.18.2 on the
# same shared environment (CTest fixture karmada_ours), for Karmada and for member1 through
# Karmada's proxy, with each filter and output form. Every differing line is reported. Known
# difference, not a deliberate one: -o yaml indents lists inside maps by two spaces (our YAML
# writer's layout, the same data; compared parsed). Joins member1 first when it is not joined.
# Usage: karmadactl_discovery_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test discovery-parity
UPSTREAM=$BIN/karmadactl
e2e_need_joined member1


step "api-versions and api-resources of Karmada"
parity_compare versions api-versions
parity_compare resources api-resources
parity_compare resources-wide api-resources -o wide
parity_compare resources-name api-resources -o name
parity_compare cluster-scoped-by-kind api-resources --namespaced=false --sort-by=kind
parity_compare karmada-group api-resources --api-group=cluster.karmada.io --no-headers
parity_compare core-group api-resources --api-group= --sort-by=name
parity_compare list-watch api-resources --verbs=list,watch -o name
parity_compare categories api-resources --categories=all
parity_compare json api-resources -o json
parity_compare group-json api-resources --api-group=cluster.karmada.io -o json --sort-by=kind

# -o yaml: the same data.
inns "$KCTL" api-resources -o yaml --kubeconfig "$KC" >"$OUT/yaml.ours" || fail "api-resources -o yaml"
inns "$UPSTREAM" api-resources -o yaml --kubeconfig "$KC" >"$OUT/yaml.upstream" || fail "upstream -o yaml"
python3 -c 'import sys, yaml; a, b = (yaml.safe_load(open(f)) for f in sys.argv[1:]); sys.exit(a != b)' \
  "$OUT/yaml.ours" "$OUT/yaml.upstream" || { echo "DIFF yaml: the parsed documents differ"; failed=1; }

step "api-versions and api-resources of member1 through Karmada's proxy"
parity_compare member-versions api-versions --operation-scope members --cluster member1
parity_compare member-resources api-resources --operation-scope members --cluster member1
parity_compare member-wide api-resources -s members --cluster member1 -o wide --namespaced=true
parity_compare member-json api-resources -s members --cluster member1 -o json --verbs=watch

# Ours refuses a scope without its cluster before anything is contacted (exit 2).
rc=0; inns "$KCTL" api-resources -s members --kubeconfig "$KC" >/dev/null 2>"$OUT/no-cluster.err" || rc=$?
[[ $rc == 2 ]] && holds -- "--cluster NAME" <"$OUT/no-cluster.err" || fail "-s members without --cluster: exit $rc"

((failed == 0)) || fail "api-versions/api-resources differ from upstream"
echo "PASS"
