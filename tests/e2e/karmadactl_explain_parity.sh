#!/usr/bin/env bash
# Parity of explain (issue 22): ours and upstream karmadactl v1.18.2 on the same shared environment
# (CTest fixture karmada_ours), for Karmada's API server and for member1 through Karmada's proxy:
# whole types, field paths (through $ref, arrays and allOf), --recursive, --api-version, and the
# errors (stdout, stderr and exit code compared). Every differing line is reported.
# Deliberate differences (ours better or by project rule):
# - Usage errors (no TYPE, more than one argument, -s members without --cluster) exit 2 before
#   anything is contacted, every problem listed (upstream exits 1 after building its clients).
# - What the server's documents hold is printed with control characters escaped as kubectl's
#   printers escape them (ESC, CR); upstream's explain writes them raw. Real schemas hold none.
# - A cluster --cluster names that Karmada does not know is said as "cluster(NAME) is not registered
#   in Karmada" (the member scope shared with describe and api-resources); upstream shows the
#   server's NotFound for the Cluster.
# Usage: karmadactl_explain_parity.sh /path/to/our/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test explain-parity
UPSTREAM=$BIN/karmadactl
e2e_need_joined member1

export PARITY_STDERR=1
step "explain on Karmada's API server"
parity_compare clusters explain clusters
parity_compare pp-field explain propagationpolicies.spec.placement.replicaScheduling
parity_compare pp-recursive explain pp --recursive
parity_compare deployment-containers explain deployments.apps.spec.template.spec.containers
parity_compare rb-v1alpha2 explain resourcebindings --api-version=work.karmada.io/v1alpha2
parity_compare works explain works
parity_compare works-recursive-field explain works.spec --recursive
parity_compare crd-schema explain customresourcedefinitions.spec.versions.schema.openAPIV3Schema
parity_compare crd-schema-recursive explain crd.spec.versions.schema --recursive
parity_compare cpp-enum explain clusterpropagationpolicies.spec.conflictResolution
parity_compare unknown-field explain clusters.spec.nope
parity_compare unknown-type explain nosuchtype
parity_compare unknown-version explain deployments --api-version=apps/v9
parity_compare unknown-format explain pods -o foo

step "explain on member1 through Karmada's proxy"
parity_compare member-pods explain pods -s members --cluster member1
parity_compare member-nodes-status explain nodes.status --recursive -s members --cluster member1
parity_compare member-pod-containers explain pods.spec.containers.resources -s members --cluster member1

step "explain -o plaintext-openapiv2 (kubectl's OpenAPI v2 printers)"
parity_compare v2-clusters explain clusters -o plaintext-openapiv2
parity_compare v2-taints explain clusters.spec.taints -o plaintext-openapiv2
parity_compare v2-pp-recursive explain pp --recursive -o plaintext-openapiv2
parity_compare v2-rb-v1alpha2 explain rb.spec --api-version=work.karmada.io/v1alpha2 -o plaintext-openapiv2
parity_compare v2-unknown-field explain clusters.spec.nope -o plaintext-openapiv2
parity_compare v2-member-nodes-status explain nodes.status --recursive -o plaintext-openapiv2 -s members --cluster member1
parity_compare v2-member-managed-fields explain pods.metadata.managedFields -o plaintext-openapiv2 -s members --cluster member1

# Ours refuses a member scope without its cluster before anything is contacted (exit 2).
rc=0; inns "$KCTL" explain pods -s members --kubeconfig "$KC" >/dev/null 2>"$OUT/no-cluster.err" || rc=$?
[[ $rc == 2 ]] && holds -- "--cluster NAME" <"$OUT/no-cluster.err" || fail "-s members without --cluster: exit $rc"

((failed == 0)) || fail "explain differs from upstream"
echo "PASS"
