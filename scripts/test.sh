#!/usr/bin/env bash
# Build nspect and run the whole test suite: cmocka unit tests and the
# integration tests that build real namespaces (those need root).
#   scripts/test.sh [--sanitize]
# Fails when any test fails or is skipped, and ends with "N passed, N failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$("$top/scripts/build.sh" "$@" | tail -n 1)
cd "$builddir"

# The processes the tests leave behind: every process started under this
# script carries NSPECT_TEST_RUN in its environment; any still alive after
# the suite and no longer under this script (orphaned) was left running.
export NSPECT_TEST_RUN="$$.$RANDOM"
leftovers() {
  local p pid ppid comm
  for p in /proc/[0-9]*; do
    grep -qxzF "NSPECT_TEST_RUN=$NSPECT_TEST_RUN" "$p/environ" 2>/dev/null || continue
    pid=${p#/proc/}
    # a descendant of this script is the check itself, not a leftover
    ppid=$pid
    while [ "$ppid" -gt 1 ] && [ "$ppid" != $$ ]; do
      ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$ppid/status" 2>/dev/null)
      [ -n "$ppid" ] || break
    done
    [ "$ppid" = $$ ] && continue
    comm=$(cat "$p/comm" 2>/dev/null) || continue
    echo "$pid $comm"
  done
}

# The tests share one machine's process table: run them one at a time.
status=0
make -s -j"$(nproc)" check TESTS= >/dev/null
make -s check -j1 || status=$?
sleep 1
left=$(leftovers)
if [ -n "$left" ]; then
  echo "error: the tests left processes running:" >&2
  echo "$left" >&2
  status=1
fi

log=test-suite.log
count() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | head -n 1; }
total=$(count TOTAL); pass=$(count PASS); skip=$(count SKIP)
xfail=$(count XFAIL); fail=$(count FAIL); xpass=$(count XPASS); err=$(count ERROR)
failed=$(( ${fail:-0} + ${xpass:-0} + ${err:-0} ))

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  cat "$log"
fi
if [ "${skip:-0}" -ne 0 ]; then
  echo "error: ${skip} test(s) skipped; every test must run (run as root)" >&2
  grep -E '^SKIP:' "$log" >&2 || true
  status=1
fi
if [ "${total:-0}" -eq 0 ]; then
  echo "error: no test ran" >&2
  status=1
fi
echo "${pass:-0} passed, ${failed} failed, ${skip:-0} skipped"
exit "$status"
