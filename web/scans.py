"""Page images of a record's scan: PDF pages via pypdfium2, image originals via Pillow.

Images are cached under HOME/thumbs by the source's sha256, so the cache is
shared by every record and reader and needs no invalidation (content never
changes under a digest). Clearance is checked by the route before this runs.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr import sniff
from ocr.pages import PdfiumError, pdf_page_count, render_pdf_page
from schemas.errors import InputFileError, NotFound
from schemas.tables import Record
from store.blobs import BlobStore

DPI = 100
MAX_SIDE = 2400  # pixels; a poster-sized page is scaled down, never rendered huge
IMAGE_SIDE = 1200  # an A4 scan at 300 dpi shown at about 100 dpi
UNREADABLE = "แสดงภาพหน้านี้ไม่ได้ ไฟล์อาจเสียหาย (cannot render this page)"


@dataclass(frozen=True)
class ScanSource:
    """The file whose pages are shown: the archival PDF, an original PDF, or an image."""

    sha256: str
    path: Path
    kind: str  # "pdf" | "image"


def scan_source(blobs: BlobStore, record: Record) -> ScanSource | None:
    """What to show as the record's pages; None when the original has no pages (text, docx)."""
    if record.archival_sha256:
        return ScanSource(record.archival_sha256, blobs.path_for(record.archival_sha256), "pdf")
    stored = record.file
    if stored is None:
        return None
    if stored.mime == sniff.PDF:
        return ScanSource(stored.sha256, blobs.path_for(stored.sha256), "pdf")
    if stored.mime in sniff.IMAGES:
        return ScanSource(stored.sha256, blobs.path_for(stored.sha256), "image")
    return None


class PageRenderer:
    """Renders and caches page PNGs (PDFium calls are serialised in ocr.pages)."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._lock = threading.Lock()

    def page_count(self, source: ScanSource, known: int = 0) -> int:
        """Number of pages of `source` (`known` from the record is trusted when set)."""
        if known > 0:
            return known
        try:
            with self._lock:
                if source.kind == "pdf":
                    return pdf_page_count(source.path)
                with Image.open(source.path) as image:
                    return int(getattr(image, "n_frames", 1))
        except (PdfiumError, UnidentifiedImageError, OSError):
            return 0

    def png(self, source: ScanSource, number: int, dpi: int = DPI) -> Path:
        """The cached PNG of page `number` (1-based), rendered on first request.

        `dpi` above the default is for crops (the review queue reads a line at 200 dpi).

        Raises:
            NotFound: there is no such page.
            InputFileError: the file cannot be rendered.
        """
        target = self.cache_dir / f"{source.sha256}-{number}-{dpi}.png"
        if target.is_file():
            return target
        with self._lock:
            if target.is_file():
                return target
            image = self._render(source, number, dpi)
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".page-", suffix=".png", dir=self.cache_dir)
            try:
                with os.fdopen(fd, "wb") as out:
                    image.save(out, format="PNG", optimize=True)
                os.replace(tmp, target)
            finally:
                Path(tmp).unlink(missing_ok=True)
        return target

    def _render(self, source: ScanSource, number: int, dpi: int = DPI) -> Image.Image:
        if number < 1:
            raise NotFound("ไม่พบหน้าที่ต้องการ (no such page)")
        try:
            if source.kind == "pdf":
                return render_pdf_page(source.path, number, dpi=dpi,
                                       max_side=MAX_SIDE * dpi // DPI)
            return _render_image_frame(source.path, number, IMAGE_SIDE * dpi // DPI)
        except IndexError as exc:
            raise NotFound("ไม่พบหน้าที่ต้องการ (no such page)") from exc
        except (PdfiumError, UnidentifiedImageError, OSError,
                Image.DecompressionBombError) as exc:
            raise InputFileError(UNREADABLE, repr(exc)) from exc


def _render_image_frame(path: Path, number: int, side: int = IMAGE_SIDE) -> Image.Image:
    with Image.open(path) as image:
        frames = int(getattr(image, "n_frames", 1))
        if number > frames:
            raise NotFound("ไม่พบหน้าที่ต้องการ (no such page)")
        frame = ImageSequence.Iterator(image)[number - 1].copy()
    frame = frame.convert("RGB") if frame.mode not in ("RGB", "L") else frame
    frame.thumbnail((side, side))
    return frame
