"""The intake pipeline: type router → text → Thai letter extraction.

Built with Haystack. The file is copied into its job folder under a safe
name whose extension matches its sniffed content, so the router can trust
the extension and a hostile original name never reaches a program.
"""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import shutil  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

from haystack import Document, Pipeline  # noqa: E402
from haystack.components.converters import (  # noqa: E402
    DOCXToDocument,
    HTMLToDocument,
    TextFileToDocument,
    XLSXToDocument,
)
from haystack.components.joiners import DocumentJoiner  # noqa: E402
from haystack.components.routers import FileTypeRouter  # noqa: E402
from haystack.core.errors import PipelineRuntimeError  # noqa: E402

from ingest.components import (  # noqa: E402
    ImageToText,
    OfficeTextCleaner,
    PdfToText,
    RecordWriter,
    ThaiLetterExtractor,
)
from ocr import sniff  # noqa: E402
from ocr.ocrmypdf_exec import OcrmypdfOptions  # noqa: E402
from ocr.pdfs import unsupported_message  # noqa: E402
from schemas.errors import InputFileError, OcrError, SarabanError  # noqa: E402
from schemas.letter import LetterMetadata  # noqa: E402
from schemas.settings import Settings  # noqa: E402

_SAFE_SUFFIX = {
    sniff.PDF: ".pdf", sniff.PNG: ".png", sniff.JPEG: ".jpg", sniff.GIF: ".gif",
    sniff.TIFF: ".tiff", sniff.BMP: ".bmp", sniff.WEBP: ".webp", sniff.DOCX: ".docx",
    sniff.XLSX: ".xlsx", sniff.HTML: ".html", sniff.TEXT: ".txt",
}
_OFFICE = {sniff.DOCX: DOCXToDocument, sniff.XLSX: XLSXToDocument, sniff.HTML: HTMLToDocument,
           sniff.TEXT: TextFileToDocument}


@dataclass
class Extraction:
    """The text and metadata of one file, as the pipeline produced them."""

    mime: str
    text: str
    raw_text: str
    method: str
    page_count: int
    metadata: LetterMetadata
    archival_pdf: Path | None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_pipeline(options: OcrmypdfOptions, max_pages: int,
                   writer: RecordWriter | None = None) -> Pipeline:
    """The Haystack pipeline from a file path to a document with letter metadata.

    With a `writer`, the pipeline ends by writing the results onto a record.
    """
    pipeline = Pipeline()
    pipeline.add_component("router", FileTypeRouter(
        mime_types=[sniff.PDF, r"image/.*", *_OFFICE]))
    pipeline.add_component("pdf", PdfToText(options, max_pages))
    pipeline.add_component("image", ImageToText(options, max_pages))
    pipeline.add_component("office_join", DocumentJoiner())
    pipeline.add_component("office_clean", OfficeTextCleaner())
    pipeline.add_component("join", DocumentJoiner())
    pipeline.add_component("extract", ThaiLetterExtractor())
    pipeline.connect(f"router.{sniff.PDF}", "pdf.sources")
    pipeline.connect("router.image/.*", "image.sources")
    for mime, converter in _OFFICE.items():
        name = converter.__name__.lower()
        pipeline.add_component(name, converter())
        pipeline.connect(f"router.{mime}", f"{name}.sources")
        pipeline.connect(f"{name}.documents", "office_join.documents")
    pipeline.connect("office_join.documents", "office_clean.documents")
    for source in ("pdf", "image", "office_clean"):
        pipeline.connect(f"{source}.documents", "join.documents")
    pipeline.connect("join.documents", "extract.documents")
    if writer is not None:
        pipeline.add_component("write", writer)
        pipeline.connect("extract.documents", "write.documents")
    return pipeline


class TextPipeline:
    """Runs the intake pipeline on one file at a time (thread-safe: one per thread)."""

    def __init__(self, settings: Settings, *, jobs_per_file: int = 1,
                 writer: RecordWriter | None = None) -> None:
        self.settings = settings
        options = OcrmypdfOptions(languages=settings.ocr_languages, jobs=jobs_per_file,
                                  timeout=settings.ocr_timeout)
        self.writes = writer is not None
        self.pipeline = build_pipeline(options, settings.max_pages, writer)

    def run(self, source: Path, work: Path, *, claimed_name: str = "",
            record_id: int | None = None) -> Extraction:
        """Extract text and metadata from `source`, using `work` as its job folder.

        With a writer, `record_id` names the record that receives the results.

        Raises:
            InputFileError: the file is empty, unsupported, corrupt, encrypted or too big.
            OcrError: OCR failed.
        """
        mime = sniff.sniff(source)
        if mime not in sniff.SUPPORTED:
            raise InputFileError(unsupported_message(mime) if mime != sniff.EMPTY
                                 else "ไฟล์ว่างเปล่า (the file is empty)")
        size_mb = source.stat().st_size / (1 << 20)
        if size_mb > self.settings.max_upload_mb:
            raise InputFileError(f"ไฟล์ใหญ่ {size_mb:.0f} MB เกินกำหนด "
                                 f"{self.settings.max_upload_mb} MB (file too large)")
        work.mkdir(parents=True, exist_ok=True)
        local = work / f"input{_SAFE_SUFFIX[mime]}"
        shutil.copyfile(source, local)
        warnings = _mislabel_warning(claimed_name or source.name, mime)
        data: dict[str, dict[str, object]] = {"router": {"sources": [str(local)]}}
        if self.writes:
            data["write"] = {"record_id": record_id}
        try:
            result = self.pipeline.run(data, include_outputs_from={"extract"})
        except PipelineRuntimeError as exc:
            raise _unwrap(exc) from exc
        documents: list[Document] = result.get("extract", {}).get("documents", [])
        if not documents:
            raise InputFileError(f"อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย (could not read this {mime} file)")
        return _extraction(mime, documents[0], warnings)


def _extraction(mime: str, doc: Document, warnings: list[str]) -> Extraction:
    meta = doc.meta
    archival = meta.get("archival_pdf")
    return Extraction(
        mime=mime,
        text=doc.content or "",
        raw_text=meta.get("raw_text", ""),
        method=meta.get("method", ""),
        page_count=int(meta.get("page_count") or 0),
        metadata=LetterMetadata.model_validate(meta["letter"]),
        archival_pdf=Path(archival) if archival else None,
        warnings=warnings + list(meta.get("warnings", [])),
        seconds=float(meta.get("seconds") or 0.0),
    )


def _mislabel_warning(name: str, mime: str) -> list[str]:
    claimed = sniff.expected_mime(name)
    if claimed and claimed != mime:
        return [f"นามสกุลไฟล์ไม่ตรงกับเนื้อไฟล์: ชื่อบอก {claimed} แต่เนื้อเป็น {mime} "
                f"(mislabelled file, read as {mime})"]
    return []


def _unwrap(exc: BaseException) -> SarabanError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, SarabanError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return OcrError("อ่านข้อความจากไฟล์ไม่สำเร็จ (text extraction failed)", repr(exc))
