"""Letter metadata from the cleaned OCR text of a Thai official letter.

`extract_letter` reads kind, number, date, subject, addressee, issuing office,
stamps, references, enclosures and signer, each with a confidence in 0..1:
high only for a clean pattern match, lower for OCR variants and guesses,
0 with an empty value when nothing was found. It prefers no value to a
confidently wrong one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import datetime as dt
import re
from dataclasses import dataclass, replace

from ingest.extract_blocks import (
    Block,
    enclosure_block_at,
    find_labels,
    find_references,
    find_signer,
    find_subject,
    find_to,
    memo_unit,
    past_blank,
    split_enclosures,
    wrap_block,
)
from ingest.extract_fields import (
    NUMBER_RE,
    NumberReading,
    find_letter_date,
    find_number_line,
    letter_years,
    read_number,
    signed_as_order,
)
from ingest.extract_labels import (
    LabelHit,
    label_of,
    scaled,
    skeleton,
    strip_leading_junk,
    thai_count,
)
from ingest.extract_org import resolve_org
from ingest.extract_stamps import read_stamps
from ingest.receipts import read_receipt_stamps
from schemas.enums import Kind
from schemas.letter import LetterMetadata
from schemas.text import nfc, to_arabic_digits
from schemas.thai_dates import edit_distance

_SPACED_PAIR_RE = re.compile(r"(?<=[\u0e01-\u0e4e]) (?=[\u0e01-\u0e4e])")
_WIDE_GAP_RE = re.compile(r"\s{3,}")
_ADDRESS_WORDS = ("อำเภอ", "ตำบล", "ถนน", "จังหวัด", "เลขที่", "หมู่")
_CLOSINGS = ("ขอแสดงความนบถอ", "จงเรยนมา")
_KIND_TITLES = (
    (Kind.memo, "บันทึกข้อความ"),
    (Kind.order, "คำสั่ง"),
    (Kind.announcement, "ประกาศ"),
)
TOP_LINES = 8
#: A short title is matched exactly but for its first letter read as a
#: look-alike (``ดำสั่ง`` for คำสั่ง): one edit anywhere would match words.
_TITLE_LOOKALIKES = {"ค": "ดฅ"}
#: Free text read by OCR (subject, addressee, enclosures, signer) can lose a
#: wrapped line or a word without leaving a trace in what is left, so it never
#: reaches the 0.9 that says "no need to check"; nor can the list of
#: references, whose second item OCR can drop with the line it was on.
FREE_TEXT_CEILING = 0.85
_FREE_TEXT = ("subject", "to", "enclosures", "signer", "references")
#: A number or date holding digits Tesseract and the digit model read differently.
DOUBTFUL_CEILING = 0.6


def _letter_spaced(line: str) -> bool:
    """True when most tokens of `line` are single Thai letters (``ก า ร ศึ ก ษ า``)."""
    tokens = line.split()
    singles = [t for t in tokens if thai_count(t) == len(t) and len(skeleton(t)) == 1]
    return len(tokens) >= 4 and len(singles) >= 0.6 * len(tokens)


# A label that OCR glued to its value once letter spacing was closed:
# ``ที่ศธ 0418/1``, ``ที่๕๔๕/๒๕๕๖``, ``เรื่องการ…``, ``เรียนนาย…`` (not ``เรียนมาเพื่อ``), ``วันที่23``.
_LABEL_GLUED_RE = re.compile(
    r"^((?:ที่|ที|ทึ่|ที้)(?=[ก-ฮ]{1,4}\.?\s?[0-9๐-๙]|[0-9๐-๙]+\s?/)"
    r"|(?:เรื่อง|เรือง|เรอง)(?=[ก-๙])"
    r"|เรียน(?=[ก-๙])(?!มา)"
    r"|(?:อ้างถึง|สิ่งที่ส่งมาด้วย|ส่วนราชการ|สำเนาเรียน)(?=[ก-๙])"
    r"|.*?วันที่(?=[0-9๐-๙]))"
)


# A letter number glued to the letters before it (``ศุบิ๐๔๒๔๕.๐๐๑/ว๑๐๕๑``): split them
# (not after ฒ ซ ๆ, which OCR writes for ๘ ๙ ๗).
_GLUED_NUMBER_RE = re.compile(r"(?<=[\u0e01-\u0e4e])(?<![ฒซๆ])(?=[0-9๐-๙]+(?:\s?\.\s?[0-9๐-๙]+)*\s?/)")


def _prepare(text: str) -> str:
    """Clean OCR text the way the pipeline does before extraction.

    NFC with ``ํา`` joined to ``ำ``, line ends unified, on letter-spaced
    lines the single spaces Tesseract puts between Thai letters removed, and
    a letter number glued to the letters before it set apart.

    Args:
        text: Raw OCR text, pages separated by form feeds.

    Returns:
        The cleaned text, same pages and lines.
    """
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACED_PAIR_RE.sub("", ln) if _letter_spaced(ln) else ln for ln in text.split("\n")]
    lines = [_GLUED_NUMBER_RE.sub(" ", line) for line in lines]
    return "\n".join(_LABEL_GLUED_RE.sub(r"\1 ", line.rstrip(" \t")) for line in lines)


def _title_confidence(line: str, title: str) -> float:
    """How well the first token of `line` reads as a document title (บันทึกข้อความ…)."""
    core = strip_leading_junk(line)
    token = core.split()[0] if core.split() else ""
    if token.startswith(title):
        return 0.95
    if "".join(core.split()).startswith(title):
        return 0.9  # a space OCR put inside the title (``บันทึก ข้อความ``)
    if any(later.startswith(title) for later in core.split()[1:3]):
        return 0.85  # after a speck or a piece of the emblem read as letters
    if len(skeleton(title)) <= 4:
        if skeleton(token).startswith(skeleton(title)):
            return 0.8
        first = _TITLE_LOOKALIKES.get(title[0], "")
        return 0.7 if token[:1] in first and skeleton(token[1:]).startswith(
            skeleton(title[1:])) else 0.0
    head = skeleton(token)[: len(skeleton(title))]
    return 0.8 if edit_distance(head, skeleton(title), 1) <= 1 else 0.0


def _detect_kind(lines: list[str], has_number: bool, has_to: bool,
                 signed_order: bool = False) -> tuple[Kind | None, float]:
    """The document kind from its title line, else memo by its ส่วนราชการ line, else
    order when it has no เรียน and is signed ``สั่ง ณ วันที่`` (`signed_order`: the
    title lost to OCR), else external when ที่ and เรียน are there."""
    top = [line for line in lines if line.strip()][:TOP_LINES]
    for kind, title in _KIND_TITLES:
        conf = max((_title_confidence(line, title) for line in top), default=0.0)
        if conf:
            return kind, conf
    if any(getattr(label_of(line), "name", None) == "unit" for line in top[:4]):
        return Kind.memo, 0.7  # no title read, but a memo's ส่วนราชการ line
    if signed_order and not has_to:
        return Kind.order, 0.6
    if has_number and has_to:
        return Kind.external, 0.8
    if has_number or has_to:
        return Kind.external, 0.5
    return None, 0.0


def _header_end(lines: list[str]) -> int:
    """Index of the closing (ขอแสดงความนับถือ / จึงเรียนมา), or the number of lines."""
    for i, line in enumerate(lines):
        if skeleton(strip_leading_junk(line)).startswith(_CLOSINGS):
            return i
    return len(lines)


def _external_org(lines: list[str], number_line: int | None) -> str | None:
    """The office printed right of the number on the ที่ line (or on the line below it)."""
    if number_line is None:
        return None
    columns = _WIDE_GAP_RE.split(lines[number_line].strip())[1:]
    columns = [c for c in columns if thai_count(c) >= 3]
    if columns:
        return max(columns, key=thai_count)
    number = NUMBER_RE.search(lines[number_line])
    after = lines[number_line][number.end():].strip() if number else ""
    if thai_count(after) >= 3:
        return after  # the gap before the office closed up to one space
    below = lines[number_line + 1] if number_line + 1 < len(lines) else ""
    if thai_count(below) >= 3 and not any(w in below for w in _ADDRESS_WORDS):
        return below.strip()
    return None


def _order_org(lines: list[str]) -> str | None:
    """The agency after คำสั่ง on an order's title line."""
    for line in [ln for ln in lines if ln.strip()][:TOP_LINES]:
        core = strip_leading_junk(line)
        if core[:1] in _TITLE_LOOKALIKES["ค"]:
            core = "ค" + core[1:]  # ``ดำสั่ง``: see `_title_confidence`
        for cut in range(1, len(core) + 1):
            if skeleton(core[:cut]) == skeleton("คำสั่ง") and skeleton(core[cut:cut + 1]):
                return core[cut:].strip() or None
    return None


