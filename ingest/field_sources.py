"""Where on the scan each extracted field was read: a page and a box per field.

Extraction reads fields from text, not from boxes, so the box of a field is
found afterwards: the field's value is looked up in the page's lines (which
carry their boxes, `ocr.text_lines`) after folding digits, spaces and Thai
spelling variants. A subject that wraps takes the box of all its lines. A
field found nowhere gets no source; the review queue then shows the page's
header zone for it (issue #3).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

from schemas.enums import KIND_THAI, SECRECY_THAI, URGENCY_THAI, Kind, Secrecy, Urgency
from schemas.letter import LetterMetadata
from schemas.text import nfc, to_arabic_digits
from schemas.thai_dates import format_thai_date

#: Fields of the letter's head, looked for on the first page only.
HEADER_FIELDS = ("kind", "number", "date", "subject", "to", "from_org", "secrecy", "urgency")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d]+")
#: Share of a value that must be found in one line for a fuzzy match.
MIN_SHARE = 0.6
#: A field read empty, or not found by its value, is shown at the line its label opens
#: (OCR often drops the tone mark: ที่ comes out ที).
LABELS = {
    "number": re.compile(r"^ที\u0e48?(?![ก-ฮ\u0e48])"),
    "date": re.compile(r"(^|\s)(ลง)?วันที่?"),
    "subject": re.compile(r"^เรื่อง"),
    "to": re.compile(r"^เรียน"),
}


def fold(text: str) -> str:
    """Text as compared: NFC, ำ joined, Arabic digits, no spaces."""
    return _SPACE.sub("", to_arabic_digits(nfc(text)))


def field_texts(meta: LetterMetadata) -> dict[str, list[str]]:
    """For each field with a value, the texts that may print it on the page."""
    texts: dict[str, list[str]] = {}
    if meta.number:
        texts["number"] = [meta.number]
    if meta.date:
        texts["date"] = _date_texts(meta.date)
    for name in ("subject", "to", "from_org", "signer"):
        value = getattr(meta, name)
        if value:
            texts[name] = [value]
    if meta.kind is not None and meta.kind != Kind.external:
        texts["kind"] = [KIND_THAI[meta.kind]]
    if meta.secrecy != Secrecy.none:
        texts["secrecy"] = [SECRECY_THAI[meta.secrecy]]
    if meta.urgency != Urgency.normal:
        texts["urgency"] = [URGENCY_THAI[meta.urgency]]
    return texts


def _date_texts(date: dt.date) -> list[str]:
    return [format_thai_date(date), format_thai_date(date, abbreviated=True)]


def locate_fields(meta: LetterMetadata, lines: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Each field's source on the page: {field: {page, box, size, dpi, how}}.

    Args:
        meta: The extracted metadata.
        lines: Lines with boxes, as `ocr.text_lines.TextLine.as_json` gives them.
    """
    lines = list(lines)
    sources: dict[str, Any] = {}
    for name, texts in field_texts(meta).items():
        if name in HEADER_FIELDS:
            candidates = [line for line in lines if line["page"] == 1]
        else:  # the signer signs at the end: look from the last page back
            candidates = sorted(lines, key=lambda line: -line["page"])
        if name in ("secrecy", "urgency"):  # stamps first
            candidates = sorted(candidates, key=lambda line: not line.get("stamp"))
        found = _find(texts, candidates)
        if found is not None:
            sources[name] = found
    for name, label in LABELS.items():
        if name not in sources:
            line = next((line for line in lines if line["page"] == 1 and not line.get("stamp")
                         and label.search(line["text"])), None)
            if line is not None:
                sources[name] = _source(line, [line], "label")
    if "number" in sources and meta.circular:
        sources["circular"] = sources["number"]
    return sources


def _find(texts: list[str], lines: list[dict[str, Any]]) -> dict[str, Any] | None:
    folded = [(line, fold(line["text"])) for line in lines]
    for text in texts:  # exact: the value inside one line
        want = fold(text)
        for line, have in folded:
            if want and want in have:
                return _source(line, [line], "line")
    for text in texts:  # the value spread over consecutive lines (a long subject)
        found = _spread(fold(text), folded)
        if found is not None:
            return found
    best, best_share = None, 0.0
    for text in texts:  # the best partial match (OCR slips)
        want = fold(text)
        if len(want) < 4:
            continue
        for line, have in folded:
            match = SequenceMatcher(None, want, have, autojunk=False)
            share = sum(block.size for block in match.get_matching_blocks()) / len(want)
            if share > best_share:
                best, best_share = line, share
    if best is not None and best_share >= MIN_SHARE:
        return _source(best, [best], "fuzzy")
    return None


def _spread(want: str, folded: list[tuple[dict[str, Any], str]]) -> dict[str, Any] | None:
    """Lines that together spell `want`: the first ends with its start, the rest inside it."""
    if len(want) < 8:
        return None
    for index, (line, have) in enumerate(folded):
        start = next((k for k in range(min(len(have), len(want)), 7, -1)
                      if have.endswith(want[:k])), 0)
        if not start:
            continue
        taken, rest = [line], want[start:]
        for other, text in folded[index + 1:]:
            if not rest or other["page"] != line["page"]:
                break
            if rest.startswith(text):
                taken.append(other)
                rest = rest[len(text):]
            elif text.startswith(rest):
                taken.append(other)
                rest = ""
            else:
                break
        if not rest:
            return _source(line, taken, "lines")
    return None


def _source(first: dict[str, Any], lines: list[dict[str, Any]], how: str) -> dict[str, Any]:
    box = [min(line["box"][0] for line in lines), min(line["box"][1] for line in lines),
           max(line["box"][2] for line in lines), max(line["box"][3] for line in lines)]
    return {"page": first["page"], "box": box, "size": list(first["size"]),
            "dpi": first["dpi"], "how": how}
