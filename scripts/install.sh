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
OPENSEARCH_VERSION=2.19.4
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

java_home() {  # the system JDK, for the plugin tools (the integ-test zip bundles none)
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

# A second home with the security plugin on, so the tests also run against a
# node that demands TLS and a password (issue 5). The plugin is published on
# Maven Central for 2.19.4, hence OPENSEARCH_VERSION. Its own CA, node and
# admin certificates are made here with openssl; a random test password is
# hashed with the plugin's tools/hash.sh and kept beside the home (0600).
install_secure_opensearch() {
  local dir=.cache/opensearch plain=".cache/opensearch/opensearch-$OPENSEARCH_VERSION"
  local home="$dir/secure-$OPENSEARCH_VERSION"
  local plugin="$dir/opensearch-security-$OPENSEARCH_VERSION.0.zip"
  [[ -f "$home/.saraban-ready" ]] && return 0
  if [[ ! -f "$plugin" ]]; then
    echo "==> downloading the OpenSearch security plugin $OPENSEARCH_VERSION.0 from Maven Central"
    fetch_verified "$OPENSEARCH_PLUGINS/opensearch-security/$OPENSEARCH_VERSION.0/opensearch-security-$OPENSEARCH_VERSION.0.zip" "$plugin"
  fi
  echo "==> preparing a secured OpenSearch home in $home"
  rm -rf "$home.part" && cp -a "$plain" "$home.part"
  local jdk; jdk=$(java_home)
  JAVA_HOME="$jdk" OPENSEARCH_PATH_CONF="$home.part/config" \
    "$home.part/bin/opensearch-plugin" install --batch --silent "file://$PWD/$plugin"
  local conf="$home.part/config" sec="$home.part/config/opensearch-security"
  local subj="/O=Saraban Test/OU=Archive"
  (
    cd "$conf" && umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -subj "$subj/CN=Saraban Test Root CA" \
      -keyout root-ca-key.pem -out root-ca.pem 2>/dev/null
    for who in node admin; do
      openssl req -newkey rsa:2048 -nodes -sha256 -subj "$subj/CN=$who.saraban.test" \
        -keyout "$who-key.raw.pem" -out "$who.csr" 2>/dev/null
      openssl pkcs8 -topk8 -nocrypt -in "$who-key.raw.pem" -out "$who-key.pem"
      if [[ $who == node ]]; then
        printf 'subjectAltName=DNS:localhost,DNS:node.saraban.test,IP:127.0.0.1,RID:1.2.3.4.5.5\nextendedKeyUsage=serverAuth,clientAuth\n' > ext.cnf
      else
        printf 'extendedKeyUsage=clientAuth\n' > ext.cnf
      fi
      openssl x509 -req -in "$who.csr" -CA root-ca.pem -CAkey root-ca-key.pem -CAcreateserial \
        -days 3650 -sha256 -extfile ext.cnf -out "$who.pem" 2>/dev/null
      rm -f "$who-key.raw.pem" "$who.csr" ext.cnf
    done
    rm -f root-ca-key.pem root-ca.srl  # nothing else is ever signed with it
    chmod 644 root-ca.pem node.pem admin.pem
  )
  cat >> "$conf/opensearch.yml" <<'YML'
# Security plugin (issue 5): TLS on HTTP and transport, passwords from the
# internal user database, initialised from config/opensearch-security on first start.
plugins.security.ssl.transport.pemcert_filepath: node.pem
plugins.security.ssl.transport.pemkey_filepath: node-key.pem
plugins.security.ssl.transport.pemtrustedcas_filepath: root-ca.pem
plugins.security.ssl.transport.enforce_hostname_verification: false
plugins.security.ssl.http.enabled: true
plugins.security.ssl.http.pemcert_filepath: node.pem
plugins.security.ssl.http.pemkey_filepath: node-key.pem
plugins.security.ssl.http.pemtrustedcas_filepath: root-ca.pem
plugins.security.allow_default_init_securityindex: true
plugins.security.authcz.admin_dn: ["CN=admin.saraban.test,OU=Archive,O=Saraban Test"]
plugins.security.nodes_dn: ["CN=node.saraban.test,OU=Archive,O=Saraban Test"]
plugins.security.audit.type: noop
plugins.security.restapi.roles_enabled: ["all_access"]
YML
  local password hash
  password="Sa-$(openssl rand -hex 12)-1"
  hash=$(JAVA_HOME="$jdk" SARABAN_TEST_OS_PASSWORD="$password" \
    bash "$home.part/plugins/opensearch-security/tools/hash.sh" -env SARABAN_TEST_OS_PASSWORD | tail -n 1)
  [[ "$hash" == \$2* ]] || { echo "hash.sh gave no bcrypt hash" >&2; exit 1; }
  cat > "$sec/internal_users.yml" <<USERS
---
_meta:
  type: "internalusers"
  config_version: 2
saraban:
  hash: "$hash"
  reserved: false
  backend_roles: ["admin"]
  description: "The archive's test user (password in ../../saraban-test.password)"
USERS
  (umask 077 && printf '%s\n' "$password" > "$home.part/saraban-test.password")
  touch "$home.part/.saraban-ready"
  rm -rf "$home" && mv "$home.part" "$home"
  echo "==> secured OpenSearch $OPENSEARCH_VERSION ready in $home (user saraban, CA config/root-ca.pem)"
}
(( want_test )) && install_opensearch && install_secure_opensearch
# PostgreSQL and OpenSearch refuse to run as root: when the tests run as
# root, tests/servers.py starts them as this unprivileged user.
if (( want_test )) && [[ $(id -u) -eq 0 ]] && ! id saraban-test >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin saraban-test
fi

echo "==> installed: $(.venv/bin/saraban --help >/dev/null && echo saraban OK)"
