#!/usr/bin/env bash
# The Debian packages Rugwijzer needs outside Python, installed when they are missing.
#
#   scripts/system_packages.sh           what the app needs: Pango for WeasyPrint (the PDF report)
#                                        and a font to embed in it
#   scripts/system_packages.sh --tests   the same, and for the tests poppler-utils (pdftotext) and
#                                        PgBouncer (tests/integration/test_pgbouncer.py)
#   scripts/system_packages.sh --check   only say what is missing (exit 1 when something is)
#
# Quiet when everything is there. Installing needs root (or sudo without a password prompt);
# otherwise it stops with the apt-get command to run. Called by `make run`, `make test` and
# .ci/run (docs/operating.md, "System packages").
set -euo pipefail

runtime_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
test_packages=(poppler-utils pgbouncer)

wanted=("${runtime_packages[@]}")
check_only=0
for argument in "$@"; do
  case "$argument" in
    --tests) wanted+=("${test_packages[@]}") ;;
    --check) check_only=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "system_packages.sh: unknown option $argument (see --help)" >&2; exit 2 ;;
  esac
done

fail() {
  echo "Error: $1" >&2
  exit 1
}

command -v dpkg-query >/dev/null 2>&1 \
  || fail "not a Debian-like system (no dpkg-query): install Pango (1.44 or newer), a TrueType font such as DejaVu, and poppler's pdftotext for the tests with your system's package manager."

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install_command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$check_only" -eq 1 ]; then
  echo "Missing Debian packages: ${missing[*]} (install: sudo $install_command)" >&2
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || fail "missing Debian packages ${missing[*]}, and no apt-get to install them."

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    fail "missing Debian packages ${missing[*]}. Install them as root: sudo apt-get update && sudo $install_command"
  fi
fi

echo "Installing Debian packages: ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "${as_root[@]}" apt-get update -qq >"$log" 2>&1; then
  cat "$log" >&2
  fail "apt-get update failed (see above); then run: sudo $install_command"
fi
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  fail "could not install ${missing[*]} (see above); run: sudo $install_command"
fi
