#!/usr/bin/env bash
# README command 2: set everything up and run all tests (extra pytest arguments are passed on).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/einrichten.sh
.venv/bin/python -m pytest "$@"
