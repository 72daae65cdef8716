"""The thin wrapper around opensearch-py: connecting from settings, and its errors as ours."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from schemas.errors import ConfigError, SearchUnavailable
from schemas.settings import Settings

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

INSTALL_HINT = "ติดตั้ง opensearch-py ก่อน (install opensearch-py: `uv pip install opensearch-py`)"


def connect(settings: Settings) -> OpenSearch:
    """A client for `settings.opensearch_url`, with credentials and TLS as configured.

    Connecting does not contact the server: an archive opens even while
    OpenSearch is down, and search reports itself degraded until it is back.
    """
    try:
        from opensearchpy import OpenSearch
    except ImportError as exc:  # optional in an embedded-only install
        raise ConfigError(INSTALL_HINT, str(exc)) from exc
    hosts = [h.strip() for h in settings.opensearch_url.split(",") if h.strip()]
    auth = (settings.opensearch_user, settings.opensearch_password) if settings.opensearch_user else None
    tls = any(h.startswith("https://") for h in hosts)
    options: dict[str, object] = {
        "hosts": hosts, "http_auth": auth, "timeout": settings.opensearch_timeout,
        "max_retries": 0, "retry_on_timeout": False,
        "pool_maxsize": 16,  # the web workers' threads and the outbox thread share it
    }
    if tls:
        options.update(use_ssl=True, verify_certs=settings.opensearch_verify_tls,
                       ssl_show_warn=settings.opensearch_verify_tls)
        if settings.opensearch_ca_file:
            if not settings.opensearch_ca_file.is_file():
                raise ConfigError(f"ไม่พบไฟล์ใบรับรอง CA {settings.opensearch_ca_file} "
                                  "(SARABAN_OPENSEARCH_CA_FILE names no file)")
            options["ca_certs"] = str(settings.opensearch_ca_file)
    return OpenSearch(**options)


@contextmanager
def unavailable_as_ours() -> Iterator[None]:
    """Turn "cannot reach / overloaded / failing" into SearchUnavailable; let bugs through.

    A 4xx other than 429 means the request itself is wrong (a bug), so it is
    not retried as an outage.
    """
    from opensearchpy.exceptions import ConnectionError as OsConnectionError
    from opensearchpy.exceptions import SSLError, TransportError

    try:
        yield
    except SSLError as exc:  # before ConnectionError, its parent: say it is the certificate
        raise SearchUnavailable("ตรวจสอบใบรับรอง TLS ของ OpenSearch ไม่ผ่าน (TLS certificate "
                                "not trusted: check SARABAN_OPENSEARCH_CA_FILE and the host name)",
                                str(exc)) from exc
    except OsConnectionError as exc:
        raise SearchUnavailable("ติดต่อ OpenSearch ไม่ได้ (OpenSearch cannot be reached)",
                                str(exc)) from exc
    except TransportError as exc:
        status = exc.status_code if isinstance(exc.status_code, int) else 0
        if status in (401, 403):  # retried too: a password fixed in place heals it
            raise SearchUnavailable("OpenSearch ปฏิเสธชื่อผู้ใช้หรือรหัสผ่าน (check "
                                    "SARABAN_OPENSEARCH_USER and SARABAN_OPENSEARCH_PASSWORD)",
                                    str(exc)) from exc
        if status == 429 or status >= 500 or status == 0:
            raise SearchUnavailable(f"OpenSearch ตอบข้อผิดพลาด {status} (OpenSearch failed)",
                                    str(exc)) from exc
        raise
