"""Real PostgreSQL and OpenSearch servers for the tests (issue 5), started on loopback.

Each server runs in the test session's own temporary directory, on a free
port, and is stopped at the end. Both refuse to run as root, so when the
tests run as root the servers run as the unprivileged `saraban-test` user
that `scripts/install.sh --test` creates. Readiness is polled (pg_isready,
cluster health); nothing waits a fixed time.
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _opensearch_version() -> str:
    """OPENSEARCH_VERSION of scripts/install.sh: the one place the version is set."""
    found = re.search(r"^OPENSEARCH_VERSION=([0-9.]+)$",
                      (ROOT / "scripts" / "install.sh").read_text(), re.MULTILINE)
    assert found, "OPENSEARCH_VERSION= is missing from scripts/install.sh"
    return found.group(1)


OPENSEARCH_VERSION = _opensearch_version()
OPENSEARCH_HOME = ROOT / ".cache" / "opensearch" / f"opensearch-{OPENSEARCH_VERSION}"
# The same version with the security plugin, TLS and a password (install.sh prepares it).
SECURE_OPENSEARCH_HOME = ROOT / ".cache" / "opensearch" / f"secure-{OPENSEARCH_VERSION}"
SECURE_OPENSEARCH_USER = "saraban"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SERVICE_USER = "saraban-test"
INSTALL_HINT = "run `bash scripts/install.sh --test` first"


class ServerUnavailable(RuntimeError):
    """A server could not be installed or started; the message says why."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_service_user() -> dict[str, object]:
    """Popen arguments that run the server as the service user when we are root.

    Popen drops privileges itself (no runuser/su wrapper), so `process.pid`
    is the server and signals reach it directly.
    """
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError as exc:
        raise ServerUnavailable(f"user {SERVICE_USER} is missing; {INSTALL_HINT}") from exc
    return {"user": SERVICE_USER, "group": SERVICE_USER, "extra_groups": []}


def _give_to_service_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, SERVICE_USER, SERVICE_USER)
        for child in path.rglob("*"):
            shutil.chown(child, SERVICE_USER, SERVICE_USER)


def server_root(prefix: str) -> Path:
    """A fresh directory the service user can reach (pytest's own tmp is root-only, 0700)."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix=f"saraban-{prefix}-"))
    root.chmod(0o755)
    return root


def _wait_for(what: str, ready, process: subprocess.Popen, log: Path, timeout: float) -> None:  # type: ignore[no-untyped-def]
    """Poll `ready()` until it is true; fail early if the process died."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while time.monotonic() < deadline:
        if ready():
            return
        if process.poll() is not None and not ready():
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise ServerUnavailable(f"{what} exited with {process.returncode}:\n{tail}")
        time.sleep(delay)  # polling interval of a readiness check, not a synchronisation sleep
        delay = min(delay * 1.5, 0.5)
    raise ServerUnavailable(f"{what} not ready after {timeout:.0f} s")


# -- PostgreSQL -------------------------------------------------------------
@dataclass
class Postgres:
    """A PostgreSQL server in its own data directory."""

    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None  # type: ignore[type-arg]
    _databases: int = 0

    @property
    def socket_dir(self) -> Path:
        """Where the server puts its unix socket."""
        return self.root / "run"

    def start(self) -> Postgres:
        """initdb (once) and start the server; returns when it accepts connections."""
        if not (PG_BIN / "initdb").exists():
            raise ServerUnavailable(f"PostgreSQL 15 is not installed; {INSTALL_HINT}")
        data = self.root / "data"
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        _give_to_service_user(self.root)
        if not (data / "PG_VERSION").exists():
            subprocess.run([
                str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                check=True, capture_output=True, cwd=self.root, **_as_service_user())
        log = self.root / "postgres.log"
        self.process = subprocess.Popen([
            str(PG_BIN / "postgres"), "-D", str(data), "-p", str(self.port),
            "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.socket_dir}",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200", "-c", "shared_buffers=64MB"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True, cwd=self.root,
            **_as_service_user())
        _wait_for("PostgreSQL", self._ready, self.process, log, 60)
        return self

    def _ready(self) -> bool:
        done = subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", "postgres", "-q"], check=False)
        return done.returncode == 0

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3) of a database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "t") -> str:
        """Create a fresh, empty database and return its SQLAlchemy URL."""
        import psycopg

        self._databases += 1
        name = f"{prefix}{os.getpid()}_{self._databases}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then wait for it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- OpenSearch -------------------------------------------------------------
def find_java_home() -> Path:
    """The system JDK: JAVA_HOME, else Debian's Java 17, else `java` on PATH."""
    candidates = [os.environ.get("JAVA_HOME", ""), "/usr/lib/jvm/java-17-openjdk-amd64",
                  "/usr/lib/jvm/java-17-openjdk-arm64"]
    java = shutil.which("java")
    if java:
        candidates.append(str(Path(java).resolve().parents[1]))
    for candidate in candidates:
        if candidate and (Path(candidate) / "bin" / "java").exists():
            return Path(candidate)
    raise ServerUnavailable("no Java found (install openjdk-17-jre-headless)")


