#!/usr/bin/env bash
# Shell completion against the local clusters (issue 13), on the shared environment (CTest fixture
# karmada_ours; needs member1 and member2 joined, and joins them when they are not): the bash script,
# driven as bash drives it (COMP_WORDS/COMP_CWORD), completes cluster names from the Karmada API
# server for cordon, get clusters and taint clusters, and `--karmada-context` from the kubeconfig;
# the answers are the Clusters the API server lists. Changes nothing.
# Usage: karmadactl_completion.sh /path/to/karmadactl
source "$(dirname "$0")/lib.sh"
KCTL=$(realpath "$1")
e2e_shared_test completion
e2e_need_joined member1 member2
WORK=$OUT
mkdir -p "$WORK/bin"
ln -sf "$KCTL" "$WORK/bin/karmadactl"
"$KCTL" completion bash >"$WORK/karmadactl.bash"

step "the Clusters the Karmada API server lists"
expected=$(inns "$KCTL" get clusters --kubeconfig "$KC" -o name | sed 's|^.*/||' | sort | tr '\n' ' ')
echo "clusters: $expected"
for m in member1 member2; do
  [[ " $expected " == *" $m "* ]] || fail "get clusters does not list $m"
done

complete_bash() { # complete_bash WORD...: the last word is completed; prints the sorted candidates
  inns env PATH="$WORK/bin:$PATH" bash -c '
    source "$1"; shift
    COMP_WORDS=(karmadactl "$@"); COMP_CWORD=$#
    __karmadactl_complete
    printf "%s\n" "${COMPREPLY[@]}"' _ "$WORK/karmadactl.bash" "$@" | sort | tr '\n' ' '
}

step "cordon <TAB>, get clusters <TAB>, taint clusters <TAB>"
for words in "cordon" "get clusters" "taint clusters"; do
  # shellcheck disable=SC2086
  got=$(complete_bash $words --kubeconfig "$KC" "")
  echo "karmadactl $words <TAB> -> $got"
  [[ $got == "$expected" ]] || fail "karmadactl $words <TAB> offered '$got', expected '$expected'"
done
first=${expected%% *}
got=$(complete_bash cordon --kubeconfig "$KC" "${first:0:4}")
[[ " $got " == *" $first "* ]] || fail "cordon ${first:0:4}<TAB> offered '$got'"

step "--karmada-context <TAB> from the kubeconfig"
got=$(complete_bash get clusters --kubeconfig "$KC" --karmada-context "")
contexts=$(inns python3 -c 'import sys, yaml; print(" ".join(sorted(c["name"] for c in yaml.safe_load(open(sys.argv[1]))["contexts"])) + " ")' "$KC")
[[ $got == "$contexts" ]] || fail "--karmada-context offered '$got', expected '$contexts'"
echo "PASS: completion against the local clusters"