def _header_blocks(lines: list[str], start: int, end: int) -> tuple[int, Block | None]:
    """Walk the อ้างถึง / สิ่งที่ส่งมาด้วย blocks after เรียน; return where the body starts."""
    pos, encl = start, None
    while pos < end:
        if thai_count(lines[pos]) < 3:
            pos += 1
            continue
        hit = label_of(lines[pos])
        if hit is not None and hit.name == "ref":
            pos = past_blank(lines, wrap_block(lines, pos, hit.rest, end), end).end
            continue
        block = enclosure_block_at(lines, pos, end)
        if block is None:
            break
        encl, pos = block, block.end
    return pos, encl


def _header_org(
    kind: Kind | None,
    lines: list[str],
    labels: list[tuple[int, LabelHit]],
    number_line: int | None,
) -> str | None:
    """The issuing office as the header prints it, by kind of letter."""
    if kind is Kind.memo:
        return memo_unit(lines, labels, number_line if number_line is not None else len(lines))
    if kind is Kind.order:
        return _order_org(lines)
    return _external_org(lines, number_line)


@dataclass
class _Header:
    """Where the parts of page 1 sit: labels, ที่ line, date line, blocks."""

    lines: list[str]
    labels: list[tuple[int, LabelHit]]
    end: int
    kind: Kind | None
    kind_confidence: float
    number_line: int | None
    date: tuple[dt.date | None, float, int | None]
    subject: Block | None
    to: Block | None
    body_start: int
    enclosures: Block | None
    years: Counter[int]


