#!/usr/bin/env bash
# Screenshots for docs/excel.md and docs/pruefstelle.md — the task pane: the page served by the real `pyxl serve`, rendered in
# headless Chromium. Outside Excel, Office.js (Microsoft's CDN) is blocked on purpose — the page then says that it
# runs outside Excel, which the screenshot shows honestly. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium fehlt: bitte 'apt-get install chromium' ausführen." >&2
    exit 2
  fi
fi

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
protokoll=$(mktemp)
.venv/bin/pyxl serve --port "$port" >"$protokoll" 2>&1 &
server=$!
profil=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profil" "$protokoll"' EXIT
for _ in $(seq 100); do
  .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/gesund', timeout=1)" \
    2>/dev/null && break
  sleep 0.2
done

aufnahme() {  # aufnahme DATEI BREITE HOEHE PFAD
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profil" \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
    --window-size="$2,$3" --screenshot="docs/bilder/$1" "http://127.0.0.1:$port$4" 2>/dev/null
  echo "geschrieben: docs/bilder/$1"
}

mkdir -p docs/bilder
aufnahme aufgabenbereich.png 380 760 /taskpane.html
aufnahme aufgabenbereich_funktionen.png 380 1600 "/taskpane.html#funktionen"

# The web desk (docs/pruefstelle.md): the browser test signs in, uploads and reads the result by keyboard,
# saving each page as it goes (chromium-driver and axe-core as for the test suite).
if ! command -v chromedriver >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver >/dev/null
fi
[ -f tests/browser/node_modules/axe-core/axe.min.js ] || npm ci --prefix tests/browser --no-audit --no-fund
PYXL_BILDER=docs/bilder .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_pruefstelle_browser.py -k keyboard
echo "geschrieben: docs/bilder/pruefstelle_*.png"
