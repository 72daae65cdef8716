"""Born-digital PDFs through pdfplumber, with a check for broken text layers.

A page whose text layer is unusable — no Thai where the page is mostly
glyph outlines, mojibake from a font with no Unicode map, Thai with ำ
missing — goes to OCR instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ocr.clean import clean_thai_text
from schemas.errors import InputFileError

_THAI = re.compile(r"[\u0e01-\u0e5b]")
_PRIVATE_OR_BAD = re.compile(r"[\ue000-\uf8ff\ufffd\u0080-\u009f]")
_LATIN_MOJIBAKE = re.compile(r"[ÃÂàáâãäåèéêëìíîïðñòóôõö÷øùúûüýþÿ]")
_LETTERS = re.compile(r"\S")  # any visible character
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")  # a glyph the PDF gives no Unicode for
_SARA_AA = "\u0e32"
_SARA_AM = "\u0e33"


@dataclass(frozen=True)
class PageText:
    """Text of one PDF page and whether it must be OCR'd instead."""

    number: int  # 1-based
    text: str
    broken: str = ""  # why the text layer is unusable, or "" when it is fine


def page_problem(text: str, curve_count: int) -> str:
    """Why a page's extracted text cannot be trusted, or "" if it can."""
    letters = len(_LETTERS.findall(text))
    if letters < 20:
        return "outlines instead of text" if curve_count > 200 else "no text layer"
    unmapped = len(_UNMAPPED_GLYPH.findall(text))
    if len(_PRIVATE_OR_BAD.findall(text)) + 5 * unmapped > 0.05 * letters:
        return "mojibake (characters with no Unicode map)"
    if len(_LATIN_MOJIBAKE.findall(text)) > 0.2 * letters:
        return "mojibake (Thai shown as Latin-1)"
    thai = len(_THAI.findall(text))
    if thai > 200 and _SARA_AM not in text and "\u0e4d" + _SARA_AA not in text:
        return "sara am (ำ) missing from Thai text"
    return ""


def read_pdf_pages(path, max_pages: int) -> list[PageText]:  # type: ignore[no-untyped-def]
    """Text of each page, with pages whose layer is broken marked.

    Raises:
        InputFileError: the file is not a readable PDF, or is encrypted.
    """
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > max_pages:
                raise InputFileError(
                    f"ไฟล์มี {len(pdf.pages)} หน้า เกินกำหนด {max_pages} หน้า "
                    f"(too many pages; raise SARABAN_MAX_PAGES to accept it)")
            return [_page(index + 1, page) for index, page in enumerate(pdf.pages)]
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
            raise _encrypted() from exc
        raise InputFileError("ไฟล์ PDF เสียหายหรืออ่านไม่ได้ (corrupt or unreadable PDF)",
                             repr(exc)) from exc
    except PDFPasswordIncorrect as exc:
        raise _encrypted() from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise InputFileError("ไฟล์ PDF เสียหายหรืออ่านไม่ได้ (corrupt or unreadable PDF)",
                             repr(exc)) from exc


def _encrypted() -> InputFileError:
    return InputFileError(
        "ไฟล์ PDF ถูกเข้ารหัส ต้องถอดรหัสก่อนนำเข้า (encrypted PDF: remove the password, e.g. "
        "`qpdf --decrypt in.pdf out.pdf`, then ingest again)")


def _page(number: int, page) -> PageText:  # type: ignore[no-untyped-def]
    # Content-stream order: sorting by x misplaces Thai marks that GPOS shifted.
    text = page.extract_text(layout=False, use_text_flow=True) or ""
    curves = len(page.curves) + len(page.rects)
    return PageText(number, text, page_problem(text, curves))


def join_pages(texts: list[str]) -> tuple[str, str]:
    """(clean, raw) text of pages joined by form feeds."""
    raw = "\f".join(texts)
    return clean_thai_text(raw), raw
