#!/usr/bin/env bash
# README command 2: set everything up and run all tests (extra pytest arguments are passed on).
# The tests start real parts: LibreOffice headless recalculates the templates, pdftoppm renders their PDF,
# headless Chromium (selenium + axe-core) checks the HTML pages for accessibility, nginx (on loopback, with its own
# files in a temporary folder) terminates TLS in front of `pyxl serve`, and LibreOffice runs the pyxl extension
# (python3-uno: Debian's Python bridge to LibreOffice, which the extension's code and the test's driver need).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh

pakete="libreoffice-calc python3-uno poppler-utils fonts-liberation2 chromium chromium-driver nginx"
if ! command -v soffice >/dev/null || ! /usr/bin/python3 -c "import uno" 2>/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list 2>/dev/null | grep -q "Liberation Sans" \
  || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
  || ! PATH="$PATH:/usr/sbin:/sbin" command -v nginx >/dev/null; then
  als_root=""
  [ "$(id -u)" = 0 ] || als_root="sudo -n"
  if command -v apt-get >/dev/null; then
    echo "Installiere $pakete (für die Tests) …"
    $als_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $als_root apt-get install -y -qq --no-install-recommends $pakete >/dev/null
  else
    echo "Für die Tests fehlen LibreOffice Calc, python3-uno, pdftoppm, die Liberation-Schriften, Chromium, chromedriver oder nginx ($pakete)." >&2
    exit 2
  fi
fi

# axe-core (npm, pinned in tests/browser/package-lock.json) for the accessibility check in headless Chromium
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
fi

.venv/bin/python -m pytest "$@"
