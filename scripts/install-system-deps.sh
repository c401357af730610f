#!/usr/bin/env bash
# System packages the test suite uses beyond Python: bubblewrap (grading isolation),
# PostgreSQL (the multi-machine gradebook), Chromium (browser tests of JupyterLab).
# Installs the missing ones with apt-get when run as root on Debian/Ubuntu; otherwise it says
# what is missing and the tests that need it skip with that reason.
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PostgreSQL's server binaries live outside PATH.
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "note: missing system packages (${missing[*]}); the tests that need them will skip." >&2
  echo "      install them with: sudo apt-get install ${missing[*]}" >&2
fi
