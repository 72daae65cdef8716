"""What docker-compose.yml starts, started by the same commands outside Docker (issue 5).

The app (`saraban serve`) and the worker (`saraban worker`) run as separate
processes on one real PostgreSQL and one real OpenSearch, configured only
through SARABAN_* variables, as the compose file configures them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from schemas.settings import Settings
from servers import OPENSEARCH_VERSION, ROOT, free_port
from store.db import Database
from store.records import edit_record


def _env(tmp_path: Path, postgres_server, opensearch_node) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(ROOT), "HAYSTACK_TELEMETRY_ENABLED": "False",
        "SARABAN_HOME": str(tmp_path / "home"), "SARABAN_ENVIRONMENT": "production",
        "SARABAN_SECRET_KEY": "a-real-secret-for-the-deploy-test-0123456789",
        "SARABAN_DATABASE_URL": postgres_server.new_database("deploy"),
        "SARABAN_SEARCH": "opensearch", "SARABAN_OPENSEARCH_URL": opensearch_node.url,
        "SARABAN_OPENSEARCH_INDEX": "deploy", "SARABAN_OCR_WORKERS": "1",
    }


def _saraban(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def _poll(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)  # polling interval of a condition, not a synchronisation sleep


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_app_and_worker_processes_on_postgres_and_opensearch(tmp_path, postgres_server,
                                                             opensearch_node):
    env = _env(tmp_path, postgres_server, opensearch_node)
    port = free_port()
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("app", "worker")}
    # Started together, as compose does: the PostgreSQL advisory lock lets one migrate.
    app = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1",
                            "--port", str(port)], env=env, stdout=logs["app"],
                           stderr=subprocess.STDOUT)
    worker = subprocess.Popen([sys.executable, "-m", "cli", "worker", "--poll", "0.2"], env=env,
                              stdout=logs["worker"], stderr=subprocess.STDOUT)
    try:
        _poll(lambda: _http_ok(f"http://127.0.0.1:{port}/login") or app.poll() is not None,
              120, "the app's health check")
        assert app.poll() is None, (tmp_path / "app.log").read_text()

        letter = tmp_path / "letter.txt"
        letter.write_text("ที่ ศธ 04049/777\nเรื่อง ขอเชิญประชุมคณะกรรมการสถานศึกษาขั้นพื้นฐาน\n"
                          "เรียน ผู้อำนวยการโรงเรียนทุกแห่ง\nด้วยสำนักงานจะจัดประชุมคณะกรรมการ")
        ingested = _saraban(env, "ingest", str(letter), "--json")
        assert ingested.returncode == 0, ingested.stderr
        record_id = json.loads(ingested.stdout.splitlines()[0])["record_id"]

        # A person's correction from another process (a web worker); the worker indexes it.
        db = Database(Settings(home=tmp_path / "home", database_url=env["SARABAN_DATABASE_URL"]))
        with db.session() as session:
            edit_record(session, record_id, {"subject": "ขอเชิญประชุมคณะกรรมการลูกเสือจังหวัด"},
                        actor="clerk")
        db.dispose()

        def delivered() -> dict | None:
            done = _saraban(env, "index", "status", "--json")
            report = json.loads(done.stdout)
            return report if report["pending"] == 0 and report["documents"] == 1 else None

        report = _poll(delivered, 120, "the worker to deliver the edit")
        assert report["backend"] == "opensearch" and report["degraded"] is False
        found = _saraban(env, "search", "ลูกเสือ", "--json", "--clearance", "top_secret")
        assert [h["record_id"] for h in json.loads(found.stdout)["hits"]] == [record_id]
    finally:
        for process in (worker, app):
            process.send_signal(signal.SIGTERM)
        worker_rc, app_rc = worker.wait(60), app.wait(60)
        for log in logs.values():
            log.close()
    assert worker_rc == 0, (tmp_path / "worker.log").read_text()
    assert app_rc in (0, -signal.SIGTERM)


def test_compose_runs_the_commands_and_settings_tested_here():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["app"]["command"][:2] == ["saraban", "serve"]
    assert services["worker"]["command"] == ["saraban", "worker"]
    for name in ("app", "worker", "postgres", "opensearch"):
        assert "healthcheck" in services[name], name
    env = services["app"]["environment"]
    assert env == services["worker"]["environment"]
    fields = {f"SARABAN_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields  # every variable the compose file sets is a real setting
    assert env["SARABAN_SEARCH"] == "opensearch" and env["SARABAN_OPENSEARCH_URL"].startswith("https")
    assert "OPENSEARCH_INITIAL_ADMIN_PASSWORD" in services["opensearch"]["environment"]
    # Production runs the OpenSearch version the tests run (plain and secured).
    assert services["opensearch"]["image"] == f"opensearchproject/opensearch:{OPENSEARCH_VERSION}"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [f"SARABAN_{name.upper()}" for name in Settings.model_fields
               if f"SARABAN_{name.upper()}" not in readme]
    assert missing == []
