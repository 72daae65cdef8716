"""The query language, parsed into a backend-neutral tree that each backend compiles.

Understood (README, "Query language"): words, "exact phrases", OR, -exclusion,
prefix*, field terms (เรื่อง:/subject:, จาก:/from:, ถึง:/to:, ที่:/number:),
letter numbers in Thai or Arabic digits, Buddhist-Era dates (`2561..2563`,
`ม.ค. 2565`, `ม.ค. 2565..มี.ค. 2565`) and facet filters (`ประเภท:คำสั่ง`,
`kind:memo`, `ปี:2563`, ...). Parsing never fails: whatever is not understood
is searched as plain words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from index.analysis import number_keys
from index.facets import FILTER_ALIASES, filter_value
from schemas.letter_numbers import parse_number
from schemas.text import fold
from schemas.thai_dates import BE_OFFSET, MONTHS_ABBR, MONTHS_FULL, match_month

FIELD_ALIASES = {
    "subject": "subject", "เรื่อง": "subject",
    "from": "from", "จาก": "from",
    "to": "to", "ถึง": "to", "เรียน": "to",
    "number": "number", "ที่": "number",
}

_NUMBER_SHAPE = re.compile(
    r"(?:[ก-ฮ](?:\s?\.?\s?[ก-ฮ]){1,3}\.?\s*)?[0-9]+(?:\.[0-9]+)*\s*/\s*ว?\s*[0-9]+"
)
_NUMBER_FIELD = re.compile(r"(?:ที่|number):\s*")
_MONTH = "|".join(sorted((re.escape(m) for m in (*MONTHS_FULL, *MONTHS_ABBR,
                                                   *(a.replace(".", "") for a in MONTHS_ABBR))),
                         key=len, reverse=True))
_WHEN = rf"(?:(?:{_MONTH})\s*)?(?:25|24|26)[0-9]{{2}}|(?:{_MONTH})\s*[0-9]{{2}}(?![0-9])"
_DATE_RANGE = re.compile(rf"(?<![\w.])(?:date:|วันที่:)?({_WHEN})?\s*\.\.\s*({_WHEN})?(?![\w])")
_MONTH_YEAR = re.compile(rf"(?<![\w.])(?:date:|วันที่:)?((?:{_MONTH})\s*(?:[0-9]{{4}}|[0-9]{{2}}))"
                         rf"(?![0-9])")
_ITEM = re.compile(r'(-?)(?:([^\s:"]+):)?"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Words:
    """Text that must match (as words, or as a compound inside longer words)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together in this order."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    """A word that must start with `text` (typed as `text*`)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class LetterNumber:
    """A letter number; `key` is canonical with no spaces (ศธ04049/ว508)."""

    key: str
    text: str
    unit: str = ""
    running: str = ""


@dataclass(frozen=True)
class NumberTerm:
    """One piece of evidence that a record holds a letter number: a keyword
    `field` holding `text`, worth a constant `weight` (a misread number is
    evidence, not a term to weigh by rarity), and half that at one edit if `fuzzy`."""

    field: str
    text: str
    weight: float
    fuzzy: bool


def number_terms(node: LetterNumber) -> list[NumberTerm]:
    """What every backend looks for besides the exact number key, best evidence first.

    A record whose number was read right matches every grain of `number_keys`
    and scores their sum; one whose number came back misread matches only the
    coarser grains, so it still ranks, and above letters that merely share a
    coarse key by chance.
    """
    if not (node.unit and node.running):
        return []
    digits = f"{node.unit}/{node.running}"
    exact, fine, coarse = number_keys(node.unit, node.running)
    return [NumberTerm("number_digits", digits, 4.0, len(digits) >= 9),  # Arabic, one slip
            NumberTerm("own_loose", coarse, 6.0, True),  # its own number, misread
            NumberTerm("loose_numbers", exact, 5.0, False),  # a number in its text
            NumberTerm("loose_numbers", fine, 4.0, False),
            NumberTerm("loose_numbers", coarse, 3.0, True)]


@dataclass(frozen=True)
class Not:
    """Records matching `node` are excluded."""

    node: Node


@dataclass(frozen=True)
class AnyOf:
    """At least one of `nodes` must match."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class DateRange:
    """Letters dated from `start` to `end` inclusive (either may be open)."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class FieldFilter:
    """A facet filter typed in the query (`ประเภท:คำสั่ง` → kind = order)."""

    name: str
    value: str


Node = Words | Phrase | Prefix | LetterNumber | Not | AnyOf
Filter = DateRange | FieldFilter


class TreeCompiler(ABC):
    """The walk over a parsed query both backends share (index.tantivy_query,
    index.opensearch_query); each says how every kind of node becomes its own
    query object. `tolerant` (a `Tolerance`) asks for the OCR-tolerant form."""

    def node(self, node: Node, tolerant: Any) -> Any:
        """One node of the tree."""
        if isinstance(node, LetterNumber):
            return self._letter_number(node)
        if isinstance(node, Not):
            return self._excluded(self.node(node.node, None))  # excluded words exactly
        if isinstance(node, AnyOf):
            return self._any_of([self.node(n, tolerant) for n in node.nodes])
        if isinstance(node, Phrase):
            return self._phrase(node.text, node.field, tolerant)
        if isinstance(node, Prefix):
            return self._prefix(node)
        return self._words(node, tolerant)

    @abstractmethod
    def _letter_number(self, node: LetterNumber) -> Any:
        ...

    @abstractmethod
    def _excluded(self, query: Any) -> Any:
        """Every letter except those `query` matches."""
        ...

    @abstractmethod
    def _any_of(self, queries: list[Any]) -> Any:
        ...

    @abstractmethod
    def _phrase(self, text: str, field: str | None, tolerant: Any) -> Any:
        ...

    @abstractmethod
    def _prefix(self, node: Prefix) -> Any:
        ...

    @abstractmethod
    def _words(self, node: Words, tolerant: Any) -> Any:
        ...


