"""What a file really is, from its first bytes (never from its name)."""

from __future__ import annotations

import zipfile
from pathlib import Path

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
TIFF = "image/tiff"
BMP = "image/bmp"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html"
TEXT = "text/plain"
EMPTY = "application/x-empty"
EXECUTABLE = "application/x-executable"
UNKNOWN = "application/octet-stream"

IMAGES = frozenset({PNG, JPEG, GIF, TIFF, BMP, WEBP})
SUPPORTED = IMAGES | {PDF, DOCX, XLSX, HTML, TEXT}

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"BM", BMP),
    (b"\x7fELF", EXECUTABLE),
    (b"MZ", EXECUTABLE),
    (b"#!", EXECUTABLE),
)

EXTENSIONS = {
    ".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".gif": GIF, ".tif": TIFF,
    ".tiff": TIFF, ".bmp": BMP, ".webp": WEBP, ".docx": DOCX, ".xlsx": XLSX, ".html": HTML,
    ".htm": HTML, ".txt": TEXT,
}


def sniff(path: Path) -> str:
    """The MIME type of the file's content."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        return EMPTY
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if b"%PDF-" in head[:1024]:  # some scanners prepend junk before the header
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return _sniff_text(head)


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return UNKNOWN
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return "application/zip"


def _sniff_text(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a multi-byte character cut at the edge
            return UNKNOWN
        text = head[: exc.start].decode("utf-8")
    if "\x00" in text:
        return UNKNOWN
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return HTML
    return TEXT


def expected_mime(name: str) -> str | None:
    """The MIME type a file's extension claims, if we know the extension."""
    return EXTENSIONS.get(Path(name).suffix.lower())