@dataclass
class OpenSearchNode:
    """A single-node OpenSearch cluster in its own directory: no security plugin, plain HTTP."""

    root: Path
    heap: str = "512m"
    #: CPUs the JVM may use (its thread pools size from this); None: all of them.
    #: Tests keep one so a node leaves the other core to pytest.
    processors: int | None = 1
    port: int = field(default_factory=free_port)
    transport_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None  # type: ignore[type-arg]
    home = OPENSEARCH_HOME
    scheme = "http"

    @property
    def url(self) -> str:
        """The HTTP endpoint."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def _extra_settings(self) -> list[str]:
        """opensearch.yml lines beyond the per-node ones (none for the plain node)."""
        return []

    def _configure(self) -> Path:
        conf = self.root / "config"
        if not conf.exists():
            self._copy_config(conf)
        # Written at every start: a kept node folder (bench/search.py --node-dir)
        # starts again on new free ports.
        (conf / "opensearch.yml").write_text("\n".join([
            "cluster.name: saraban-test",
            "node.name: test-node",
            "discovery.type: single-node",
            "network.host: 127.0.0.1",
            f"http.port: {self.port}",
            f"transport.port: {self.transport_port}",
            f"path.data: {self.root / 'data'}",
            f"path.logs: {self.root / 'logs'}",
            # The test disk is shared and may be fuller than production thresholds.
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",
            *self._extra_settings(),
            "",
        ]))
        _give_to_service_user(self.root)
        return conf

    def _copy_config(self, conf: Path) -> None:
        source = self.home / "config"
        shutil.copytree(source, conf)
        for name in ("data", "logs", "tmp"):
            (self.root / name).mkdir(exist_ok=True)
        # The shipped jvm.options write GC logs and dumps relative to the
        # install folder, which the service user may not write to.
        options = []
        for line in (source / "jvm.options").read_text().splitlines():
            if "gc.log" in line or line.startswith(("-Xms", "-Xmx")):
                continue
            line = line.replace("HeapDumpPath=data", f"HeapDumpPath={self.root / 'data'}")
            line = line.replace("ErrorFile=logs/", f"ErrorFile={self.root / 'logs'}/")
            options.append(line)
        (conf / "jvm.options").write_text("\n".join(options) + "\n")

    def start(self) -> OpenSearchNode:
        """Start the node (reusing its data) and return when the cluster is yellow or green."""
        if not (self.home / "bin" / "opensearch").exists():
            raise ServerUnavailable(f"OpenSearch {OPENSEARCH_VERSION} is not in {self.home}; "
                                    f"{INSTALL_HINT}")
        conf = self._configure()
        cpus = f" -XX:ActiveProcessorCount={self.processors}" if self.processors else ""
        env = {**os.environ, "OPENSEARCH_PATH_CONF": str(conf),
               "OPENSEARCH_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}{cpus}",
               "JAVA_HOME": str(find_java_home()), "OPENSEARCH_TMPDIR": str(self.root / "tmp")}
        env.pop("OPENSEARCH_JAVA_HOME", None)
        log = self.root / "logs" / "console.log"
        self.process = subprocess.Popen(
            [str(self.home / "bin" / "opensearch")],
            env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
            cwd=self.root, **_as_service_user())
        _wait_for("OpenSearch", self.healthy, self.process, log, 180)
        return self

    def _open(self, path: str):  # type: ignore[no-untyped-def]
        return urllib.request.urlopen(f"{self.url}{path}", timeout=2)

    def healthy(self) -> bool:
        """Whether the cluster answers with status yellow or green."""
        try:
            with self._open("/_cluster/health") as response:
                return json.load(response).get("status") in ("yellow", "green")
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def kill(self) -> None:
        """Kill the node at once (SIGKILL), as a crash or a pulled plug would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """Stop the node (SIGTERM, then SIGKILL if it lingers)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class SecureOpenSearchNode(OpenSearchNode):
    """A single node with the security plugin on: HTTPS only, basic auth, the test CA.

    Its home, certificates, security configuration and the test user's random
    password are made by `scripts/install.sh --test`; the security index is
    initialised from that configuration when the node first starts.
    """

    home = SECURE_OPENSEARCH_HOME
    scheme = "https"
    user = SECURE_OPENSEARCH_USER

    @property
    def ca_file(self) -> Path:
        """The CA (PEM) that signed the node's certificate."""
        return self.home / "config" / "root-ca.pem"

    @property
    def password(self) -> str:
        """The test user's password (kept 0600 beside the home, never in the repository)."""
        secret = self.home / "saraban-test.password"
        if not secret.exists():
            raise ServerUnavailable(f"{secret} is missing; {INSTALL_HINT}")
        return secret.read_text().strip()

    def _extra_settings(self) -> list[str]:
        if not (self.home / ".saraban-ready").exists():
            raise ServerUnavailable(f"the secured OpenSearch home {self.home} is not ready; "
                                    f"{INSTALL_HINT}")
        own = (self.home / "config" / "opensearch.yml").read_text().splitlines()
        return [line for line in own if line.startswith("plugins.security.")]

    def _open(self, path: str):  # type: ignore[no-untyped-def]
        context = ssl.create_default_context(cafile=str(self.ca_file))
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(f"{self.url}{path}",
                                         headers={"Authorization": f"Basic {token}"})
        return urllib.request.urlopen(request, timeout=2, context=context)
