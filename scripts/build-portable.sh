#!/usr/bin/env bash
# Builds a portable karmadactl: the only run-time dependency is glibc (2.34 or newer; any glibc-based
# Linux on the same CPU architecture). OpenSSL, zlib, yaml-cpp, libstdc++ and libgcc are linked
# statically and fmt is used header-only (-DKCTL_PORTABLE=ON). libcurl is not linked: commands that
# talk to a server load the system's libcurl.so.4 when they first need it (package libcurl4 or
# libcurl), and say so clearly when it is missing; `version`, `--help`, completion, `init --dry-run`
# planning and `config images list` never need it.
#   scripts/build-portable.sh [BUILD_DIR]     (default build-portable; JOBS=N for parallel jobs)
# Writes BUILD_DIR/karmadactl (with symbols) and BUILD_DIR/karmadactl-portable (stripped).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-portable}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DKCTL_PORTABLE=ON \
  -DBUILD_TESTING=OFF -DCMAKE_UNITY_BUILD=ON "${launcher[@]}" >&2
cmake --build "$build" -j"${JOBS:-2}" --target karmadactl >&2
strip -o "$build/karmadactl-portable" "$build/karmadactl"

# Only glibc may be needed at run time.
needed=$(readelf -d "$build/karmadactl-portable" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
for library in $needed; do
  case $library in
    libc.so.6 | libm.so.6 | ld-linux-*.so.*) ;;
    *) echo "error: the portable binary needs $library (only glibc is allowed)" >&2; exit 1 ;;
  esac
done
"$build/karmadactl-portable" version >/dev/null
echo "$build/karmadactl-portable: $(stat -c %s "$build/karmadactl-portable") bytes, needs: $needed"
