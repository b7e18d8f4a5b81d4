#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined)
# and run each for SECONDS (default 20) from the seed corpus in tests/fuzz.
#   scripts/fuzz.sh [SECONDS]
# Fails when a harness finds a crash; the crashing input is left in build-fuzz/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
out=$top/build-fuzz
mkdir -p "$out"
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE -I"$top/src/lib")
lib=("$top"/src/lib/procfs.c "$top"/src/lib/nstype.c "$top"/src/lib/filter.c "$top"/src/lib/container.c)
status=0
for h in procfs filter container; do
  clang "${cflags[@]}" -o "$out/fuzz-$h" "$top/tests/fuzz/fuzz-$h.c" "${lib[@]}"
  work=$out/corpus-$h
  mkdir -p "$work"
  cp -n "$top/tests/fuzz/corpus/$h/"* "$work/" 2>/dev/null || true
  echo "== fuzz-$h for ${secs}s =="
  if ! (cd "$out" && "./fuzz-$h" -max_total_time="$secs" -max_len=4096 "$work" 2>&1 | tail -n 40 | grep -E "ERROR|SUMMARY|#[0-9]+ 0x|Done|artifact" ); then
    status=1
  fi
done
exit "$status"
