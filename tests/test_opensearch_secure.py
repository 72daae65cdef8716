"""The archive on an OpenSearch node with the security plugin on: HTTPS, a password, a CA (issue 5).

The node (tests/servers.py SecureOpenSearchNode) is the production shape of
docker-compose.yml: TLS on 9200 with a certificate from a private CA, basic
auth against the internal user database. A wrong password or an untrusted
certificate must be reported plainly (search degraded, `index status`), and
the password must never appear in a message, a log line or the CLI's output.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import add_record
from index.backend import SearchRequest
from index.opensearch_backend import OpenSearchBackend
from index.outbox import deliver_all
from index.service import search
from ingest.archive import Archive
from schemas.enums import Secrecy
from schemas.errors import ConfigError, SearchUnavailable
from schemas.settings import Settings
from servers import ROOT, SecureOpenSearchNode
from store.outbox import lag

pytestmark = pytest.mark.opensearch
INDEX = "secure"
WRONG_PASSWORD = "Wrong-Pass-4711!"


def _settings(node: SecureOpenSearchNode, home: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "home": home, "search": "opensearch", "opensearch_url": node.url,
        "opensearch_user": node.user, "opensearch_password": node.password,
        "opensearch_ca_file": node.ca_file, "opensearch_index": INDEX, "opensearch_timeout": 5,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def _secrets(node: SecureOpenSearchNode) -> list[str]:
    """Everything that must never be shown: the passwords, also as a basic-auth token."""
    found = []
    for password in (node.password, WRONG_PASSWORD):
        found += [password, base64.b64encode(f"{node.user}:{password}".encode()).decode()]
    return found


def _no_secret_in(text: str, node: SecureOpenSearchNode) -> None:
    for secret in _secrets(node):
        assert secret not in text


@pytest.fixture(scope="module")
def secure_archive(tmp_path_factory, secure_opensearch_node) -> Archive:
    """An archive whose search runs on the secured node, with two letters indexed."""
    settings = _settings(secure_opensearch_node, tmp_path_factory.mktemp("secure") / "home")
    archive = Archive.open(settings)
    archive.ids = [  # type: ignore[attr-defined]
        add_record(archive, subject="ขอเชิญประชุมคณะกรรมการสถานศึกษาขั้นพื้นฐาน",
                   number="ศธ 04049/321"),
        add_record(archive, subject="รายงานผลการตรวจสุขภาพนักเรียน", secrecy=Secrecy.secret),
    ]
    yield archive
    archive.close()


def test_an_archive_indexes_and_finds_a_record_over_https_with_a_password(secure_archive):
    assert isinstance(secure_archive.backend, OpenSearchBackend)
    with secure_archive.db.session() as session:
        assert lag(session).pending == 0  # both delivered through the outbox
    assert secure_archive.backend.count() == 2
    found = search(secure_archive.db, secure_archive.backend, SearchRequest(query="ประชุม"))
    assert found.degraded == ""
    assert [hit.record_id for hit in found.hits] == [secure_archive.ids[0]]
    # Clearance is still a filter inside the query on the secured cluster.
    hidden = search(secure_archive.db, secure_archive.backend, SearchRequest(query="สุขภาพ"))
    assert hidden.total == 0
    cleared = search(secure_archive.db, secure_archive.backend,
                     SearchRequest(query="สุขภาพ", clearance=Secrecy.secret))
    assert [hit.record_id for hit in cleared.hits] == [secure_archive.ids[1]]


def test_a_wrong_password_degrades_search_with_the_credentials_message(
        secure_archive, secure_opensearch_node, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, the client's own included
    node = secure_opensearch_node
    wrong = OpenSearchBackend(_settings(node, tmp_path, opensearch_password=WRONG_PASSWORD))
    with pytest.raises(SearchUnavailable) as raised:
        wrong.count()
    assert "SARABAN_OPENSEARCH_PASSWORD" in raised.value.message
    assert "401" in raised.value.detail
    response = search(secure_archive.db, wrong, SearchRequest(query="ประชุม"))
    assert response.total == 0 and "degraded" in response.degraded
    assert "SARABAN_OPENSEARCH_USER" in response.degraded
    # The outbox keeps the change, records why, and backs off; no secret on the way.
    wrong_archive = Archive.open(_settings(node, tmp_path / "home",
                                           opensearch_password=WRONG_PASSWORD))
    try:
        add_record(wrong_archive, subject="หนังสือระหว่างรหัสผ่านผิด")
        assert deliver_all(wrong_archive.db, wrong_archive.backend) == 0
        with wrong_archive.db.session() as session:
            behind = lag(session)
    finally:
        wrong_archive.close()
    assert behind.pending == 1 and "SARABAN_OPENSEARCH_PASSWORD" in behind.last_error
    for text in (raised.value.message, raised.value.detail, str(raised.value),
                 response.as_json(), behind.last_error, caplog.text):
        _no_secret_in(text, node)
    assert "401" in caplog.text  # the failure was logged, only without the password


def _other_ca(tmp_path: Path) -> Path:
    """A CA that never signed the node's certificate."""
    ca = tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=Some Other CA", "-keyout", str(tmp_path / "other-ca-key.pem"),
                    "-out", str(ca)], check=True, capture_output=True)
    return ca