@dataclass(frozen=True)
class ParsedQuery:
    """All `required` nodes and `filters` must match; none of the `excluded` may."""

    required: tuple[Node, ...]
    excluded: tuple[Node, ...]
    filters: tuple[Filter, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the query asks for no text (browse, perhaps filtered)."""
        return not self.required and not self.excluded

    def highlight_terms(self) -> list[str]:
        """The texts worth highlighting in a snippet."""
        out: list[str] = []
        for node in self.required:
            out.extend(_texts(node))
        return out

    def plain_words(self) -> list[str]:
        """Words typed without field, quote or operator: where a typo may be corrected."""
        return [node.text for node in self.required if isinstance(node, Words)
                and node.field is None]


def _texts(node: Node) -> list[str]:
    if isinstance(node, Words | Phrase | Prefix | LetterNumber):
        return [node.text]
    if isinstance(node, AnyOf):
        return [text for child in node.nodes for text in _texts(child)]
    return []


def number_key(text: str) -> str | None:
    """The index key of a letter number found in `text`: canonical, no spaces."""
    parsed = parse_number(text)
    return parsed.canonical.replace(" ", "") if parsed else None


def parse(query: str) -> ParsedQuery:
    """Parse a query as typed into the search box; never raises."""
    try:
        return _parse(query)
    except (ValueError, OverflowError, re.error):  # a date like 31 ก.พ.: search the words
        return ParsedQuery((Words(fold(query)),), ()) if fold(query) else ParsedQuery((), ())


def _parse(query: str) -> ParsedQuery:
    query = fold(query)
    filters: list[Filter] = []
    query = _DATE_RANGE.sub(lambda m: _take_range(m, filters), query)
    query = _MONTH_YEAR.sub(lambda m: _take_month(m, filters), query)
    query = _NUMBER_FIELD.sub(lambda m: "" if _NUMBER_SHAPE.match(query, m.end()) else m.group(0),
                              query)
    required: list[Node] = []
    for match in list(_NUMBER_SHAPE.finditer(query)):
        number = _letter_number(match.group(0))
        if number:
            required.append(number)
    query = _NUMBER_SHAPE.sub(" ", query)
    excluded: list[Node] = []
    pending_or = False
    for match in _ITEM.finditer(query):
        negate, field_name, quoted, bare = match.groups()
        if bare is not None and bare == "or":  # fold() lower-cased OR
            pending_or = bool(required)
            continue
        found = _item(field_name, quoted, bare)
        if isinstance(found, FieldFilter):
            filters.append(found)
            continue
        if found is None:
            continue
        if negate or (bare is not None and bare.startswith("-") and len(bare) > 1):
            excluded.append(found)
            continue
        if pending_or and required:
            previous = required.pop()
            earlier = previous.nodes if isinstance(previous, AnyOf) else (previous,)
            found = AnyOf((*earlier, found))
        required.append(found)
        pending_or = False
    return ParsedQuery(tuple(required), tuple(excluded), tuple(filters))


def _letter_number(text: str) -> LetterNumber | None:
    number = parse_number(text)
    if number is None:
        return None
    return LetterNumber(number.canonical.replace(" ", ""), number.canonical, number.unit,
                        number.running)


def _when(text: str, end: bool) -> dt.date | None:
    """`ม.ค. 2565` / `2565` / `ม.ค. 65` as the first (or last) day it covers."""
    match = re.fullmatch(r"(\D*?)\s*([0-9]+)", text.strip())
    if match is None:
        return None
    month_text, year_text = match.groups()
    year = int(year_text) + (2500 if len(year_text) == 2 else 0) - BE_OFFSET
    if month_text:
        month_match = match_month(month_text)
        if month_match is None:
            return None
        month = month_match[0]
        day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day)
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def _take_range(match: re.Match[str], filters: list[Filter]) -> str:
    start, end = match.group(1), match.group(2)
    if not start and not end:
        return match.group(0)
    filters.append(DateRange(_when(start, False) if start else None,
                             _when(end, True) if end else None))
    return " "


def _take_month(match: re.Match[str], filters: list[Filter]) -> str:
    first = _when(match.group(1), False)
    if first is None:
        return match.group(0)
    filters.append(DateRange(first, _when(match.group(1), True)))
    return " "


def _item(field_name: str | None, quoted: str | None, bare: str | None) -> Node | Filter | None:
    if quoted is not None:
        text = quoted.strip()
        if field_name in FILTER_ALIASES:
            return _filter(field_name, text)
        return Phrase(text, FIELD_ALIASES.get(field_name or "")) if text else None
    assert bare is not None
    text = bare.lstrip("-")
    field = None
    if ":" in text:
        name, _, rest = text.partition(":")
        if name in FILTER_ALIASES and rest:
            return _filter(name, rest)
        if name in FIELD_ALIASES and rest:
            field, text = FIELD_ALIASES[name], rest
    text = text.strip("()[]{}'\",;")
    if not re.search(r"\w", text):
        return None
    if field == "number":
        return _letter_number(text) or Words(text)
    if text.endswith("*") and re.search(r"\w", text.rstrip("*")):
        return Prefix(text.rstrip("*"), field)
    return Words(text.replace("*", ""), field)


def _filter(name: str, value: str) -> FieldFilter | Words:
    """A typed facet filter, or its words when the value is not one the facet knows."""
    canonical = FILTER_ALIASES[name]
    resolved = filter_value(canonical, value)
    return FieldFilter(canonical, resolved) if resolved else Words(value)
