#!/usr/bin/env bash
# CTest fixture for tests that share one environment in _output/local (the default LOCALENV_DIR):
#   localenv_fixture.sh up    -> hack/local-up.sh (no build; SKIP 77 without fixtures unless KARMADA_E2E_REQUIRED)
#   localenv_fixture.sh down  -> hack/local-down.sh
# Other CMake files can use it with: set_tests_properties(<test> PROPERTIES FIXTURES_REQUIRED karmada_localenv)
source "$(dirname "$0")/lib.sh"
case ${1:-} in
  up)
    e2e_require_fixtures
    SKIP_BUILD=1 "$ROOT/hack/local-up.sh" ;;
  down)
    "$ROOT/hack/local-down.sh" ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
