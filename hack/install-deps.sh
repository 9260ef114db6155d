#!/usr/bin/env bash
# Installs/checks what the local clusters need besides Go (>= 1.25, expected preinstalled):
# util-linux (unshare, nsenter, setsid, mount), iproute2 (ip), curl (e2e smoke test), coreutils/tar/gzip.
# Installs missing Debian packages with apt-get when run as root. Idempotent.
set -euo pipefail
declare -A pkg_of=([unshare]=util-linux [nsenter]=util-linux [setsid]=util-linux [mount]=mount [ip]=iproute2
                   [curl]=curl [tar]=tar [gzip]=gzip [sha256sum]=coreutils)
missing=()
for cmd in "${!pkg_of[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_of[$cmd]}")
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "install-deps: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "install-deps: missing packages: ${missing[*]} (install them, or run as root on Debian)" >&2
    exit 1
  fi
fi
if ! command -v go >/dev/null; then
  echo "install-deps: Go >= 1.25 is required (see /work/shared/docs/local-clusters.md §1.3)" >&2
  exit 1
fi
gov=$(go env GOVERSION); gov=${gov#go}
if [[ $(printf '%s\n1.25\n' "${gov%.*}" | sort -V | head -1) != 1.25 ]]; then
  echo "install-deps: Go $gov is too old (need >= 1.25)" >&2
  exit 1
fi
if unshare --user --map-root-user --net --mount true 2>/dev/null; then
  echo "install-deps: ok (Go $gov, user namespaces available)"
elif [[ $(id -u) == 0 ]] && unshare --net --mount true 2>/dev/null; then
  echo "install-deps: ok (Go $gov, no user namespaces; running as root with net+mount namespaces)"
else
  echo "install-deps: cannot create network+mount namespaces (need user namespaces or root)" >&2
  exit 1
fi
