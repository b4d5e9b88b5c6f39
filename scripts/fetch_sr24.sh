#!/usr/bin/env bash
# Unpack Debian's cronometer package (it ships USDA SR24 as usr/share/cronometer/usda_sr24.jar)
# into the folder given as $1. Used by `make fooddb` and by CI for the source-comparison tests.
set -euo pipefail
dest=${1:-.cache/cronometer}
jar="$dest/usr/share/cronometer/usda_sr24.jar"
if [ -f "$jar" ]; then
  echo "$jar"
  exit 0
fi
mkdir -p "$dest"
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
if ! (cd "$workdir" && apt-get download cronometer >/dev/null 2>&1); then
  command -v apt-get >/dev/null || { echo "apt-get not found: cannot fetch cronometer" >&2; exit 1; }
  apt-get update -qq >/dev/null 2>&1 || true
  (cd "$workdir" && apt-get download cronometer >/dev/null 2>&1) || {
    echo "apt-get download cronometer failed" >&2; exit 1; }
fi
dpkg -x "$workdir"/cronometer_*.deb "$dest"
echo "$jar"
