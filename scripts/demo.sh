#!/usr/bin/env bash
# README command 1: install everything, then ingest the sample letters and serve the web UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/saraban demo "$@"
