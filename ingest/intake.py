"""Files in: walk the paths, store each file once, queue its job. Nothing is lost."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.archive import Archive
from ocr import sniff
from store.records import intake_file


@dataclass
class FileOutcome:
    """One input file's fate in the CLI/API JSON contract."""

    file: str
    record_id: int | None
    status: str  # stored | duplicate | failed
    error: str = ""
    metadata: dict[str, object] | None = None
    job_id: int | None = None

    def as_json(self) -> dict[str, object]:
        """`{"file", "record_id", "status", "error", "metadata"}`."""
        return {"file": self.file, "record_id": self.record_id, "status": self.status,
                "error": self.error or None, "metadata": self.metadata}


def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under `paths` (folders recursively, hidden files skipped), sorted."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def add_file(archive: Archive, path: Path, *, actor: str, batch: str,
             original_name: str | None = None) -> FileOutcome:
    """Store one file and queue it; a file that cannot be read is reported, not raised."""
    label = str(path) if original_name is None else original_name
    try:
        mime = sniff.sniff(path)
        with archive.db.session() as session:
            result = intake_file(session, archive.blobs, path,
                                 original_name=original_name or path.name,
                                 original_path=str(path) if original_name is None else "",
                                 mime=mime, actor=actor, batch=batch)
    except OSError as exc:
        return FileOutcome(label, None, "failed",
                           f"อ่านไฟล์จากดิสก์ไม่ได้ (cannot read file: {exc.strerror})")
    status = "duplicate" if result.duplicate else "stored"
    return FileOutcome(label, result.record_id, status, job_id=result.job_id)
