#!/usr/bin/env bash
# Screenshots of the add-in's task pane for docs/excel.md: the page served by the real `pyxl serve`, rendered in
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