@pytest.mark.parametrize("ca", ["wrong", "none"])
def test_an_untrusted_certificate_fails_loudly(ca, secure_opensearch_node, tmp_path):
    node = secure_opensearch_node
    ca_file = _other_ca(tmp_path) if ca == "wrong" else None  # none: the system's trust store
    backend = OpenSearchBackend(_settings(node, tmp_path, opensearch_ca_file=ca_file))
    with pytest.raises(SearchUnavailable) as raised:
        backend.count()
    assert "TLS" in raised.value.message and "SARABAN_OPENSEARCH_CA_FILE" in raised.value.message
    assert "CERTIFICATE_VERIFY_FAILED" in raised.value.detail
    _no_secret_in(raised.value.message + raised.value.detail, node)


def test_a_missing_ca_file_is_a_configuration_error(secure_opensearch_node, tmp_path):
    with pytest.raises(ConfigError, match="SARABAN_OPENSEARCH_CA_FILE"):
        OpenSearchBackend(_settings(secure_opensearch_node, tmp_path,
                                    opensearch_ca_file=tmp_path / "no-such-ca.pem"))


def test_an_empty_ca_file_setting_means_none(monkeypatch, tmp_path):
    # As docker-compose.yml passes it when .env sets no CA file.
    monkeypatch.setenv("SARABAN_OPENSEARCH_CA_FILE", "")
    assert Settings(home=tmp_path).opensearch_ca_file is None


def _index_status(node: SecureOpenSearchNode, home: Path, password: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAYSTACK_TELEMETRY_ENABLED": "False",
           "SARABAN_HOME": str(home), "SARABAN_SEARCH": "opensearch",
           "SARABAN_OPENSEARCH_URL": node.url, "SARABAN_OPENSEARCH_USER": node.user,
           "SARABAN_OPENSEARCH_PASSWORD": password, "SARABAN_OPENSEARCH_CA_FILE": str(node.ca_file),
           "SARABAN_OPENSEARCH_INDEX": INDEX}
    done = subprocess.run([sys.executable, "-m", "cli", "index", "status", "--json"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    _no_secret_in(done.stdout + done.stderr, node)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_index_status_against_the_secured_node(secure_archive, secure_opensearch_node):
    node, home = secure_opensearch_node, secure_archive.settings.home
    report = _index_status(node, home, node.password)
    assert report["backend"] == "opensearch" and report["reachable"] is True
    assert report["documents"] == 2 and report["records"] == 2 and report["pending"] == 0
    assert report["degraded"] is False
    refused = _index_status(node, home, WRONG_PASSWORD)
    assert refused["reachable"] is False and refused["degraded"] is True
    assert "SARABAN_OPENSEARCH_PASSWORD" in refused["last_error"]
