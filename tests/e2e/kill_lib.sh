# Kill-at-every-step helpers (sourced after lib.sh). A command with steps s1..sN is run killed
# (SIGKILL, by the test-only KARMADACTL_TEST_KILL_AFTER_STEP hook of src/flow/steps.cpp) right after
# s1, run again killed after s2, ..., then run in full; each run is checked by the caller. The rows
# of docs/faults.md's tables are appended to $KILL_TABLE.

KILL_ENV=KARMADACTL_TEST_KILL_AFTER_STEP

# kill_run LOG STEP CMD...: runs CMD killed after STEP ("" = not killed); returns its exit code.
kill_run() {
  local log=$1 at=$2 rc=0
  shift 2
  if [[ -n $at ]]; then
    inns env "$KILL_ENV=$at" "$@" >"$log" 2>&1 || rc=$?
  else
    inns "$@" >"$log" 2>&1 || rc=$?
  fi
  return $rc
}

# kill_expect_killed LOG STEP RC: the run was killed by the hook, right after STEP finished.
kill_expect_killed() {
  local log=$1 at=$2 rc=$3
  [[ $rc -eq 137 ]] || { cat "$log"; fail "killed after $at: exit $rc, want 137 (SIGKILL)"; }
  grep -q "^\[$at\] $KILL_ENV: killing this process" "$log" || { cat "$log"; fail "the kill after $at did not happen"; }
  grep -Eq "^\[$at\] .*\([0-9.]+m?s\)$" "$log" || { cat "$log"; fail "step $at did not finish before the kill"; }
}

# kill_object_words LOG STEPS...: "created N, configured M, unchanged K" over the object lines of the
# given steps in LOG (lines "[step] <what> created|configured|unchanged" or "[step] created|configured <what>").
kill_object_words() {
  local log=$1 word n out="" pattern
  shift
  pattern="^\[($(IFS='|'; echo "$*"))\] "
  for word in created configured unchanged; do
    n=$(grep -E "$pattern" "$log" | grep -cE " $word\$|\] $word " || true)
    out+="${out:+, }$word $n"
  done
  echo "$out"
}

# kill_rerun_created LOG STEPS...: how many objects of the given (already finished) steps the run
# created again; must be 0: nothing is created twice.
kill_rerun_created() {
  local log=$1 pattern
  shift
  [[ $# -gt 0 ]] || { echo 0; return; }
  pattern="^\[($(IFS='|'; echo "$*"))\] "
  grep -E "$pattern" "$log" | grep -cE " created\$|\] created " || true
}

kill_row() { echo "$*" >>"$KILL_TABLE"; }
