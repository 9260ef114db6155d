#!/usr/bin/env bash
# Installs everything needed to build karmadactl and run its tests on a fresh Debian 12 machine.
# Safe to re-run: it only calls apt-get when a package is missing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config clang-format
  libcli11-dev libcurl4-openssl-dev libyaml-cpp-dev nlohmann-json3-dev libssl-dev libfmt-dev doctest-dev zlib1g-dev
  # tests: the openssl CLI checks our PKI, python3 serves test HTTPS, the local clusters need
  # iproute2 and util-linux (unshare, nsenter) and curl for readiness checks
  openssl python3 python3-yaml time iproute2 util-linux curl ca-certificates git
  # tests of the man pages (groff -ww) and of the completion scripts in real shells (issue 13)
  groff-base zsh fish
  # fuzz targets (scripts/fuzz.sh): libFuzzer and the sanitizer runtimes; clang 19, since
  # libstdc++ 12's <expected> needs the concepts level only clang 19 and later announce
  clang-19 libclang-rt-19-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "[install-deps] installing: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[install-deps] all build and test packages are present"
fi
