"""Secrecy (ลับ…) and urgency (ด่วน…) stamps read off OCR lines.

The stamps are big red words alone on a line: urgency top left, secrecy top
and bottom centre of every page. Only short lines in the top and bottom
zones of each page are considered, so words such as ``กลับ`` in the body
never count. Lines from a separate stamp-zone OCR may be prepended to the
text; they fall in the top zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.extract_labels import first_column, thai_count
from schemas.enums import Secrecy, Urgency
from schemas.text import skeleton

TOP_LINES = 6
BOTTOM_LINES = 3
MAX_STAMP_LETTERS = 14
# No stamp read: red stamps are often missed by Tesseract, so "none" is never sure.
NO_STAMP_CONFIDENCE = 0.3

STAMPS: dict[str, Secrecy | Urgency] = {
    "ลับ": Secrecy.confidential,
    "ลับมาก": Secrecy.secret,
    "ลับที่สุด": Secrecy.top_secret,
    "ด่วน": Urgency.urgent,
    "ด่วนมาก": Urgency.very_urgent,
    "ด่วนที่สุด": Urgency.most_urgent,
}

# Pairs of Thai letters Tesseract confuses on big stamp type; substituting costs half.
_CONFUSABLE = {
    frozenset(pair)
    for pair in ("ดต", "ดศ", "วซ", "วจ", "ธร", "ธจ", "นม", "นบ", "บม", "บป", "ทห", "ลส")
}
_FUZZY_LIMIT = 1.5
_MARGIN = 0.5


@dataclass(frozen=True)
class _Hit:
    """One stamp reading of one line; `alternative` is set when two readings tie."""

    level: Secrecy | Urgency
    confidence: float
    alternative: Secrecy | Urgency | None = None


def _weighted_distance(a: str, b: str) -> float:
    """Edit distance where confusable letter pairs cost 0.5."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        current = [float(i)]
        for j, cb in enumerate(b, 1):
            sub = 0.0 if ca == cb else 0.5 if frozenset((ca, cb)) in _CONFUSABLE else 1.0
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + sub))
        previous = current
    return previous[-1]


def _core(line: str) -> str:
    """The Thai letters of the line's first column (stamp text without specks)."""
    return "".join(ch for ch in first_column(line) if thai_count(ch))


def _read_stamp(line: str) -> _Hit | None:
    """Read one line as a stamp, exactly, by skeleton, or fuzzily with a clear margin."""
    core = _core(line)
    if not core or len(core) > MAX_STAMP_LETTERS:
        return None
    if core in STAMPS:
        return _Hit(STAMPS[core], 0.95)
    skel = skeleton(core)
    alone = first_column(line).replace(" ", "") == core  # nothing else on the line
    for word, level in STAMPS.items():
        if skel == skeleton(word):
            if len(skel) >= 3:
                return _Hit(level, 0.8)
            if alone:  # big ลับ read ``ล บ``: a two-letter line at a page's edge
                return _Hit(level, 0.55)
    scored = sorted(
        (_weighted_distance(skel, skeleton(w)), w) for w in STAMPS if len(skeleton(w)) >= 4
    )
    (best, word), (second, other) = scored[0], scored[1]
    if best > _FUZZY_LIMIT:
        return _read_by_suffix(core)
    # Nearer one word only for being shorter (``สะมาก``: no letter of ลับ or
    # ด่วน) says nothing: a tie.
    if second - best >= _MARGIN and set(skeleton(word)[:2]) & set(skel):
        return _Hit(STAMPS[word], 0.55)
    return _tie(STAMPS[word], STAMPS[other], 0.4)


def _read_zone_stamp(line: str) -> _Hit | None:
    """Read a line from the stamp-zone OCR, where a short word alone is a stamp.

    Tesseract drops the vowel of big bold ลับ (reading ลบ); in the zones cut
    around the stamps, a skeleton match of any length counts.
    """
    core = _core(line)
    if not core or len(core) > MAX_STAMP_LETTERS:
        return None
    skel = skeleton(core)
    for word, level in STAMPS.items():
        if core != word and skel == skeleton(word):
            return _Hit(level, 0.7)
    return _read_stamp(line)


