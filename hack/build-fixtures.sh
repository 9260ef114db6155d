#!/usr/bin/env bash
# Builds the local-cluster fixtures into _output/fixtures (idempotent: each part is skipped when its stamp matches).
#   bin/k8sbins   multi-call: kube-apiserver, kube-controller-manager (k8s.io/kubernetes v1.35.3), etcd (v3.6.5)
#                 (symlinks bin/kube-apiserver, bin/kube-controller-manager, bin/etcd)
#   bin/harness   local-cluster launcher, process kubelet, service proxy, wait/get/apply helpers (hack/localenv)
#   bin/karmada-{agent,aggregated-apiserver,controller-manager,scheduler,webhook}, bin/karmadactl  (karmada v1.18.2)
#   crds.tar.gz   karmada v1.18.2 CRDs, upstream release layout (crds/bases/..., crds/patches/...)
#   STAMP         written when everything is present (the e2e tests check it)
# Env: FORCE=1 rebuilds everything; GOFLAGS is honoured (default -p=2); LOCALENV_FIXTURES overrides the output dir.
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
MOD=$ROOT/hack/localenv

t0=$(date +%s)
step() { echo "[build-fixtures] $(date -u +%H:%M:%S) (+$(( $(date +%s) - t0 ))s) $*"; }
command -v go >/dev/null || { echo "go not found in PATH (need Go >= 1.25)" >&2; exit 1; }
GOV=$(go env GOVERSION)
hash_files() { (cd "$MOD" && sha256sum $@ | sha256sum | cut -c1-16); }  # patterns expand inside $MOD
mkdir -p "$BIN"

# part NAME STAMP OUTPUT... : true when the part must be (re)built.
needs() {
  local name=$1 stamp=$2; shift 2
  [[ -n ${FORCE:-} ]] && return 0
  [[ -f $OUT/.stamp-$name && "$(cat "$OUT/.stamp-$name")" == "$stamp" ]] || return 0
  local f; for f in "$@"; do [[ -e $f ]] || return 0; done
  step "$name up to date"
  return 1
}

# 1. k8s components + etcd (one multi-call binary) from our wrapper module.
S_K8S="k8s=$K8S_VERSION etcd=$ETCD_VERSION go=$GOV v=2 src=$(hash_files go.mod go.sum cmd/k8sbins/main.go)"
if needs k8sbins "$S_K8S" "$BIN/k8sbins"; then
  step "building k8sbins (kube-apiserver, kube-controller-manager $K8S_VERSION, etcd $ETCD_VERSION)"
  # Version stamping as kubernetes' hack/lib/version.sh does (otherwise /version says v0.0.0-master).
  kinfo=$(cd "$MOD" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION")
  kcommit=$(grep -o '"Hash": "[0-9a-f]*"' <<<"$kinfo" | head -1 | cut -d'"' -f4)
  kminor=${K8S_VERSION#v1.}; kminor=${kminor%%.*}
  KVL=""
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    KVL+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kminor -X $pkg.gitCommit=$kcommit"
    KVL+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=2026-01-01T00:00:00Z"
  done
  (cd "$MOD" && go build -trimpath -ldflags="$LDFLAGS$KVL" -o "$BIN/k8sbins.tmp" ./cmd/k8sbins)
  mv -f "$BIN/k8sbins.tmp" "$BIN/k8sbins"
  echo "$S_K8S" >"$OUT/.stamp-k8sbins"
fi
for c in kube-apiserver kube-controller-manager etcd; do ln -sfn k8sbins "$BIN/$c"; done

# 2. the harness (same module, client-go).
S_H="go=$GOV src=$(hash_files go.mod go.sum cmd/harness/*.go)"
if needs harness "$S_H" "$BIN/harness"; then
  step "building harness"
  (cd "$MOD" && go build -trimpath -ldflags="$LDFLAGS" -o "$BIN/harness.tmp" ./cmd/harness)
  mv -f "$BIN/harness.tmp" "$BIN/harness"
  echo "$S_H" >"$OUT/.stamp-harness"
fi

# 3. karmada components and upstream karmadactl, with exactly karmada's own dependency set: module
#    hack/karmada-fixtures requires only github.com/karmada-io/karmada v1.18.2 (same result as
#    `go install ...@v1.18.2`, which needs the proxy's @v/list endpoint for its deprecation check).
KCOMPS=(agent aggregated-apiserver controller-manager scheduler webhook)
KMOD=$ROOT/hack/karmada-fixtures
S_K="karmada=$KARMADA_VERSION go=$GOV src=$(cd "$KMOD" && sha256sum go.mod go.sum | sha256sum | cut -c1-16)"
if needs karmada "$S_K" "${KCOMPS[@]/#/$BIN/karmada-}" "$BIN/karmadactl" "$OUT/crds.tar.gz"; then
  info=$(go mod download -json "github.com/karmada-io/karmada@$KARMADA_VERSION")
  KDIR=$(sed -n 's/.*"Dir": "\(.*\)",/\1/p' <<<"$info")
  KCOMMIT=$(grep -o '"Hash": "[0-9a-f]*"' <<<"$info" | head -1 | cut -d'"' -f4)
  KV=github.com/karmada-io/karmada/pkg/version
  KLDFLAGS="$LDFLAGS -X $KV.gitVersion=$KARMADA_VERSION -X $KV.gitCommit=${KCOMMIT:-unknown} -X $KV.gitShortCommit=${KCOMMIT:0:7} -X $KV.gitTreeState=clean -X $KV.buildDate=2026-07-21T13:34:19Z"
  step "building karmada $KARMADA_VERSION components and karmadactl"
  tmpbin=$OUT/gobin.tmp
  rm -rf "$tmpbin"; mkdir -p "$tmpbin"
  pkgs=()
  for c in "${KCOMPS[@]}" karmadactl; do pkgs+=("github.com/karmada-io/karmada/cmd/$c"); done
  (cd "$KMOD" && go build -trimpath -ldflags="$KLDFLAGS" -o "$tmpbin/" "${pkgs[@]}")
  for c in "${KCOMPS[@]}"; do mv -f "$tmpbin/$c" "$BIN/karmada-$c"; done
  mv -f "$tmpbin/karmadactl" "$BIN/karmadactl"
  rm -rf "$tmpbin"

  # 4. CRD tarball in the upstream release layout (tar -czf crds.tar.gz -C charts/karmada crds, from _crds).
  step "assembling crds.tar.gz"
  stage=$(mktemp -d)
  cp -r "$KDIR/charts/karmada/_crds" "$stage/crds"
  chmod -R u+w "$stage/crds"
  tar -C "$stage" --sort=name --owner=0 --group=0 --mtime='2026-07-21 00:00:00' -czf "$OUT/crds.tar.gz.tmp" crds
  mv -f "$OUT/crds.tar.gz.tmp" "$OUT/crds.tar.gz"
  rm -rf "$stage"
  echo "$S_K" >"$OUT/.stamp-karmada"
fi

echo "$S_K8S | $S_H | $S_K" >"$OUT/STAMP"
step "done: $(du -shL "$BIN" | cut -f1) in $BIN"
