"""Haystack components of the intake pipeline.

Components take configuration in `__init__` and data in `run()`. Text
components emit one `Document` per file whose `meta` carries what the
store keeps beside the text (raw text, method, pages, archival PDF).
"""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from pathlib import Path  # noqa: E402

from haystack import Document, component  # noqa: E402
from haystack.dataclasses import ByteStream  # noqa: E402

from ocr.clean import clean_thai_text  # noqa: E402
from ocr.ocrmypdf_exec import OcrmypdfOptions  # noqa: E402
from ocr.pdfs import read_pdf  # noqa: E402
from ocr.result import TextResult  # noqa: E402
from ocr.scans import ocr_image  # noqa: E402
from schemas.text import nfc  # noqa: E402


def _document(result: TextResult) -> Document:
    return Document(
        content=result.text,
        meta={
            "raw_text": result.raw_text,
            "method": result.method,
            "page_count": result.page_count,
            "archival_pdf": str(result.archival_pdf) if result.archival_pdf else None,
            "warnings": list(result.warnings),
            "seconds": result.seconds,
            "stamp_lines": list(result.stamp_lines),
            "number_line": result.number_line,
            "stamps": [list(lines) for lines in result.stamps],
            "lines": list(result.lines),
            "doubtful_digits": list(result.doubtful_digits),
        },
    )


@component
class PdfToText:
    """PDFs: the text layer where sound, ocrmypdf (PDF/A + sidecar) where not."""

    def __init__(self, options: OcrmypdfOptions, max_pages: int = 200) -> None:
        self.options = options
        self.max_pages = max_pages

    @component.output_types(documents=list[Document])
    def run(self, sources: list[str | Path | ByteStream]) -> dict[str, list[Document]]:
        """Read each PDF; its job folder (the file's parent) holds the work files."""
        return {"documents": [_document(read_pdf(Path(src), Path(src).parent, self.options,
                                                 self.max_pages)) for src in sources]}


@component
class ImageToText:
    """Images (jpg, png, tiff, gif, …) through ocrmypdf."""

    def __init__(self, options: OcrmypdfOptions, max_pages: int = 200) -> None:
        self.options = options
        self.max_pages = max_pages

    @component.output_types(documents=list[Document])
    def run(self, sources: list[str | Path | ByteStream]) -> dict[str, list[Document]]:
        """OCR each image; its job folder (the file's parent) holds the work files."""
        return {"documents": [_document(ocr_image(Path(src), Path(src).parent, self.options,
                                                  self.max_pages)) for src in sources]}


@component
class OfficeTextCleaner:
    """Normalise what Haystack's office converters read (NFC, ำ), keeping the raw text."""

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """Clean each converted document."""
        cleaned = []
        for doc in documents:
            raw = nfc(doc.content or "")
            result = TextResult(clean_thai_text(raw), raw, "office", 1)
            cleaned.append(_document(result))
        return {"documents": cleaned}


@component
class ThaiLetterExtractor:
    """Reads a Thai official letter's metadata off its text into `meta["letter"]`."""

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """Add extracted metadata (with per-field confidence) to each document."""
        from ingest.extract import extract_letter

        out = []
        for doc in documents:
            meta = extract_letter(doc.content or "", doc.meta.get("stamp_lines") or (),
                                  number_line=doc.meta.get("number_line"),
                                  stamps=doc.meta.get("stamps") or (),
                                  doubtful_digits=doc.meta.get("doubtful_digits") or ())
            out.append(Document(content=doc.content,
                                meta={**doc.meta, "letter": meta.model_dump(mode="json")}))
        return {"documents": out}


@component
class RecordWriter:
    """Writes a document's text and metadata onto its record, with the PDF/A, in one transaction."""

    def __init__(self, db, blobs) -> None:  # type: ignore[no-untyped-def]
        self.db = db
        self.blobs = blobs

    @component.output_types(record_id=int, status=str)
    def run(self, documents: list[Document], record_id: int) -> dict[str, object]:
        """Store the first document's results on record `record_id`."""
        from ingest.write import write_record

        status = write_record(self.db, self.blobs, record_id, documents[0])
        return {"record_id": record_id, "status": status}
