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
TEST_APT_PACKAGES=(chromium postgresql openjdk-17-jre-headless)
# The real OpenSearch node the tests start (issue 5): the minimal integ-test
# distribution from Maven Central, run on the system Java 17.
OPENSEARCH_VERSION=2.19.6
OPENSEARCH_MAVEN=https://repo1.maven.org/maven2/org/opensearch/distribution/integ-test-zip/opensearch
OPENSEARCH_PLUGINS=https://repo1.maven.org/maven2/org/opensearch/plugin

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
fetch_verified() {  # URL DEST: download, then check the .sha512 published beside it
  curl -fsSL -o "$2.part" "$1"
  local want
  want=$(curl -fsSL "$1.sha512" | cut -c1-128)
  if [[ "$(sha512sum "$2.part" | cut -d' ' -f1)" != "$want" ]]; then
    rm -f "$2.part"
    echo "download of $1 failed its sha512 check; run the command again" >&2
    exit 1
  fi
  mv "$2.part" "$2"
}

install_opensearch() {
  local dir=.cache/opensearch zip=".cache/opensearch/opensearch-$OPENSEARCH_VERSION.zip"
  local home="$dir/opensearch-$OPENSEARCH_VERSION"
  [[ -x "$home/bin/opensearch" ]] && return 0
  mkdir -p "$dir"
  if [[ ! -f "$zip" ]]; then
    echo "==> downloading OpenSearch $OPENSEARCH_VERSION (integ-test-zip) from Maven Central"
    fetch_verified "$OPENSEARCH_MAVEN/$OPENSEARCH_VERSION/opensearch-$OPENSEARCH_VERSION.zip" "$zip"
  fi
  rm -rf "$home.part" && mkdir -p "$home.part"
  .venv/bin/python -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$home.part"
  # The integ-test zip carries no analysis modules; the `thai` tokenizer,
  # `mapping` char filter and `whitespace` analyzer live in analysis-common,
  # published on Maven Central as a jar: install it as a module.
  local jar="$home.part/analysis-common-$OPENSEARCH_VERSION.jar"
  fetch_verified "$OPENSEARCH_PLUGINS/analysis-common/$OPENSEARCH_VERSION/analysis-common-$OPENSEARCH_VERSION.jar" "$jar"
  local module="$home.part/opensearch-$OPENSEARCH_VERSION/modules/analysis-common"
  mkdir -p "$module" && mv "$jar" "$module/"
  cat > "$module/plugin-descriptor.properties" <<PROPS
description=Adds "built in" analyzers to OpenSearch.
version=$OPENSEARCH_VERSION
name=analysis-common
classname=org.opensearch.analysis.common.CommonAnalysisPlugin
java.version=11
opensearch.version=$OPENSEARCH_VERSION
extended.plugins=
has.native.controller=false
PROPS
  mv "$home.part/opensearch-$OPENSEARCH_VERSION" "$home" && rmdir "$home.part"
  chmod +x "$home"/bin/* 2>/dev/null || true
  echo "==> OpenSearch $OPENSEARCH_VERSION unpacked in $home"
}
(( want_test )) && install_opensearch
# PostgreSQL and OpenSearch refuse to run as root: when the tests run as
# root, tests/servers.py starts them as this unprivileged user.
if (( want_test )) && [[ $(id -u) -eq 0 ]] && ! id saraban-test >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin saraban-test
fi

echo "==> installed: $(.venv/bin/saraban --help >/dev/null && echo saraban OK)"
