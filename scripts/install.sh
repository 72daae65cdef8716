#!/usr/bin/env bash
# Installs everything Saraban Archive needs on Debian 12, idempotently:
# apt packages (only those missing), a virtualenv at .venv, the locked Python
# packages and the project itself. `--test` adds what the test suite needs.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-dev
  tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng
  ghostscript unpaper pngquant qpdf poppler-utils
  fonts-thai-tlwg fonts-dejavu-core
)
TEST_APT_PACKAGES=(chromium)

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1
packages=("${APT_PACKAGES[@]}")
(( want_test )) && packages+=("${TEST_APT_PACKAGES[@]}")

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  echo "==> apt: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
if [[ ! -x .venv/bin/uv ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.8
fi
stamp=.venv/.saraban-lock.sha256
lock_sum=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "==> installing locked Python packages"
  VIRTUAL_ENV=.venv .venv/bin/uv pip install -q -r requirements.lock
  VIRTUAL_ENV=.venv .venv/bin/uv pip install -q --no-deps -e .
  echo "$lock_sum" > "$stamp"
fi
echo "==> installed: $(.venv/bin/saraban --help >/dev/null && echo saraban OK)"
