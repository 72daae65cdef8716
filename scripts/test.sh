#!/usr/bin/env bash
# README command 2: install what the tests need, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export HAYSTACK_TELEMETRY_ENABLED=False
exec .venv/bin/python -m pytest "$@"
