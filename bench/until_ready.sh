#!/usr/bin/env bash
# Runs one tool's command, then waits until a Cluster is Ready in Karmada, so that tools which stop
# at different points (upstream's register returns before the agent has reported; ours waits for
# Ready) are timed to the same end. The tool's own peak RSS goes to $KCTL_BENCH_RSS_FILE (the wait
# is not the tool's).
#   bench/until_ready.sh KARMADA_KUBECONFIG CLUSTER HARNESS -- BIN ARGS...
set -euo pipefail
kubeconfig=$1 cluster=$2 harness=$3
shift 4
/usr/bin/time -o "${KCTL_BENCH_RSS_FILE:-/dev/null}" -f '%e %M' "$@"
"$harness" wait-condition --kubeconfig "$kubeconfig" --resource clusters.v1alpha1.cluster.karmada.io \
  --name "$cluster" --condition Ready --timeout 300s >/dev/null
