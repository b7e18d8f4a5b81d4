#!/usr/bin/env bash
# Configure (once) and build nspect out of tree, warnings as errors.
#   scripts/build.sh              -> build/nspect
#   scripts/build.sh --sanitize   -> build-sanitize/nspect (ASan + UBSan)
# Prints the build directory on its last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$top/build
configure_args=(--enable-werror)
case "${1:-}" in
  --sanitize) builddir=$top/build-sanitize; configure_args+=(--enable-sanitizers) ;;
  "") ;;
  *) echo "usage: $0 [--sanitize]" >&2; exit 1 ;;
esac

cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p "$builddir"
cd "$builddir"
[ -f Makefile ] || "$top/configure" -q "${configure_args[@]}"
make -s -j"$(nproc)" >/dev/null
echo "$builddir"
