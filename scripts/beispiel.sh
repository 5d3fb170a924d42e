#!/usr/bin/env bash
# README command 1: set everything up and run the main job on the bundled example data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh
.venv/bin/pyxl demo