def _read_header(pages: list[list[str]]) -> _Header:
    """Locate the header parts of the first page, in reading order."""
    first = pages[0]
    end = _header_end(first)
    labels = find_labels(first, end)
    subject_label = next((i for i, h in labels if h.name == "subject"), None)
    # a one-slip reading of เรื่อง (``รอง``) is too weak to bound the search for ที่
    sure_subject = next(
        (i for i, h in labels if h.name == "subject" and h.confidence >= 0.85), end
    )
    number_line = find_number_line(first, sure_subject)
    has_to = any(h.name == "to" for _, h in labels)
    every_line = [ln for page in pages for ln in page]
    years = letter_years("\n".join(every_line))
    kind, kind_conf = _detect_kind(first, number_line is not None, has_to,
                                   signed_as_order(every_line))
    reading = None
    if number_line is not None:
        reading = read_number(first[number_line], kind, None, years)
    date_lines = every_line if kind is Kind.order else first
    date = find_letter_date(
        date_lines, kind, number_line, reading.end if reading else 0, subject_label, years
    )
    after = number_line + 1 if number_line is not None else 0
    fallback = after
    if date[2] is not None and kind is not Kind.order:
        fallback = max(after, date[2] + 1)
    subject = find_subject(first, labels, after, fallback, end)
    to = find_to(first, labels, subject.end if subject else fallback, end)
    block_start = to.end if to else subject.end if subject else fallback
    body_start, enclosures = _header_blocks(first, block_start, end)
    return _Header(first, labels, end, kind, kind_conf, number_line, date, subject, to,
                   body_start, enclosures, years)


def reconcile_number(page: NumberReading | None, line: str | None, kind: Kind | None,
                     org: str | None) -> NumberReading | None:
    """Prefer the line's own reading where the page reading is that plus a stray leading digit.

    A ที่ label merged into the marks of the line above reads as one more digit
    in front of the unit (``1364/2559`` for ``364/2559``); the line read on its
    own does not have it. Any other disagreement keeps the page reading.
    """
    again = read_number(line, kind, org) if line else None
    if again is None or again.number is None:
        return page
    if page is None or page.number is None:
        return replace(again, confidence=min(again.confidence, 0.6))
    if page.number == again.number:
        return replace(page, confidence=max(page.confidence, again.confidence))
    stray = page.number.replace(" ", "")
    clean = again.number.replace(" ", "")
    if len(stray) == len(clean) + 1 and stray[1:] == clean and stray[0].isdigit():
        return replace(again, confidence=min(again.confidence, 0.8))
    return page


def _lone_year(year: int, years: Counter[int]) -> bool:
    """True when the letter prints `year` only in its date while it prints a year
    one digit away more often (``2552`` dated, ``2559`` three times in the text):
    Tesseract may have misread a sure-looking Arabic year for another plausible
    one. A cited letter's year printed as often (once) leaves no doubt."""
    own = years[year]
    if own > 2:  # `letter_years` counts a year read whole as 2: printed elsewhere too
        return False
    return any(count > own and edit_distance(str(other), str(year), 1) <= 1
               for other, count in years.items())


