"""Content-addressed file store: files live under their sha256, written atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of the file at `path`, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore:
    """Files named by their sha256 under `root/ab/cd/<sha256>`.

    A blob is written to a temporary file in the same directory, flushed and
    fsynced, then renamed into place, so a crash never leaves a half-written
    file under a real name; the directory is fsynced after the rename.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path) -> tuple[str, int]:
        """Store a copy of `source`; return its (sha256, size). Idempotent."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            self._move_into_place(tmp, sha)
            return sha, size
        finally:
            tmp.unlink(missing_ok=True)

    def put_bytes(self, data: bytes) -> str:
        """Store `data`; return its sha256."""
        with tempfile.NamedTemporaryFile(dir=self._scratch(), delete=False) as handle:
            handle.write(data)
        try:
            return self.put_file(Path(handle.name))[0]
        finally:
            Path(handle.name).unlink(missing_ok=True)

    def open(self, sha256: str):  # type: ignore[no-untyped-def]
        """Open a stored blob for reading (binary)."""
        return self.path_for(sha256).open("rb")

    def delete(self, sha256: str) -> bool:
        """Remove a blob for good; return whether it existed."""
        path = self.path_for(sha256)
        if not path.exists():
            return False
        path.unlink()
        return True

    def _move_into_place(self, tmp: Path, sha: str) -> None:
        final = self.path_for(sha)
        if final.exists():
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        _fsync_dir(final.parent)

    def _scratch(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_out(store: BlobStore, sha256: str, target: Path) -> Path:
    """Copy a blob to `target` (for tools that want a real path); return `target`."""
    with store.open(sha256) as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target
