"""One settings class for the whole product, read from SARABAN_* variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-change-me"


def _default_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "saraban"


class Settings(BaseSettings):
    """Settings of one archive; pass an instance in, never import a singleton.

    Every field is read from the environment variable `SARABAN_<NAME>`.
    """

    model_config = SettingsConfigDict(env_prefix="SARABAN_", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Data directory: database, file store, search index, logs.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is SQLite at HOME/saraban.db.",
    )
    secret_key: str = Field(
        default=DEV_SECRET,
        description="Signs session cookies. Must be set outside development.",
    )
    environment: str = Field(
        default="development", description="development or production."
    )
    ocr_languages: str = Field(default="tha+eng", description="Tesseract languages.")
    ocr_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Files OCR'd at once, each single-threaded; 0 means one per core.",
    )
    ocr_timeout: int = Field(
        default=600, ge=10, description="Seconds one file may spend in OCR before it fails."
    )
    max_upload_mb: int = Field(default=200, ge=1, description="Largest accepted file, in MiB.")
    max_pages: int = Field(default=200, ge=1, description="Most pages OCR'd in one file.")
    thai_digits: bool = Field(
        default=False, description="Show numbers in Thai digits (๐–๙) on screen."
    )
    office_name: str = Field(
        default="สำนักงานเขตพื้นที่การศึกษา", description="The office shown in headers."
    )
    search: Literal["embedded", "opensearch"] = Field(
        default="embedded",
        description="Search backend: embedded (Tantivy in HOME/index) or opensearch.",
    )
    opensearch_url: str = Field(
        default="http://127.0.0.1:9200",
        description="OpenSearch endpoint(s), comma-separated, when SEARCH=opensearch.",
    )
    opensearch_user: str = Field(default="", description="OpenSearch user (security plugin).")
    opensearch_password: str = Field(default="", description="OpenSearch password.")
    opensearch_verify_tls: bool = Field(
        default=True, description="Check the OpenSearch server's TLS certificate."
    )
    opensearch_ca_file: Path | None = Field(
        default=None, description="CA certificate (PEM) that signed the OpenSearch certificate."
    )
    opensearch_index: str = Field(
        default="saraban-records",
        pattern=r"^[a-z][a-z0-9_-]{0,80}$",
        description="Alias searched and written; versioned indices are named ALIAS-v*.",
    )
    opensearch_shards: int = Field(default=1, ge=1, le=64, description="Primary shards.")
    opensearch_replicas: int = Field(default=0, ge=0, le=8, description="Replicas per shard.")
    opensearch_timeout: float = Field(
        default=10.0, gt=0, description="Seconds one OpenSearch request may take."
    )
    review_threshold: float = Field(
        default=0.8, ge=0.0, le=1.0,
        description="A field read with less confidence (or not read) puts its record in the "
                    "review queue.",
    )

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("opensearch_ca_file", mode="before")
    @classmethod
    def _empty_ca_file_is_none(cls, value: object) -> object:
        # docker-compose passes `${SARABAN_OPENSEARCH_CA_FILE:-}`: empty means "no CA file",
        # not the current directory.
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("SARABAN_SECRET_KEY must be set in production")
        return self

    @property
    def db_url(self) -> str:
        """The database URL in force."""
        return self.database_url or f"sqlite:///{self.home / 'saraban.db'}"

    @property
    def blob_dir(self) -> Path:
        """Root of the content-addressed file store."""
        return self.home / "files"

    @property
    def index_dir(self) -> Path:
        """Directory of the embedded search index."""
        return self.home / "index"

    @property
    def thumb_dir(self) -> Path:
        """Cache of rendered page images (by the source file's sha256)."""
        return self.home / "thumbs"

    @property
    def work_dir(self) -> Path:
        """Scratch space for jobs (per-job folders)."""
        return self.home / "work"

    def workers(self) -> int:
        """Number of files processed at once."""
        return self.ocr_workers or (os.cpu_count() or 1)
