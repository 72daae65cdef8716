"""The query language, parsed into a backend-neutral tree that each backend compiles.

This first version understands: words, "exact phrases", -exclusion, OR
between two items, `เรื่อง:`/`subject:` field terms and letter numbers
(`ศธ 04049/508`, `ศธ ๐๔๐๔๙/ว๕๐๘`). Anything it cannot parse is searched
as plain words; parsing never fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.letter_numbers import parse_number
from schemas.text import fold

FIELD_ALIASES = {"subject": "subject", "เรื่อง": "subject", "number": "number", "ที่": "number"}

_NUMBER_SHAPE = re.compile(
    r"(?:[ก-ฮ](?:\s?\.?\s?[ก-ฮ]){1,3}\.?\s*)?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*\s*/\s*ว?\s*[0-9๐-๙]+"
)
_NUMBER_FIELD = re.compile(r"(?:ที่|number):\s*")
_ITEM = re.compile(r'(-?)(?:(\w+):)?"([^"]*)"?|(\S+)')


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
class LetterNumber:
    """A letter number; `key` is canonical with no spaces (ศธ04049/ว508)."""

    key: str
    text: str


@dataclass(frozen=True)
class Not:
    """Records matching `node` are excluded."""

    node: Node


@dataclass(frozen=True)
class AnyOf:
    """At least one of `nodes` must match."""

    nodes: tuple[Node, ...]


Node = Words | Phrase | LetterNumber | Not | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    """All `required` nodes must match; none of the `excluded` may."""

    required: tuple[Node, ...]
    excluded: tuple[Node, ...]

    @property
    def empty(self) -> bool:
        """True when the query asks for nothing (browse everything)."""
        return not self.required and not self.excluded

    def highlight_terms(self) -> list[str]:
        """The texts worth highlighting in a snippet."""
        out: list[str] = []
        for node in self.required:
            out.extend(_texts(node))
        return out


def _texts(node: Node) -> list[str]:
    if isinstance(node, Words | Phrase | LetterNumber):
        return [node.text]
    if isinstance(node, AnyOf):
        return [text for child in node.nodes for text in _texts(child)]
    return []


def number_key(text: str) -> str | None:
    """The index key of a letter number found in `text`: canonical, no spaces."""
    parsed = parse_number(text)
    return parsed.canonical.replace(" ", "") if parsed else None


def parse(query: str) -> ParsedQuery:
    """Parse a query as typed into the search box."""
    query = fold(query)
    query = _NUMBER_FIELD.sub(lambda m: "" if _NUMBER_SHAPE.match(query, m.end()) else m.group(0),
                              query)
    required: list[Node] = []
    for match in list(_NUMBER_SHAPE.finditer(query)):
        number = parse_number(match.group(0))
        if number:
            required.append(LetterNumber(number.canonical.replace(" ", ""), number.canonical))
    query = _NUMBER_SHAPE.sub(" ", query)
    excluded: list[Node] = []
    pending_or = False
    for match in _ITEM.finditer(query):
        negate, field_name, quoted, bare = match.groups()
        if bare is not None and bare.upper() == "OR":
            pending_or = bool(required)
            continue
        node = _item(field_name, quoted, bare)
        if node is None:
            continue
        if negate or (bare is not None and bare.startswith("-") and len(bare) > 1):
            excluded.append(node)
            continue
        if pending_or and required:
            previous = required.pop()
            earlier = previous.nodes if isinstance(previous, AnyOf) else (previous,)
            node = AnyOf((*earlier, node))
        required.append(node)
        pending_or = False
    return ParsedQuery(tuple(required), tuple(excluded))


def _item(field_name: str | None, quoted: str | None, bare: str | None) -> Node | None:
    if quoted is not None:
        text = quoted.strip()
        return Phrase(text, FIELD_ALIASES.get(field_name or "")) if text else None
    assert bare is not None
    text = bare.lstrip("-")
    field = None
    if ":" in text:
        name, _, rest = text.partition(":")
        if name in FIELD_ALIASES and rest:
            field, text = FIELD_ALIASES[name], rest
    text = text.strip("()[]{}'\",;")
    if not re.search(r"\w", text):
        return None
    if field == "number":
        number = parse_number(text)
        if number:
            return LetterNumber(number.canonical.replace(" ", ""), number.canonical)
        return Words(text)
    return Words(text, field)
