"""Header blocks of a letter: เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย, signer.

Each block opens with a label (see extract_labels) and may wrap onto the
following lines; a wrapped line ends at a blank line, at another label or
after a few lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.extract_fields import (
    NUMBER_RE,
    SPECK_CEILING,
    THAI_DIGIT_CEILING,
    date_confidence,
    date_in_context,
    first_date,
    mend_number,
    read_agency,
)
from ingest.extract_labels import (
    LabelHit,
    clean_value,
    join_lines,
    label_of,
    skeleton,
    strip_leading_junk,
    suffix_label,
    thai_count,
)
from schemas.letter import Reference
from schemas.letter_numbers import LetterNumber
from schemas.text import to_arabic_digits
from schemas.thai_dates import MONTH_STARTS

MAX_WRAP = 3
#: A line after เรียน this short (Thai letters) is the rest of a wrapped addressee.
ADDRESSEE_TAIL = 24
# Names have no dictionary to check OCR against: never more than this.
SIGNER_CEILING = 0.6
# ``2. …``, ``2) …``, and ``2 …`` / ``๑แบบ…`` where OCR lost the dot.
_ITEM_RE = re.compile(r"^\s*[0-9๐-๙]{1,2}(?:\s*[.)]\s*|\s*(?=[ก-ฮเ-ไ]))")
# ``๒. `` and OCR's ``๒ . ``, but not a cited date's day with a speck after it
# (``ลงวันที่ 5 . กรกฎาคม 2559``).
_ITEM_SPLIT_RE = re.compile(r"(?:^|\s)[0-9๐-๙]\s?(?:[.)]\s+(?!(?:%s))|\s?(?=หนังสือ))"
                            % "|".join(MONTH_STARTS))
# The next cited letter of a numbered อ้างถึง: ``๒ . หนังสือ…``, ``2 หนังสือ…``.
_NEXT_CITED_RE = re.compile(r"^\W*[0-9๐-๙]\s?[.)]?\s*หนังสือ")
_SIGNER_RE = re.compile(r"\(\s*([^()]{4,60}?)\s*(?:\)|\|?\s*$)")
_TITLE_RE = re.compile(r"^(?:นาย|นาง|นางสาว|ว่าที่|ดร\.|ผศ\.|รศ\.|ศ\.|พล|พัน|ร้อย|จ่า|สิบ|พ\.)")
_SIGNER_JUNK_RE = re.compile(r"[0-9,|;:]+")
_PHONE_RE = re.compile(r"\s(?:โทร|Ins\.|Tel)")
_POSITION_WORDS = ("อำนวยการ", "ผู้ว่าราชการ", "นายอำเภอ", "ศึกษาธิการ", "เลขาธิการ", "หัวหน้า")
_ADDRESSEE_WORDS = ("ผู้", "นาย", "ศึกษาธิการ", "เลขาธิการ", "อธิบดี", "ปลัด", "หัวหน้า", "ประธาน")
# Openings of the body's first paragraph: a wrapped header line never starts so.
_BODY_OPENERS = ("ด้วย", "ตามที่", "ตามหนังสือ", "เนื่องด้วย", "เนื่องจาก", "ในการนี้",
                 "อ้างถึงหนังสือ", "จึง", "สั่ง ณ", "เพื่อให้การ", "อาศัยอำนาจ", "โดยที่")


@dataclass(frozen=True)
class Block:
    """A labelled header block: where it starts, its lines joined, its confidence."""

    start: int
    end: int
    text: str
    confidence: float


def _is_addressee(text: str) -> bool:
    """True when `text` reads like an addressee (ผู้อำนวยการ…, นายอำเภอ…)."""
    return text.startswith(_ADDRESSEE_WORDS) or skeleton(text).startswith(("ผ", "นาย"))


def wrap_block(
    lines: list[str], start: int, first: str, stop: int, item_lines: bool = False
) -> Block:
    """Join the block opening at line `start` (value `first`) with its wrapped lines.

    Wrapping stops at a blank line, a label, the body's first words, a line
    of specks, `stop`, or after MAX_WRAP lines; with `item_lines` only
    numbered lines (``2. …``) continue the block, one item per line.
    """
    text, end = clean_value(first), start + 1
    while end < min(stop, start + 1 + MAX_WRAP):
        line = lines[end]
        core = strip_leading_junk(line)
        if not line.strip() or label_of(line) is not None or core.startswith(_BODY_OPENERS):
            break
        if not thai_count(line) and not re.search("[0-9๐-๙]", line):
            break
        if item_lines and not _ITEM_RE.match(line):
            break
        text = join_lines(text, clean_value(line)) if not item_lines else f"{text}\n{line.strip()}"
        end += 1
    return Block(start, end, text, 0.0)


def find_labels(lines: list[str], stop: int) -> list[tuple[int, LabelHit]]:
    """Every labelled line before `stop`, in order."""
    hits = []
    for i, line in enumerate(lines[:stop]):
        hit = label_of(line, glued=True)
        if hit is not None:
            hits.append((i, hit))
    return hits


def find_subject(
    lines: list[str], labels: list[tuple[int, LabelHit]], after: int, fallback: int, stop: int
) -> Block | None:
    """The เรื่อง block at or after line `after`.

    When no label reads as เรื่อง, the first filled line from `fallback` (the
    line after the date) is taken if it opens with a cut-off label (``ง …``).
    """
    subject = next(((i, h) for i, h in labels if h.name == "subject" and i >= after), None)
    confidence = subject[1].confidence * 0.9 if subject else 0.0
    if subject is None:
        for i in range(fallback, min(stop, fallback + 4)):
            rest = suffix_label(lines[i], "subject")
            if rest is not None and thai_count(rest) >= 4:
                subject = (i, LabelHit("subject", rest, 0.5))
                confidence = 0.5
                break
            if lines[i].strip() and thai_count(lines[i]) >= 4:
                break
    if subject is None:
        return None
    start, hit = subject
    tos = [i for i, h in labels if h.name == "to" and start < i <= start + 1 + MAX_WRAP]
    block = wrap_block(lines, start, hit.rest, stop)
    # "…ของ / ผู้เรียน (RT)" wraps onto a line that opens with เรียน: it is the subject's when
    # a real เรียน line follows.
    if len(tos) >= 2 and tos[0] == block.end:
        extra = label_of(lines[tos[0]])
        if extra is not None and not _is_addressee(extra.rest):
            block = Block(start, tos[0] + 1, join_lines(block.text, clean_value(lines[tos[0]])), 0)
    if thai_count(block.text) < 2:
        return None
    return Block(block.start, block.end, block.text, confidence)


def find_to(
    lines: list[str], labels: list[tuple[int, LabelHit]], after: int, stop: int
) -> Block | None:
    """The เรียน line after the subject (the last of several, the others being wrapped subject)."""
    tos = [(i, h) for i, h in labels if h.name == "to" and after <= i < after + 2 + MAX_WRAP]
    tos = [(i, h) for i, h in tos if _is_addressee(h.rest)] or tos
    if tos:
        i, hit = tos[-1]
        value = clean_value(hit.rest)
        conf = hit.confidence * (0.9 if _is_addressee(value) else 0.6)
        if thai_count(value) < 3:
            return None
        end = i + 1
        if end < stop and _addressee_tail(lines[end]):
            value, end = join_lines(value, clean_value(strip_leading_junk(lines[end]))), end + 1
        return Block(i, end, value, conf)
    for i in range(after, min(stop, after + 3)):
        rest = suffix_label(lines[i], "to")
        if rest is not None and _is_addressee(rest):
            return Block(i, i + 1, clean_value(rest), 0.5)
    return None


def _addressee_tail(line: str) -> bool:
    """True for a short line that ends a wrapped addressee (``นครศรีธรรมราช เขต 3``):
    not blank, no label, not the body's first words (the body opens with ด้วย, ตามที่…)."""
    core = strip_leading_junk(line).strip()
    return (3 <= thai_count(core) <= ADDRESSEE_TAIL and label_of(line) is None
            and not core.startswith(_BODY_OPENERS))


