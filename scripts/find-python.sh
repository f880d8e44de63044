#!/usr/bin/env bash
# Prints the path of a Python 3.12 interpreter: python3.12 on PATH if it runs, else one installed
# through pyenv. Our admin-unit dependency (vietnam-provinces >= 2026.9) needs 3.12.
set -euo pipefail
if command -v python3.12 >/dev/null 2>&1 && python3.12 -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
  command -v python3.12
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.|$)' | sort -V -r); do
    candidate="$(pyenv root)/versions/$version/bin/python3.12"
    if [ -x "$candidate" ]; then
      echo "$candidate"
      exit 0
    fi
  done
fi
echo "Không tìm thấy Python 3.12 / Python 3.12 not found: install it (e.g. 'pyenv install 3.12') and retry." >&2
exit 1
