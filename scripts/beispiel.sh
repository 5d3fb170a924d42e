#!/usr/bin/env bash
# README command 1: set everything up and run the main job on the bundled example data:
# check the filled example workbooks (some contain deliberate mistakes) without Excel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh
status=0
.venv/bin/pyxl pruefen xlsx_templates/beispiele/*.xlsx || status=$?
# Exit 1 means "errors found" – expected here, the examples show the typical mistakes. 2 would be a failure.
if [ "$status" -ge 2 ]; then exit "$status"; fi