def _blocks(
    lines: list[str], labels: list[tuple[int, LabelHit]], name: str, stop: int
) -> list[Block]:
    """All blocks of one label kind, joined with their wrapped lines."""
    found = []
    for i, hit in labels:
        if hit.name == name:
            block = wrap_block(lines, i, hit.rest, stop, item_lines=name == "encl")
            if name == "ref":
                block = past_blank(lines, block, stop)
            found.append(Block(block.start, block.end, block.text, hit.confidence))
    return found


def past_blank(lines: list[str], block: Block, stop: int) -> Block:
    """A citation cut by a blank line OCR put in it (``… ที่`` / blank / ``ศธ … ลงวันที่ …``,
    ``… ลงวันที่ ๕`` / blank / ``พฤษภาคม ๒๕๕๘``, ``๒ . หนังสือ …`` after a blank): while
    the last cited letter has no date yet, the next line goes on if it holds a number
    or a date, or completes the date; once it has one, only the next numbered citation."""
    while True:
        nxt = block.end
        while nxt < stop and not lines[nxt].strip():
            nxt += 1
        if nxt >= stop or nxt - block.end > 1 or label_of(lines[nxt]) is not None:
            return block
        line, last = lines[nxt], _ITEM_SPLIT_RE.split(block.text)[-1]
        if first_date(last) is not None:
            goes_on = bool(_NEXT_CITED_RE.match(line))
        else:
            goes_on = bool(NUMBER_RE.search(line) or first_date(line)
                           or first_date(join_lines(last, line)))
        if not goes_on:
            return block
        more = wrap_block(lines, nxt, line, stop)
        block = Block(block.start, more.end, join_lines(block.text, more.text), block.confidence)


