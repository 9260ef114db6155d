#!/usr/bin/env bash
# Builds the local-cluster fixtures into _output/fixtures (idempotent; skipped when the stamp matches).
#   bin/k8sbins   multi-call: kube-apiserver, kube-controller-manager (k8s.io/kubernetes v1.35.3), etcd (v3.6.5)
#                 (symlinks bin/kube-apiserver, bin/kube-controller-manager, bin/etcd)
#   bin/harness   local-cluster launcher, process kubelet, service proxy, wait helpers (hack/localenv)
#   bin/karmada-{agent,aggregated-apiserver,controller-manager,scheduler,webhook}, bin/karmadactl  (karmada v1.18.2)
#   crds.tar.gz   karmada v1.18.2 CRDs, upstream release layout (crds/bases/..., crds/patches/...)
# Env: FORCE=1 rebuilds; GOFLAGS is honoured (default -p=2).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${LOCALENV_FIXTURES:-$ROOT/_output/fixtures}
BIN=$OUT/bin
K8S_VERSION=v1.35.3
ETCD_VERSION=v3.6.5
KARMADA_VERSION=v1.18.2
export GOFLAGS="${GOFLAGS:--p=2} -mod=mod"
export CGO_ENABLED=0
LDFLAGS='-s -w'

t0=$(date +%s)
step() { echo "[build-fixtures] $(date -u +%H:%M:%S) (+$(( $(date +%s) - t0 ))s) $*"; }

command -v go >/dev/null || { echo "go not found in PATH (need Go >= 1.25)" >&2; exit 1; }

# The stamp covers the pinned versions, the Go toolchain and our own harness sources.
src_hash=$(cd "$ROOT/hack/localenv" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
STAMP="k8s=$K8S_VERSION etcd=$ETCD_VERSION karmada=$KARMADA_VERSION go=$(go env GOVERSION) src=$src_hash"
outputs=(k8sbins harness karmada-agent karmada-aggregated-apiserver karmada-controller-manager karmada-scheduler karmada-webhook karmadactl)

all_present() {
  local f
  for f in "${outputs[@]}"; do [[ -x $BIN/$f ]] || return 1; done
  [[ -f $OUT/crds.tar.gz ]]
}
if [[ -z ${FORCE:-} ]] && all_present && [[ -f $OUT/STAMP && "$(cat "$OUT/STAMP")" == "$STAMP" ]]; then
  step "fixtures up to date ($STAMP)"
  exit 0
fi
mkdir -p "$BIN"
rm -f "$OUT/STAMP"

# 1. k8s components + etcd (one multi-call binary) and the harness, from our wrapper module.
step "building k8sbins (kube-apiserver, kube-controller-manager $K8S_VERSION, etcd $ETCD_VERSION)"
(cd "$ROOT/hack/localenv" && go build -trimpath -ldflags="$LDFLAGS" -o "$BIN/k8sbins" ./cmd/k8sbins)
for c in kube-apiserver kube-controller-manager etcd; do ln -sfn k8sbins "$BIN/$c"; done
step "building harness"
(cd "$ROOT/hack/localenv" && go build -trimpath -ldflags="$LDFLAGS" -o "$BIN/harness" ./cmd/harness)

# 2. karmada components and upstream karmadactl, exactly karmada's own dependency set (go install @version).
info=$(go mod download -json "github.com/karmada-io/karmada@$KARMADA_VERSION")
KDIR=$(sed -n 's/.*"Dir": "\(.*\)",/\1/p' <<<"$info")
KCOMMIT=$(grep -o '"Hash": "[0-9a-f]*"' <<<"$info" | head -1 | cut -d'"' -f4)
KV=github.com/karmada-io/karmada/pkg/version
KLDFLAGS="$LDFLAGS -X $KV.gitVersion=$KARMADA_VERSION -X $KV.gitCommit=${KCOMMIT:-unknown} -X $KV.gitShortCommit=${KCOMMIT:0:9} -X $KV.gitTreeState=clean -X $KV.buildDate=2026-07-21T00:00:00Z"
step "building karmada $KARMADA_VERSION components and karmadactl"
tmpbin=$OUT/gobin.tmp
rm -rf "$tmpbin"; mkdir -p "$tmpbin"
GOBIN=$tmpbin go install -trimpath -ldflags="$KLDFLAGS" \
  "github.com/karmada-io/karmada/cmd/agent@$KARMADA_VERSION" \
  "github.com/karmada-io/karmada/cmd/aggregated-apiserver@$KARMADA_VERSION" \
  "github.com/karmada-io/karmada/cmd/controller-manager@$KARMADA_VERSION" \
  "github.com/karmada-io/karmada/cmd/scheduler@$KARMADA_VERSION" \
  "github.com/karmada-io/karmada/cmd/webhook@$KARMADA_VERSION" \
  "github.com/karmada-io/karmada/cmd/karmadactl@$KARMADA_VERSION"
for c in agent aggregated-apiserver controller-manager scheduler webhook; do mv -f "$tmpbin/$c" "$BIN/karmada-$c"; done
mv -f "$tmpbin/karmadactl" "$BIN/karmadactl"
rm -rf "$tmpbin"

# 3. CRD tarball in the upstream release layout.
step "assembling crds.tar.gz"
stage=$(mktemp -d)
cp -r "$KDIR/charts/karmada/_crds" "$stage/crds"
chmod -R u+w "$stage/crds"
tar -C "$stage" --sort=name --owner=0 --group=0 --mtime='2026-07-21 00:00:00' -czf "$OUT/crds.tar.gz.tmp" crds
mv -f "$OUT/crds.tar.gz.tmp" "$OUT/crds.tar.gz"
rm -rf "$stage"

all_present || { echo "build-fixtures: some outputs are missing" >&2; exit 1; }
echo "$STAMP" > "$OUT/STAMP"
step "done: $(du -sh "$BIN" | cut -f1) in $BIN"