def _tie(one: Secrecy | Urgency, two: Secrecy | Urgency, confidence: float) -> _Hit:
    """A reading equally close to two stamps, the urgency one first (it is the commoner)."""
    first, second = (one, two) if isinstance(one, Urgency) else (two, one)
    return _Hit(first, confidence, second)


def _read_by_suffix(core: str) -> _Hit | None:
    """Read a garbled stamp by its intact tail (มาก, ที่สุด) and the closer of ด่วน / ลับ."""
    for tail, urgent, secret in (
        ("ที่สุด", Urgency.most_urgent, Secrecy.top_secret),
        ("มาก", Urgency.very_urgent, Secrecy.secret),
    ):
        if not core.endswith(tail) or len(core) == len(tail):
            continue
        head = skeleton(core[: -len(tail)])
        to_urgent, to_secret = _weighted_distance(head, "ดวน"), _weighted_distance(head, "ลบ")
        if min(to_urgent, to_secret) > 2:
            return None
        # A head with no letter of either word (``สะ`` of ``สะ มา ก``) is nearer ลบ
        # only for being short: that says nothing, so it stays a tie.
        shares = bool(set(head) & set("ดวนลบ"))
        if shares and abs(to_urgent - to_secret) >= _MARGIN:
            return _Hit(urgent if to_urgent < to_secret else secret, 0.4)
        return _tie(urgent, secret, 0.3)
    return None


def _zone_lines(pages: list[list[str]]) -> list[str]:
    """The top and bottom non-empty lines of every page."""
    zone: list[str] = []
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        zone.extend(filled[:TOP_LINES])
        zone.extend(filled[max(TOP_LINES, len(filled) - BOTTOM_LINES):])
    return zone


def _kind(level: Secrecy | Urgency | None) -> type | None:
    """Secrecy or Urgency, the enum the level belongs to."""
    return type(level) if level is not None else None


def read_stamps(pages: list[list[str]], zone_lines: Sequence[str] = ()
                ) -> tuple[Secrecy, float, Urgency, float]:
    """Find the secrecy and urgency stamps of a letter.

    A line that reads equally well as ด่วน… and ลับ… is given to whichever of
    the two has no clean reading elsewhere, or else to urgency (the commoner
    stamp), with low confidence.

    Args:
        pages: The letter's lines, page by page.
        zone_lines: Lines read in the stamp zones apart from the body (ocr.page_reader), if any.

    Returns:
        ``(secrecy, secrecy_confidence, urgency, urgency_confidence)``; the
        confidence of an unstamped letter is how sure we are there is no stamp.
    """
    best: dict[type, tuple[Secrecy | Urgency, float]] = {}
    ties: list[_Hit] = []
    readings = [(line, _read_stamp) for line in _zone_lines(pages)]
    readings += [(line, _read_zone_stamp) for line in zone_lines]
    for line, read in readings:
        hit = read(line)
        if hit is None:
            continue
        if hit.alternative is not None:
            ties.append(hit)
            continue
        kind = _kind(hit.level)
        if kind not in best or hit.confidence > best[kind][1]:
            best[kind] = (hit.level, hit.confidence)
    for hit in ties:
        free = [lv for lv in (hit.level, hit.alternative) if _kind(lv) not in best]
        if free:
            best[_kind(free[0])] = (free[0], hit.confidence if len(free) == 1 else 0.3)
    secrecy, s_conf = best.get(Secrecy, (Secrecy.none, NO_STAMP_CONFIDENCE))
    urgency, u_conf = best.get(Urgency, (Urgency.normal, NO_STAMP_CONFIDENCE))
    return secrecy, s_conf, urgency, u_conf