def enclosure_block_at(lines: list[str], at: int, stop: int) -> Block | None:
    """The สิ่งที่ส่งมาด้วย block opening at line `at` (also when skew cut it to ``งมาด้วย``)."""
    hit = label_of(lines[at])
    if hit is not None and hit.name == "encl":
        block = wrap_block(lines, at, hit.rest, stop, item_lines=True)
        return Block(block.start, block.end, block.text, hit.confidence)
    rest = suffix_label(lines[at], "encl", min_chars=4)
    if rest:
        block = wrap_block(lines, at, rest, stop, item_lines=True)
        return Block(block.start, block.end, block.text, 0.5)
    return None


def split_enclosures(block: Block | None) -> list[str]:
    """Enclosure items as printed, numbering dropped."""
    if block is None:
        return []
    items = [clean_value(_ITEM_RE.sub("", part)) for part in block.text.split("\n")]
    return [item for item in items if thai_count(item) >= 2]


# ``ว๓๖๗๓ลงวันที่``: the number glued to the date's label.
_GLUED_DATE_RE = re.compile(r"(?<=[0-9๐-๙])(?=ลง\s?วัน)")
# ``…กรมบัญชีกลางที่ศธ``: the sender, ที่ and the agency letters closed up into one word.
_GLUED_AGENCY_RE = re.compile(r"(?:ที่|ที)(?P<code>[ก-ฮ]{2,3}\.?)$")


def _read_reference(text: str, years: Counter[int]) -> tuple[Reference, float] | None:
    """One cited letter: its number after ที่ and its date after ลงวันที่ (a year that
    lost or gained a digit mended from the letter's `years`), with a confidence."""
    text, mended = mend_number(_GLUED_DATE_RE.sub(" ", text))
    match = NUMBER_RE.search(text)
    number, number_conf = None, 0.0
    if match:
        tokens = text[: match.start()].split()
        token = tokens[-1] if tokens else None
        glued = _GLUED_AGENCY_RE.search(token) if token else None
        if glued and len(token) > glued.end() - glued.start():
            token = glued["code"]
        agency, number_conf = read_agency(token, text)
        if agency:
            thai = any("๐" <= ch <= "๙" for ch in match.group(0))
            number = LetterNumber(
                agency=agency,
                unit=to_arabic_digits(re.sub(r"\s", "", match["unit"])),
                circular=match["circular"] is not None,
                running=to_arabic_digits(match["running"]),
                thai_digits=thai,
            ).canonical
            if thai:
                number_conf = min(number_conf, THAI_DIGIT_CEILING)
            if mended:
                number_conf = min(number_conf, SPECK_CEILING)
    cited = text[match.end():] if match else text
    found = first_date(cited) or date_in_context(cited, years)
    date = found.date if found else None
    if number is None and date is None:
        return None
    date_conf = date_confidence(found) if found else 0.0
    return Reference(number=number, date=date), min(number_conf, date_conf)


def find_references(
    lines: list[str], labels: list[tuple[int, LabelHit]], after: int, stop: int,
    years: Counter[int] | None = None,
) -> tuple[list[Reference], float]:
    """The letters cited under อ้างถึง (numbered items split apart); `years` are the
    years the letter prints (`letter_years`), for mending a cited year.

    Returns:
        The references and the lowest confidence among them (0 when none).
    """
    refs: list[Reference] = []
    confidences: list[float] = []
    for block in _blocks(lines, labels, "ref", stop):
        if block.start < after:
            continue
        for item in _ITEM_SPLIT_RE.split(block.text):
            read = _read_reference(item, years or Counter())
            if read is not None:
                refs.append(read[0])
                confidences.append(read[1] * block.confidence)
    return refs, round(min(confidences), 2) if confidences else 0.0


def find_signer(lines: list[str]) -> tuple[str | None, float]:
    """The signatory: the last ``(name)`` line followed by a position or titled name.

    Args:
        lines: The letter's lines (all pages).

    Returns:
        ``(name, confidence)`` or ``(None, 0.0)``.
    """
    for i in range(len(lines) - 1, -1, -1):
        match = _SIGNER_RE.search(lines[i])
        if match is None:
            continue
        raw = _SIGNER_JUNK_RE.sub("", match.group(1)).strip(" .")
        name = " ".join(raw.split())
        titled = bool(_TITLE_RE.match(name))
        after = skeleton("".join(lines[i + 1:i + 3]))
        positioned = any(skeleton(p) in after for p in _POSITION_WORDS)
        if thai_count(name) < 4 or not (titled or positioned):
            continue
        if re.search("[A-Za-z]", name):
            return name, 0.3
        clean = all(thai_count(t) == len(t) for t in name.split()) and ")" in lines[i]
        return name, SIGNER_CEILING if titled and clean else 0.5 if clean or titled else 0.3
    return None, 0.0


def memo_unit(lines: list[str], labels: list[tuple[int, LabelHit]], stop: int) -> str | None:
    """The ส่วนราชการ text of a memo, wrapped lines joined, phone number cut off."""
    hit = next(((i, h) for i, h in labels if h.name == "unit"), None)
    if hit is None:
        return None
    text = hit[1].rest
    for line in lines[hit[0] + 1: stop]:
        if not line.strip():
            continue
        text = join_lines(text, strip_leading_junk(line).strip())
    return _PHONE_RE.split(text)[0]
