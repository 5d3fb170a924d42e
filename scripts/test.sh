#!/usr/bin/env bash
# README command 2: set everything up and run all tests (extra pytest arguments are passed on).
# The tests start real parts: LibreOffice headless recalculates the templates, pdftoppm renders their PDF.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh

pakete="libreoffice-calc poppler-utils fonts-liberation2"
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list 2>/dev/null | grep -q "Liberation Sans"; then
  als_root=""
  [ "$(id -u)" = 0 ] || als_root="sudo -n"
  if command -v apt-get >/dev/null; then
    echo "Installiere $pakete (für die Tests) …"
    $als_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $als_root apt-get install -y -qq --no-install-recommends $pakete >/dev/null
  else
    echo "Für die Tests fehlen LibreOffice Calc, pdftoppm oder die Liberation-Schriften ($pakete)." >&2
    exit 2
  fi
fi

.venv/bin/python -m pytest "$@"
