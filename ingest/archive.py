"""The archive in use: settings, database, file store and search backend, opened once."""

from __future__ import annotations

from dataclasses import dataclass

from index.backend import SearchBackend
from index.backends import open_backend
from schemas.settings import Settings
from store.blobs import BlobStore
from store.db import Database


@dataclass
class Archive:
    """What every command and page works on. Open with `Archive.open(settings)`."""

    settings: Settings
    db: Database
    blobs: BlobStore
    backend: SearchBackend

    @classmethod
    def open(cls, settings: Settings) -> Archive:
        """Open (and create or migrate) the archive under `settings.home`."""
        settings.home.mkdir(parents=True, exist_ok=True)
        db = Database(settings)
        db.migrate()
        return cls(settings, db, BlobStore(settings.blob_dir), open_backend(settings))

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()
