# The guide's sequence as shell functions, shared by scripts/demo.sh and tests/e2e/karmadactl_guide.sh
# (sourced). Needs: KCTL (our binary), K (dir of the member kubeconfigs), KC (karmada-apiserver.config),
# BIN (fixtures bin dir, for the harness that reads member API servers directly), WORK (scratch dir),
# and a function inns that runs a command where the clusters' addresses resolve.

AGENT_IMAGE=docker.io/karmada/karmada-agent:v1.18.2

# guide_register NAME: token create --print-register-command, then the printed line run on the member.
guide_register() {
  local name=$1 line
  line=$(inns "$KCTL" token create --print-register-command --kubeconfig "$KC") || return 1
  line=$(grep ' register ' <<<"$line" | tail -n 1)
  [[ -n $line ]] || { echo "token create printed no register command" >&2; return 1; }
  read -r -a words <<<"$line"
  # words[0] is the program name as printed; run our binary with the printed arguments.
  inns "$KCTL" "${words[@]:1}" --kubeconfig "$K/$name.kubeconfig" --cluster-name "$name" \
    --karmada-agent-image "$AGENT_IMAGE"
}

# guide_join NAME: push mode, as the guide writes it (flag before the command).
guide_join() {
  inns "$KCTL" --kubeconfig "$KC" join "$1" --cluster-kubeconfig="$K/$1.kubeconfig"
}

# guide_wait_ready NAME [TIMEOUT]
guide_wait_ready() {
  inns "$BIN/harness" wait-condition --kubeconfig "$KC" --resource clusters.v1alpha1.cluster.karmada.io \
    --name "$1" --condition Ready --timeout "${2:-180s}" >/dev/null
}

# guide_label_clusters: the guide's labels (its k8s-cluster-01..03 are member1..3 here). The label
# policy selects environment=dev: member1 and member3; region does not take part.
guide_label_clusters() {
  inns "$KCTL" label clusters member1 environment=dev region=cn-north --kubeconfig "$KC" --overwrite &&
    inns "$KCTL" label clusters member2 environment=staging region=cn-east --kubeconfig "$KC" --overwrite &&
    inns "$KCTL" label clusters member3 environment=dev region=cn-south --kubeconfig "$KC" --overwrite
}

# guide_replicas MEMBER NAME: spec.replicas of Deployment default/NAME in the member, or "-" if absent.
guide_replicas() {
  local got
  got=$(inns "$BIN/harness" get --kubeconfig "$K/$1.kubeconfig" --resource deployments.v1.apps -n default \
    --name "$2" --field spec.replicas 2>/dev/null) || got=""
  echo "${got:--}"
}

# guide_wait_replicas NAME "member1=4 member2=2 member3=-" [TIMEOUT]: waits until each member shows
# the wanted replicas ("-": no such Deployment).
guide_wait_replicas() {
  local name=$1 want=$2 deadline=$(( $(date +%s) + ${3:-180} )) pair ok got
  while :; do
    ok=1
    for pair in $want; do
      got=$(guide_replicas "${pair%%=*}" "$name")
      [[ $got == "${pair#*=}" ]] || { ok=0; break; }
    done
    (( ok )) && return 0
    if (( $(date +%s) >= deadline )); then
      echo "Deployment $name: want $want; ${pair%%=*} has '${got}'" >&2
      return 1
    fi
    sleep 1
  done
}

# guide_nginx NAME REPLICAS: the guide's nginx Deployment under another name.
guide_nginx() {
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: default, labels: {app: nginx}}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec: {containers: [{name: nginx, image: nginx}]}
YAML
}

# guide_policy NAME PLACEMENT_YAML: a PropagationPolicy for Deployment NAME with the given placement
# (indented four spaces under placement:).
guide_policy() {
  cat <<YAML
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: $1, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: $1}]
  placement:
$2
YAML
}

# The four placements of the guide.
GUIDE_BY_NAMES='    clusterAffinity: {clusterNames: [member2, member3]}'
GUIDE_BY_LABEL='    clusterAffinity: {labelSelector: {matchLabels: {environment: dev}}}'
GUIDE_WEIGHTED='    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 2}
        - {targetCluster: {clusterNames: [member2]}, weight: 1}'
GUIDE_DUPLICATED='    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling: {replicaSchedulingType: Duplicated}'

# guide_apply_case NAME REPLICAS PLACEMENT: writes the Deployment and its policy and applies them with
# our apply.
guide_apply_case() {
  { guide_nginx "$1" "$2"; guide_policy "$1" "$3"; } >"$WORK/$1.yaml"
  inns "$KCTL" apply -f "$WORK/$1.yaml" --kubeconfig "$KC"
}

# guide_landing_row NAME TITLE: one row of the table of where the replicas landed, tab-separated:
# "TITLE (NAME)" and the replicas of Deployment NAME in member1, member2 and member3 ("-": none).
guide_landing_row() {
  printf '%s (%s)\t%s\t%s\t%s\n' "$2" "$1" "$(guide_replicas member1 "$1")" \
    "$(guide_replicas member2 "$1")" "$(guide_replicas member3 "$1")"
}

# guide_print_table [ROWS_FILE]: the rows (guide_landing_row lines; stdin without a file) under
# their header, laid out by karmadactl as get lays out its tables: each column as wide as its widest
# cell plus three spaces, whatever the length of the titles.
guide_print_table() {
  { printf 'POLICY (Deployment)\tmember1\tmember2\tmember3\n'; cat "${1:--}"; } | "$KCTL" __columns
}