def extract_letter(text: str, stamp_lines: Sequence[str] = (),
                   number_line: str | None = None,
                   stamps: Sequence[Sequence[str]] = (),
                   doubtful_digits: Sequence[str] = ()) -> LetterMetadata:
    """Extract a letter's metadata from its cleaned OCR text.

    Args:
        text: OCR text of the whole letter, pages separated by ``\\f``. Extra
            lines (for example a stamp-zone OCR) may be prepended.
        stamp_lines: Lines read by a separate OCR of the page's stamp zones
            (the page reader's stamps); short stamp words are trusted more there.
        number_line: The ที่ line read again on its own, if a reader gives one; used
            when the page reading has a stray leading digit or no number.
        stamps: Each stamp's lines as the page reader read them apart from
            the body; receipt stamps among them become ``receipt_stamps``.
        doubtful_digits: Numbers the reader read two ways (Tesseract's sure
            reading kept against the digit model's other digits) or with digits
            only the digit model saw (a ``1`` Tesseract dropped); a number or
            date holding one of their digit runs is at most `DOUBTFUL_CEILING`.

    Returns:
        The metadata with a confidence per field (``kind``, ``number``,
        ``circular``, ``date``, ``subject``, ``to``, ``from_org``, ``secrecy``,
        ``urgency``, ``references``, ``enclosures``, ``signer``). Empty fields
        score 0; an unstamped letter scores 0.3 for secrecy and urgency
        because red stamps are easily missed by OCR.
    """
    pages = [page.split("\n") for page in _prepare(text).split("\f")]
    head = _read_header(pages)
    first = head.lines
    after = head.number_line + 1 if head.number_line is not None else 0
    references, refs_conf = find_references(first, head.labels, after, head.end,
                                           head.years)
    body = first[head.body_start:] + [line for page in pages[1:] for line in page]
    header_org = _header_org(head.kind, first, head.labels, head.number_line)
    from_org, org_conf = resolve_org(header_org, "".join(line.strip() for line in body))
    reading = None
    if head.number_line is not None:
        reading = read_number(first[head.number_line], head.kind, from_org, head.years)
    secrecy, secrecy_conf, urgency, urgency_conf = read_stamps(pages, stamp_lines)
    signer, signer_conf = find_signer([line for page in pages for line in page])
    enclosures = split_enclosures(head.enclosures)
    date, date_conf, _ = head.date
    reading = reconcile_number(reading, number_line, head.kind, from_org)
    number = reading.number if reading else None
    number_conf = reading.confidence if number else 0.0
    circular = reading.circular if reading else False
    doubtful = {to_arabic_digits(run)
                for text in doubtful_digits for run in re.findall(r"\d+", text)}
    if number and doubtful & set(re.findall(r"\d+", number)):
        number_conf = min(number_conf, DOUBTFUL_CEILING)
    if date and doubtful & {str(date.day), f"{date.day:02d}", str(date.year + 543)}:
        date_conf = min(date_conf, DOUBTFUL_CEILING)
    if date and _lone_year(date.year + 543, head.years):
        date_conf = min(date_conf, DOUBTFUL_CEILING)

    confidence = {
        "kind": head.kind_confidence,
        "number": number_conf,
        "circular": number_conf or (0.5 if circular else 0.0),
        "date": date_conf,
        "subject": scaled(head.subject.confidence, head.subject.text) if head.subject else 0.0,
        "to": scaled(head.to.confidence, head.to.text) if head.to else 0.0,
        "from_org": org_conf,
        "secrecy": secrecy_conf,
        "urgency": urgency_conf,
        "references": refs_conf,
        "enclosures": 0.0,
        "signer": scaled(signer_conf, signer) if signer else 0.0,
    }
    if enclosures and head.enclosures:
        confidence["enclosures"] = scaled(head.enclosures.confidence * 0.9, " ".join(enclosures))
    for name in _FREE_TEXT:
        confidence[name] = min(confidence[name], FREE_TEXT_CEILING)
    return LetterMetadata(
        receipt_stamps=read_receipt_stamps(stamps),
        kind=head.kind,
        number=number,
        circular=circular,
        date=date,
        subject=head.subject.text if head.subject else None,
        to=head.to.text if head.to else None,
        from_org=from_org,
        secrecy=secrecy,
        urgency=urgency,
        references=references,
        enclosures=enclosures,
        signer=signer,
        confidence=confidence,
    )
