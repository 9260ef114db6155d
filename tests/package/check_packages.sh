#!/usr/bin/env bash
# Builds the packages of a build directory with CPack and checks them (issue 13): the .deb's file
# list and dependencies, the binary and the kubectl-karmada link run from an unpacked root, and
# `man` finds the pages there; the .rpm's file list and requirements when rpmbuild is installed.
# Usage: tests/package/check_packages.sh BUILD_DIR   (CTest label `package`; exit 77 = skipped)
set -euo pipefail

build=$(cd "${1:?usage: check_packages.sh BUILD_DIR}" && pwd)
command -v cpack >/dev/null || { echo "cpack missing: skipped"; exit 77; }
command -v dpkg-deb >/dev/null || { echo "dpkg-deb missing: skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

generators=DEB
command -v rpmbuild >/dev/null && generators="DEB;RPM"
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G "$generators" -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack -G $generators"; }
deb=$(ls "$work"/out/karmadactl_*.deb)
echo "built $(basename "$deb")"

# File list: the binary, the plugin link, one man page per command, the completions.
dpkg-deb -c "$deb" | awk '{print $6 ($7 ? " " $7 " " $8 : "")}' | sed 's|^\./|/|' >"$work/files"
for path in /usr/bin/karmadactl "/usr/bin/kubectl-karmada -> karmadactl" /usr/bin/kubectl_complete-karmada \
  /usr/share/man/man1/karmadactl.1 \
  /usr/share/man/man1/karmadactl-init.1 /usr/share/man/man1/karmadactl-token-create.1 \
  /usr/share/bash-completion/completions/karmadactl /usr/share/zsh/vendor-completions/_karmadactl \
  /usr/share/fish/vendor_completions.d/karmadactl.fish /usr/share/doc/karmadactl/LICENSE; do
  grep -qxF "$path" "$work/files" || { cat "$work/files"; fail "$path not in the .deb"; }
done
pages=$(grep -c '^/usr/share/man/man1/karmadactl.*\.1$' "$work/files")
expected=$(ls "$(dirname "$0")/../../man"/*.1 | wc -l)
[[ $pages -eq $expected ]] || fail "$pages man pages in the .deb, $expected in man/"
if grep -v -E '^/usr/$|^/usr/(bin|share)/|^/$' "$work/files" | grep -q .; then
  fail "files outside /usr/bin and /usr/share: $(grep -v -E '^/usr/(bin|share)/' "$work/files")"
fi

# Dependencies come from the libraries the binary links.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libc6 libcurl4 libssl3 libstdc++6; do
  [[ $depends == *"$library"* ]] || fail "Depends lacks $library"
done

# Install into a fresh root: dpkg --root with its own database, else unpack.
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
if dpkg --root="$root" --force-depends --force-not-root --force-script-chrootless \
  --log=/dev/null -i "$deb" >"$work/dpkg.log" 2>&1; then
  echo "installed with dpkg --root"
  dpkg --root="$root" -L karmadactl | grep -qx /usr/bin/karmadactl || fail "dpkg -L lacks the binary"
else
  cat "$work/dpkg.log"
  echo "dpkg --root failed; unpacking with dpkg -x"
  dpkg -x "$deb" "$root"
fi
"$root/usr/bin/karmadactl" version | grep -q 'GitVersion' || "$root/usr/bin/karmadactl" version
"$root/usr/bin/karmadactl" version >/dev/null || fail "karmadactl version"
"$root/usr/bin/kubectl-karmada" version >/dev/null || fail "kubectl-karmada version"
"$root/usr/bin/kubectl-karmada" --help | grep -q 'kubectl karmada' || fail "the plugin does not call itself kubectl karmada"
PATH="$root/usr/bin:$PATH" "$root/usr/bin/kubectl_complete-karmada" jo | grep -q '^join' ||
  fail "kubectl_complete-karmada jo does not offer join"
if command -v man >/dev/null; then
  page=$(MANPATH="$root/usr/share/man" man -w karmadactl-init) || fail "man does not find karmadactl-init"
  [[ $page == "$root/usr/share/man/man1/karmadactl-init.1"* ]] || fail "man found $page"
fi

if [[ $generators == *RPM* ]]; then
  rpm=$(ls "$work"/out/karmadactl-*.rpm)
  echo "built $(basename "$rpm")"
  rpm -qlp "$rpm" 2>/dev/null >"$work/rpmfiles"
  for path in /usr/bin/karmadactl /usr/bin/kubectl-karmada /usr/share/man/man1/karmadactl-init.1 \
    /usr/share/bash-completion/completions/karmadactl; do
    grep -qxF "$path" "$work/rpmfiles" || { cat "$work/rpmfiles"; fail "$path not in the .rpm"; }
  done
  ! grep -qx /usr/share/man/man1 "$work/rpmfiles" || fail "the .rpm claims /usr/share/man/man1"
  rpm -qRp "$rpm" 2>/dev/null | grep -q 'libcurl.so' || fail "the .rpm does not require libcurl"
  rpm -qRp "$rpm" 2>/dev/null | grep -q 'libcrypto.so' || fail "the .rpm does not require libcrypto"
fi
echo "packages OK"
