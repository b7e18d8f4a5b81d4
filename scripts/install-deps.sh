#!/bin/sh
# Install what building and testing nspect needs on Debian or Ubuntu.
# Runs apt-get as root (through sudo when not root).
set -eu

packages="
  build-essential autoconf automake pkg-config
  libsmartcols-dev libmount-dev libblkid-dev libcmocka-dev
  util-linux iproute2 procps mandoc jq python3 time clang
"

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "install-deps.sh: run as root (or install sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -q
# shellcheck disable=SC2086 # the list is meant to split into words
$as_root apt-get install -y -q --no-install-recommends $packages
