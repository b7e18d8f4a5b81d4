#!/usr/bin/env bash
# Build nspect and run the whole test suite: cmocka unit tests and the
# integration tests that build real namespaces (those need root).
#   scripts/test.sh [--sanitize]
# Fails when any test fails or is skipped, and ends with "N passed, N failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$("$top/scripts/build.sh" "$@" | tail -n 1)
cd "$builddir"

# The processes the tests could leave behind: what they start, outside
# this script's own process tree.  Listed before and after the suite.
leftovers() {
  ps -e -o pid=,ppid=,comm= |
    awk -v self=$$ '
      { pid[NR] = $1; parent[$1] = $2; name[$1] = $3 }
      END {
        for (i = 1; i <= NR; i++) {
          p = pid[i]; mine = 0
          for (q = p; q > 1; q = parent[q]) if (q == self) { mine = 1; break }
          if (!mine && name[p] ~ /^(sleep|unshare|nsenter|nspect|setpriv|sh|bash|evil-sleep)$/)
            print p, name[p]
        }
      }' | sort
}

# The tests share one machine's process table: run them one at a time.
status=0
make -s -j"$(nproc)" check TESTS= >/dev/null
before=$(leftovers)
make -s check -j1 || status=$?
sleep 1
left=$(comm -13 <(echo "$before") <(leftovers))
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
