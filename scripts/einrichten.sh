#!/usr/bin/env bash
# Shared set-up for scripts/beispiel.sh and scripts/test.sh: a project venv with pyxl and its dev tools.
# Idempotent and quick when nothing changed (a stamp of pyproject.toml skips the reinstall).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "pyxl braucht Python 3.11 oder neuer ($PYTHON: $("$PYTHON" --version 2>&1 || echo 'nicht gefunden'))." >&2
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian ships venv separately; as root we can add it, otherwise say what is missing.
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" >/dev/null
      "$PYTHON" -m venv .venv
    else
      echo "Python-venv fehlt: bitte 'apt-get install python3-venv' ausführen." >&2
      exit 2
    fi
  fi
fi

stempel=".venv/.pyxl-installiert"
soll=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stempel" ] || [ "$(cat "$stempel")" != "$soll" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$soll" > "$stempel"
fi
