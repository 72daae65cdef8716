"""Letter number (ที่) and letter date read off the header lines.

Confidence rules: a clean ``ที่ ศธ 04049/508`` line in Arabic digits scores
high; a garbled label or agency code, an agency code inferred from the office
name, or Thai digits (๔ ๖ ๗ ๘ ๙ are often misread) keep the score at 0.6 or
below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.extract_labels import strip_leading_junk, thai_count
from ingest.extract_org import MINISTRY_CODES, agency_for, province_codes
from schemas.enums import Kind
from schemas.letter_numbers import LetterNumber
from schemas.text import skeleton, to_arabic_digits
from schemas.thai_dates import (
    MONTH_STARTS,
    DateMatch,
    edit_distance,
    find_thai_dates,
    match_month,
)

THAI_DIGIT_CEILING = 0.6
#: A date whose year OCR cut or stretched by one digit, mended from the years the
#: letter prints elsewhere (`date_in_context`), is never surer than this.
CONTEXT_YEAR_CEILING = 0.6
MIXED_DIGIT_CEILING = 0.3
#: An agency's unit code is four or five digits from 0 (ศธ 04049, ศธ 0210.3); another
#: is most likely one OCR garbled (``ศธ 3.106`` for ``ศธ 04063.106``, a lost dot).
ODD_UNIT_CEILING = 0.5
SPECK_CEILING = 0.8
#: A date with something before its day other than the วันที่ label (`_crowded`).
CROWDED_DATE_CEILING = 0.7
#: A number followed, after a space, by two or more digits that start no
#: date: OCR split the running number (``ว23 2379``) and either part may be
#: the rest. (One digit there is most often a speck or the ว of วันที่.)
SPLIT_RUNNING_CEILING = 0.6
_D = "0-9๐-๙"
_DIGITS_AFTER_RE = re.compile(rf"\s+[{_D}]{{2,}}(?P<after>\s*\S{{0,3}})")
NUMBER_RE = re.compile(
    rf"(?<![{_D}/])(?:(?<=[^\u0e01-\u0e4e])|(?<=[ก-ฮ][ก-ฮ])|^)"
    rf"(?P<unit>[{_D}]+(?:\s{{0,2}}\.\s{{0,2}}[{_D}]+)*)\s*/\s*(?P<circular>ว\s*)?"
    rf"(?P<running>[{_D}]+)(?![{_D}/\u0e01-\u0e4e])"
)
# A number whose digits OCR garbled (๙ read as ฒ): still marks the ที่ line and ว.
_LOOSE_NUMBER_RE = re.compile(rf"[{_D}][{_D}ฒ]*(?:\.[{_D}ฒ]+)*\s*/\s*(?P<circular>ว)?\s*[{_D}ฒ]+")
_THAI_CONSONANTS_RE = re.compile("[ก-ฮ]")
# Tesseract's readings of ศธ on scans: ธ taken for ร, จ, ช, ซ.
_AGENCY_LOOKALIKES = {"ศร": "ศธ", "ศจ": "ศธ", "ศช": "ศธ", "ศซ": "ศธ", "ศฐ": "ศธ"}
_RECEIPT_SKELETONS = ("เลขรบ", "เลขทรบ")
_ORDER_DATE_RE = re.compile(r"ส\S?ง\s*ณ|ณ\s*ว\S?นท")  # สั่ง ณ, or ณ วันที่ (ลกณวันที่)
# House numbers (๑๒๓/๔ ถนน…) look like letter numbers: address lines never hold the ที่.
_ADDRESS_WORDS = ("ถนน", "ถ.", "ซอย", "ซ.", "หมู่", "ม.", "ตำบล", "ต.", "แขวง", "อำเภอ", "อ.")
_BE_MIN, _BE_MAX = 2480, 2620
#: An order's running number and year run together: one to four digits, then ๒๕ or 25.
_GLUED_ORDER_RE = re.compile(r"(?<![0-9๐-๙/])[0-9๐-๙]{1,4}(?:25|๒๕)[0-9๐-๙]{2}(?![0-9๐-๙/])")
GLUED_ORDER_CONFIDENCE = 0.5
#: A ที่ line of glued digits alone; a lone Arabic digit before Thai ones is a speck (500546).
_GLUED_LINE_RE = re.compile(r"\s*ท\S{0,3}\s+(?:[0-9]\s+(?=[๐-๙]))?[0-9๐-๙]{5,8}\s*$")
_LONE_DIGIT_RE = re.compile(r"(?<=[\u0e01-\u0e4e])\s?[0-9๐-๙]\s(?=[0-9๐-๙]{4}(?![0-9๐-๙]))")
_STRAY_QUOTES_RE = re.compile("[\"'`\u2018\u2019\u201c\u201d]")
_PUNCTUATION = ".,:;-|"
_SPECK_AFTER_SLASH_RE = re.compile(r"/\s*[.,]\s*(?=[0-9๐-๙])")  # ``๑๖๐/.๕๖๗``
_LOST_SLASH_RE = re.compile(r"(?<=[0-9๐-๙]{3})\s+(?=ว\s*[0-9๐-๙])")  # ``04141 ว 808``
_SPECK_IN_UNIT_RE = re.compile(r"(?<=[0-9๐-๙])[,'‘’]\s?(?=[0-9๐-๙]+\s?/)")  # ``๑๗,๐/๒๕๕๖``
_SPECK_BY_DOT_RE = re.compile(r"(?<=[0-9๐-๙])\s?\.\s?[.,]\s?(?=[0-9๐-๙]+\s?/)")  # ``04214. .003/``
_SPECK_AS_VOWEL_RE = re.compile(r"(?<=[0-9๐-๙])[ไใ](?=[0-9๐-๙])")  # ``๘๙ไ๒``: no word is so
# Repairs tried only when no date reads as printed (the result counts as fuzzy):
# specks read as punctuation (``ธันวาคม , ๒๕๕๒``, ``กันยายน: 2560``), a lone letter
# between day and month (``11 ก กันยายน``), a third digit stuck to the day
# (``๒๖๒ เมษายน``, ``๓๐๐ เมษายน``: the day is its first two), a speck read as a digit
# stuck to the year (``กุมภาพันธ์ 6๒๕๕๕``).
_STRAY_PUNCT_RE = re.compile(r"\s*[,:;|]+\s*")
_LONE_LETTER_RE = re.compile(r"(?<=[0-9๐-๙])\s+[ก-ฮ]\s+(?=[ก-ฮเแโใไ])")
_GLUED_YEAR_RE = re.compile(r"(?<=[\u0e01-\u0e4e.\s])[0-9๐-๙](?=[๒2][๕5][0-9๐-๙]{2}(?![0-9๐-๙]))")
# A speck read as a fifth digit after a year (``๒๕๖๓๓``, tuning 500425).
_YEAR_TAIL_RE = re.compile(r"(?<=[\u0e01-\u0e4e.\s][๒2][๕5][0-9๐-๙]{2})[0-9๐-๙](?![0-9๐-๙])")
_LONG_DAY_RE = re.compile(r"(?<![0-9๐-๙])([0-9๐-๙]{2})[0-9๐-๙](?=\s*[ก-ฮเแโใไ])")
# A four-digit Thai-digit year not starting ๒๕ (after a month name or พ.ศ.).
_THAI_YEAR_RE = re.compile(r"(?<=[\u0e01-\u0e4e.\s])(?!๒๕)[๐-๙]{2}(?P<tail>[๐-๙]{2})(?![๐-๙])")
# Specks read as dots or commas between the day and the month, or the month
# and the year, where OCR wrapped the date (``ลงวันที่ ๑๒`` / ``. ธันวาคม .๒๕๖๕``).
_SPECKS_IN_DATE_RE = re.compile(
    r"(?<=[0-9๐-๙])\s*(?:[.,]\s*)+(?=[ก-ฮเแโใไ])"
    r"|(?<=[ก-ฮ\u0e30-\u0e4e])\s+(?:[.,]\s*)+(?=[0-9๐-๙]{4}(?![0-9๐-๙]))")
# Readings that make a wrong day, mended before the date is read: a lone digit of
# the other script between the day and the month, however garbled (``๒๗ 1 กรกฎาคม``,
# ``12 ๔ ธันวาคม``, ``๗ 2 ฏรกฎาคม``: a speck or the month's first letter), a speck
# read as a comma inside the day (``๑,๔พฤษภาคม``).
_MONTHS_AHEAD = r"(?=\s*(?:%s))" % "|".join(MONTH_STARTS)
_OTHER_SCRIPT_RE = re.compile(r"((?<![0-9๐-๙])[๐-๙]{1,2})\s+[0-9](?=\s*[ก-ฮเ-ไ])"
                              r"|((?<![0-9๐-๙])[0-9]{1,2})\s+[๐-๙](?=\s*[ก-ฮเ-ไ])")
_SPECK_IN_DAY_RE = re.compile(r"(?<![0-9๐-๙])([0-9๐-๙])[,.'](?=[0-9๐-๙]%s)" % _MONTHS_AHEAD)
# A day OCR cut in two with a space (``ลงวันที่ ๑ ๕ กันยายน``): the date would
# start at the second digit, a day of one digit read as sure as any.
_SPLIT_DAY_RE = re.compile(r"(?<![0-9๐-๙])([0-9])\s+([0-9])%s|(?<![0-9๐-๙])([๐-๙])\s+([๐-๙])%s"
                           % (_MONTHS_AHEAD, _MONTHS_AHEAD))
# A BE year that lost its leading ๒ (``กรกฎาคม ๕๕๘``); `_plausible` then keeps 2480–2620.
_LOST_TWO_RE = re.compile(r"(?<=[\u0e01-\u0e4e.\s])(?P<year>[๔๕๖4-6][0-9๐-๙]{2})(?![0-9๐-๙])")

# For `date_in_context`: a month-like word, the day just before it, and after it
# an optional พ.ศ. (its พ perhaps glued to the month) and a run of digits.
_MONTH_WORD_RE = re.compile(r"[\u0e01-\u0e4e.]{2,}")
_DAY_BEFORE_RE = re.compile(r"(?<![0-9๐-๙])([0-9๐-๙]{1,2})\s*$")
_YEAR_AFTER_RE = re.compile(
    r"\s*(?:[พห]?\s*[ุู]?\s*\.?\s*ศ\s*(?:\.\s*){0,2})?(?P<run>[0-9๐-๙](?:[\s.,]*[0-9๐-๙]){1,5})")
_BE_YEAR_RE = re.compile(r"(?<![0-9๐-๙])[๒2]\s?[๕5]\s?[0-9๐-๙]\s?[0-9๐-๙](?![0-9๐-๙])")
#: A law's title (``พระราชบัญญัติ… พ.ศ. ๒๕๔๗``): a year after it, with no date
#: in between, is the law's, not the letter's (tuning 500439).
_LAW_TITLE_RE = re.compile("พระราชบัญญัติ|พระราชกฤษฎีกา|กฎกระทรวง|ระเบียบ|ประมวลกฎหมาย")
#: How far before a year its law's title may start (a title runs over two lines).
_LAW_REACH = 120


@dataclass(frozen=True)
class NumberReading:
    """A letter number read off a line, with its confidence."""

    number: str | None
    circular: bool
    confidence: float
    end: int


def _is_receipt_token(token: str) -> bool:
    """True for a receipt-stamp word: เลขรับ (one OCR slip allowed) or เวลา."""
    skel = skeleton(token.strip(".,:;"))
    return skel.startswith("เวลา") or any(
        edit_distance(skel[:size], r, 1) <= 1
        for r in _RECEIPT_SKELETONS
        for size in (len(r) - 1, len(r), len(r) + 1)
    )


def is_receipt_line(line: str) -> bool:
    """True for a line of a receipt stamp (เลขรับ, เวลา … น.)."""
    return any(_is_receipt_token(token) for token in line.split())


def before_receipt(line: str) -> str:
    """The part of `line` before a receipt-stamp word (OCR may put the stamp beside ที่)."""
    tokens = line.split(" ")
    for i, token in enumerate(tokens):
        if token and _is_receipt_token(token):
            return " ".join(tokens[:i])
    return line


def receipt_zone(lines: list[str]) -> set[int]:
    """Indexes of lines belonging to receipt stamps: receipt lines and the three after เลขรับ."""
    zone: set[int] = set()
    for i, line in enumerate(lines):
        if is_receipt_line(line):
            zone.add(i)
            if "เวลา" not in line:
                zone.update(range(i, min(len(lines), i + 4)))
    return zone


_GLUED_LABEL_RE = re.compile(r"^(?:ที่|ที|ทิ|ทึ)(?=[ก-ฮ])")


def _near_ministry_code(consonants: str) -> str | None:
    """The one ministry code that starts alike and is at most two edits away
    (``ศจง`` → ``ศธ``: ธ read as จง on spaced type), else None."""
    near = [code for code in MINISTRY_CODES
            if code[0] == consonants[0] and edit_distance(code, consonants, 3) <= 2]
    return near[0] if len(near) == 1 else None


def read_agency(token: str | None, org_hint: str | None,
                unit: str = "") -> tuple[str | None, float]:
    """Read the agency letters before the number (whose code is `unit`): clean,
    lookalike, or inferred from the office."""
    if token:
        token = _GLUED_LABEL_RE.sub("", token)  # ทีศธ: the label's letters closed up
        consonants = "".join(_THAI_CONSONANTS_RE.findall(token))
        if thai_count(token) == len(token.replace(".", "")) and 2 <= len(consonants) <= 3:
            clean = consonants == token.replace(".", "")
            if consonants in MINISTRY_CODES or consonants in province_codes():
                # marks no code has (``ศูกิ``), or a province's code before a unit
                # from 0, which only ministries use (``ศก 04015``): the office's ศธ?
                suspect = not clean or (consonants not in MINISTRY_CODES
                                        and unit.startswith("0"))
                inferred = agency_for(org_hint) if suspect else None
                if inferred and inferred != consonants and edit_distance(
                        consonants, inferred, 1) <= 1:
                    return inferred, 0.55
                return consonants, 1.0 if clean else 0.8
            if consonants in _AGENCY_LOOKALIKES:
                return _AGENCY_LOOKALIKES[consonants], 0.6
            inferred = agency_for(org_hint)  # an unknown code is a misread one,
            if inferred:  # most likely of the office's own ministry (tuning 500648)
                return inferred, 0.45
            near = _near_ministry_code(consonants)
            return (near, 0.55) if near else (consonants, 0.5)
    inferred = agency_for(org_hint)
    return (inferred, 0.45) if inferred else (None, 0.0)


def _label_and_agency(prefix: str) -> tuple[bool, str | None]:
    """Split what precedes the number into (label read cleanly, agency token)."""
    tokens = [t for t in prefix.split() if t.strip(_PUNCTUATION)]  # ``ศธ .๐๔๒๕๖``: a speck
    if not tokens:
        return False, None
    label_ok = skeleton(strip_leading_junk(tokens[0])) == "ท" and thai_count(tokens[0]) == len(
        tokens[0]
    )
    if len(tokens) == 1:
        return label_ok, None if label_ok else tokens[0]
    return label_ok, tokens[-1]


def read_number(line: str, kind: Kind | None, org_hint: str | None,
                years: Counter[int] | None = None) -> NumberReading | None:
    """Read the letter number on the ที่ line.

    Args:
        line: The line holding ``ที่ ศธ 04049/508`` (OCR-garbled forms allowed).
        kind: The letter's kind; orders carry no agency letters.
        org_hint: The issuing office, to infer unreadable agency letters.
        years: The years the letter prints (`letter_years`), for an order's year.

    Returns:
        The reading, or None when the line holds no number.
    """
    line, specks = mend_number(before_receipt(line))
    match = NUMBER_RE.search(line)
    if match is None and kind is Kind.order and years:
        glued = _glued_order(line, years)
        if glued is not None:
            return glued
    if match is None:
        loose = _LOOSE_NUMBER_RE.search(line)
        if loose is None:
            return None
        return NumberReading(None, loose["circular"] is not None, 0.0, loose.end())
    prefix = line[: match.start()]
    label_ok, token = _label_and_agency(prefix)
    thai = any("๐" <= ch <= "๙" for ch in match.group(0))
    mixed = thai and any("0" <= ch <= "9" for ch in match.group(0))
    parts = dict(
        unit=to_arabic_digits(re.sub(r"\s", "", match["unit"])),
        circular=match["circular"] is not None,
        running=to_arabic_digits(match["running"]),
        thai_digits=thai,
    )
    if kind is Kind.order:
        if "." in parts["unit"]:  # an order's number has no sub-unit: a speck (500705)
            parts["unit"] = parts["unit"].replace(".", "")
            specks += 1
        parts["running"], mended = _order_year(parts["running"], years)
        year_ok = _BE_MIN <= int(parts["running"]) <= _BE_MAX
        conf = 0.85 if label_ok and year_ok and not mended else 0.5
        number = LetterNumber(agency="", **parts)
    else:
        agency, conf = read_agency(token, org_hint, parts["unit"])
        if agency is None:
            return NumberReading(None, parts["circular"], 0.0, match.end())
        conf = conf * (0.95 if label_ok else 0.85)
        if not _plausible_unit(parts["unit"]):
            parts["unit"] = _ministry_unit(agency, parts["unit"])
            conf = min(conf, ODD_UNIT_CEILING)
        number = LetterNumber(agency=agency, **parts)
    if thai:
        conf = min(conf, MIXED_DIGIT_CEILING if mixed else THAI_DIGIT_CEILING)
    if specks:  # the speck may have been a digit, the lost slash a digit too
        conf = min(conf, SPECK_CEILING)
    more = _DIGITS_AFTER_RE.match(line, match.end())
    if more and not more["after"].strip().startswith(MONTH_STARTS):
        conf = min(conf, SPLIT_RUNNING_CEILING)  # tuning letter 500642
    return NumberReading(number.canonical, number.circular, round(conf, 2), match.end())


def _glued_order(line: str, years: Counter[int]) -> NumberReading | None:
    """An order's number whose slash OCR lost (``๕๐๕๒๕๕๖``): the digits end in
    a year the letter prints elsewhere (its date). Never sure (tuning 500546)."""
    for run in _GLUED_ORDER_RE.finditer(line):
        digits = to_arabic_digits(run.group())
        if years[int(digits[-4:])] >= 2:
            number = LetterNumber(agency="", unit=digits[:-4], circular=False,
                                  running=digits[-4:], thai_digits=run.group() != digits)
            return NumberReading(number.canonical, False, GLUED_ORDER_CONFIDENCE, run.end())
    return None


def mend_number(text: str) -> tuple[str, int]:
    """A letter number's specks and slash mended: a speck after the slash
    (``๑๖๐/.๕๖๗``), beside a sub-unit's dot (``04214. .003/``, tuning
    500948), inside the code before it (``๑๗,๐/๒๕๕๖``) or read as ไ
    between digits (``๘๙ไ๒``) dropped, a slash OCR lost before ว put back
    (``04141 ว 808``). Returns the text and how many mends."""
    text, specks = _SPECK_AFTER_SLASH_RE.subn("/", text)
    text, by_dot = _SPECK_BY_DOT_RE.subn(".", text)
    text, inside = _SPECK_IN_UNIT_RE.subn("", text)
    text, vowel = _SPECK_AS_VOWEL_RE.subn("", text)
    text, lost = _LOST_SLASH_RE.subn("/", text)
    return text, specks + by_dot + inside + vowel + lost


def _order_year(running: str, years: Counter[int] | None = None) -> tuple[str, bool]:
    """An order's number ends in its BE year (``๓๗๕/๒๕๕๕``): a year with a stray
    digit in front (``12549``), its ๒ lost (``๕๖๗``) or its last digit lost
    (``๒๕๕``, taken from the letter's `years` as `date_in_context` does) is
    mended, and says so; so is a whole year printed nowhere else when the
    letter prints one a digit away more often (the order's own date)."""
    def plausible(year: str) -> bool:
        return _BE_MIN <= int(year) <= _BE_MAX

    if plausible(running):
        if years and years[int(running)] <= 2:  # printed here only (2: once, whole)
            others = Counter({y: n for y, n in years.items() if y != int(running)})
            near = _one_near_year(running, others)
            if near is not None and others[near] >= 2:
                return str(near), True  # tuning 500641: ๒๕๐๒ of an order dated ๒๕๖๒
        return running, False
    if len(running) == 5 and plausible(running[1:]):
        return running[1:], True
    if len(running) == 3 and plausible("2" + running):
        return "2" + running, True
    near = _one_near_year(running, years) if len(running) == 3 and years else None
    if near is not None:
        return str(near), True  # ``๒๕๕``: the one year the letter prints, a digit away
    return running, False


#: Ministries whose units are five digits, 0 then this one (ศธ 04…, the
#: education service areas and schools): four digits starting with it lost the 0.
_UNIT_SECOND = {"ศธ": "4"}


def _ministry_unit(agency: str, unit: str) -> str:
    """A ministry's unit code with its leading 0 put back when OCR read it as another
    digit (``ศธ 24090`` for ``ศธ 04090``: ๐ taken for ๒ or ๖) or lost it
    (``ศธ ๔๐๔๑`` for ``ศธ ๐๔๐๔๑``, see `_UNIT_SECOND`). Ministries number
    their units from 0; a province's local offices do not (``ชม 52101``), so
    only ministry codes are mended, and the caller keeps the confidence low."""
    main, dot, rest = unit.partition(".")
    if agency in MINISTRY_CODES and 4 <= len(main) <= 5 and main[0] != "0":
        if len(main) == 4 and main[0] == _UNIT_SECOND.get(agency):
            return "0" + main + dot + rest  # the ๐ itself lost (fused with the ธ before it)
        return "0" + main[1:] + dot + rest
    return unit


def _plausible_unit(unit: str) -> bool:
    """True for an agency unit code as offices print it: 0 and three or four more digits
    (six or more is a sub-unit whose dot OCR lost: ``04168016`` for ``04168.016``)."""
    main = unit.split(".")[0]
    return 4 <= len(main) <= 5 and main.startswith("0")


def _could_hold_number(line: str, match: re.Match[str]) -> bool:
    """False when the ``…/…`` sits in an address rather than after ที่."""
    label_ok, _ = _label_and_agency(line[: match.start()])
    return label_ok or not line[match.end():].strip().startswith(_ADDRESS_WORDS)


def find_number_line(lines: list[str], stop: int) -> int | None:
    """Index of the ที่ line: the first line before `stop` with a ``…/…`` number
    (failing that, a ที่ line of digits alone: an order's number without its slash).

    Receipt-stamp text and house numbers in addresses are not letter numbers.
    """
    for pattern in (NUMBER_RE, _LOOSE_NUMBER_RE):
        for i, line in enumerate(lines[:stop]):
            text = before_receipt(line)
            match = pattern.search(text)
            if match and _could_hold_number(text, match):
                return i
    for i, line in enumerate(lines[:stop]):  # an order's, its slash lost (`_glued_order`)
        if _GLUED_LINE_RE.match(line):
            return i
    return None


def date_confidence(match: DateMatch) -> float:
    """Confidence of a date reading from how cleanly it matched."""
    conf = 0.95
    if match.fuzzy:
        conf = 0.7
    if match.short_year:
        conf = min(conf, 0.6)
    if match.thai_digits:
        conf = min(conf, THAI_DIGIT_CEILING)
    return conf


def _crowded(text: str, match: DateMatch, labelled: bool) -> bool:
    """True when something stands before `match`'s day on its line other than
    (if `labelled`: a memo's or an order's) the วันที่ label: the day's lost
    first digit read as a mark (``l6`` for ``16``) or, an external letter
    printing its date alone, a cited letter's date (``ลงวนท ๖ …``). The
    label is known by its skeleton's last letter, its marks garbled or lost
    (``วันที``, ``วันทึ``, ``วนท``)."""
    before = _STRAY_QUOTES_RE.sub("", text)[:match.start].rstrip()
    return bool(before) and not (labelled and skeleton(before).endswith("ท"))


def _plausible(match: DateMatch) -> bool:
    """Reject dates whose BE year cannot be a letter's (misread digits)."""
    return _BE_MIN <= match.date.year + 543 <= _BE_MAX


def first_date(text: str) -> DateMatch | None:
    """The first plausible date in `text`; failing that, one with a misread century.

    A year printed in Thai digits whose first two digits are misread
    (``๒๙๖๑`` for ``๒๕๖๑``: ๕ and ๙ look alike) is read as ``๒๕..``, the only
    century a letter in this archive can have, and a lone digit between the
    month and the year (``กุมภาพัน 7 2560``: ธ์ read as 7) is dropped, as are
    specks read as punctuation, a lone letter before the month and a third
    digit stuck to the day and dots and commas around a wrapped month and a
    fifth digit before or after a ๒๕.. year, and a
    year that lost its leading ๒ gets it back; such a date is a fuzzy match
    (lower confidence). Before all that, a lone digit of the other script
    before the month and a comma inside the day are dropped (`_OTHER_SCRIPT_RE`,
    `_SPECK_IN_DAY_RE`) and a day cut in two is joined (`_SPLIT_DAY_RE`), also
    a fuzzy match.
    """
    text = _STRAY_QUOTES_RE.sub("", text)  # specks read as quotes: ``๒๙” เมษายน``
    day_mended = _SPLIT_DAY_RE.sub(_joined_day, _SPECK_IN_DAY_RE.sub(
        r"\1", _OTHER_SCRIPT_RE.sub(lambda m: m[1] or m[2], text)))
    if day_mended != text:
        found = next((m for m in find_thai_dates(day_mended) if _plausible(m)), None)
        if found is not None:
            return replace(found, fuzzy=True)
    found = next((m for m in find_thai_dates(text) if _plausible(m)), None)
    if found is not None:
        return found
    repaired = _LONE_DIGIT_RE.sub(" ", _STRAY_PUNCT_RE.sub(" ", _SPECKS_IN_DATE_RE.sub(" ", text)))
    repaired = _YEAR_TAIL_RE.sub("", _GLUED_YEAR_RE.sub("", repaired))
    repaired = _LONG_DAY_RE.sub(r"\1", _LONE_LETTER_RE.sub(" ", repaired))
    repaired = _THAI_YEAR_RE.sub(lambda m: "๒๕" + m["tail"], repaired)
    repaired = _LOST_TWO_RE.sub(
        lambda m: ("๒" if m["year"][0] in "๔๕๖" else "2") + m["year"], repaired)
    if repaired == text:
        return None
    again = next((m for m in find_thai_dates(repaired) if _plausible(m)), None)
    return replace(again, fuzzy=True) if again else None


def _joined_day(match: re.Match[str]) -> str:
    """`_SPLIT_DAY_RE`'s two digits as one day; the second alone when no month
    has such a day (the first was a speck)."""
    first, second = (match[1], match[2]) if match[1] else (match[3], match[4])
    return first + second if 1 <= int(to_arabic_digits(first + second)) <= 31 else second


def signed_as_order(lines: Sequence[str]) -> bool:
    """True when a line reads ``สั่ง ณ วันที่ …`` with a date: how an order is signed."""
    return any(_ORDER_DATE_RE.search(skeleton(line)) and first_date(line) for line in lines)


def letter_years(text: str) -> Counter[int]:
    """How often each plausible BE year is printed in `text` (dates, ปีงบประมาณ,
    an order's number; not a cited law's, `_laws_year`), for mending a date
    whose year OCR garbled; in halves:
    a year read whole counts 2, one read with spaces inside (``๒๕ 9 ๔``, often
    itself garbled) 1."""
    years: Counter[int] = Counter()
    for match in _BE_YEAR_RE.finditer(text):
        if _laws_year(text, match.start()):
            continue
        digits = re.sub(r"\s", "", match.group())
        year = int(to_arabic_digits(digits))
        if _BE_MIN <= year <= _BE_MAX:
            years[year] += 2 if digits == match.group() else 1
    return years


def _laws_year(text: str, start: int) -> bool:
    """True when the year at `start` ends a law's title (`_LAW_TITLE_RE`) with
    no month or ปี between: the Act of ๒๕๔๗ an order cites is no year of its own."""
    before = text[max(0, start - _LAW_REACH):start]
    titles = list(_LAW_TITLE_RE.finditer(before))
    if not titles:
        return False
    after = before[titles[-1].end():]
    return not (any(month in after for month in MONTH_STARTS) or "ปี" in after)


def _one_near_year(digits: str, years: Counter[int]) -> int | None:
    """The year of `years` one digit away from `digits` that the letter prints
    more often than any other such year, or None (none, or a tie)."""
    near = sorted(((n, y) for y, n in years.items() if edit_distance(digits, str(y), 1) <= 1),
                  reverse=True)
    if not near or (len(near) > 1 and near[0][0] == near[1][0]):
        return None
    return near[0][1]


def date_in_context(text: str, years: Counter[int]) -> DateMatch | None:
    """A date whose year lost or gained one digit, mended from the letter's other years.

    ``๑๐ มิถุนายน 256 ,`` (the 4 lost) or ``๕กุมภาพันธ์พ.ศ.๒๕๕๕๒`` (a speck read
    as a digit) cannot be read as printed; when a year the letter prints
    elsewhere (``ปีงบประมาณ 2564``, a deadline, an order's number) is one digit
    away, and printed there more often than any other such year, that is the
    year. Only three- and five-digit years are mended: a four-digit year
    misread as another is not guessed at. A fuzzy match.
    """
    text = _STRAY_QUOTES_RE.sub("", text)
    for word in _MONTH_WORD_RE.finditer(text):
        month = match_month(word.group())
        day = _DAY_BEFORE_RE.search(text[: word.start()])
        after = _YEAR_AFTER_RE.match(text, word.end())
        if month is None or day is None or after is None:
            continue
        digits = to_arabic_digits(re.sub(r"[^0-9๐-๙]", "", after["run"]))
        if len(digits) not in (3, 5):
            continue
        near = _one_near_year(digits, years)
        if near is None:
            continue
        try:
            date = dt.date(near - 543, month[0], int(to_arabic_digits(day[1])))
        except ValueError:
            continue
        thai = any(ch in "๐๑๒๓๔๕๖๗๘๙" for ch in day[1] + after["run"])
        return DateMatch(date, day.start(), after.end(), True, thai, False)
    return None


def find_letter_date(
    lines: list[str],
    kind: Kind | None,
    number_line: int | None,
    number_end: int,
    subject_line: int | None,
    years: Counter[int] | None = None,
) -> tuple[dt.date | None, float, int | None]:
    """Find the letter's own date.

    External letters print it alone under the address (after the ที่ line),
    memos on the ที่ line after วันที่, orders at the end after ``สั่ง ณ วันที่``.
    Receipt-stamp dates are skipped.

    Args:
        lines: Lines of the first page (orders: of the whole letter).
        kind: The letter's kind.
        number_line: Index of the ที่ line, if found.
        number_end: Offset in that line just past the number.
        subject_line: Index of the เรื่อง line, if found.
        years: BE years the whole letter prints (`letter_years`), to mend a
            date whose year lost or gained a digit (`date_in_context`).

    Returns:
        ``(date, confidence, line index)`` or ``(None, 0.0, None)``.
    """
    labelled = kind in (Kind.memo, Kind.order)

    def read(text: str) -> tuple[DateMatch | None, float]:
        found = first_date(text)
        if found is not None and not found.short_year:
            if _crowded(text, found, labelled):
                return found, min(date_confidence(found), CROWDED_DATE_CEILING)
            return found, date_confidence(found)
        mended = date_in_context(text, years) if years else None
        if mended is not None:  # ``๑ ธันวาคม ๒๕ “๔``: not the short year ๒๕
            return mended, min(date_confidence(mended), CONTEXT_YEAR_CEILING)
        return found, date_confidence(found) if found else 0.0

    if kind is Kind.order:
        for i in range(len(lines) - 1, -1, -1):
            line = lines[i]
            if _ORDER_DATE_RE.search(skeleton(line)):
                found, conf = read(line)
                if found:
                    return found.date, conf, i
        return None, 0.0, None
    receipts = receipt_zone(lines)
    stop = subject_line if subject_line is not None else min(len(lines), 15)
    if number_line is not None and kind is Kind.memo:
        found, conf = read(lines[number_line][number_end:])
        if found and not found.short_year:
            return found.date, conf, number_line
    start = number_line + 1 if number_line is not None else 0
    for rank, span in enumerate((range(start, stop), range(0, start))):
        for i in span:
            line = lines[i]
            if i in receipts or (kind is not Kind.memo and "วันที่" in line):
                continue
            found, conf = read(line)
            if found and not found.short_year:  # a letter prints its year in full
                factor = 1.0 if rank == 0 and number_line is not None else 0.8
                return found.date, round(conf * factor, 2), i
    return None, 0.0, None
