#!/usr/bin/env bash
# Sets up the machine, builds karmadactl (release; warnings never fail a user's build) and runs it with the given arguments:
#   scripts/build-and-run.sh version
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" >&2
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DCMAKE_UNITY_BUILD=ON >&2
cmake --build "$root/build" --target karmadactl >&2
exec "$root/build/karmadactl" "$@"
