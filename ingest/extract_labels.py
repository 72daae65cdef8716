"""Line-level helpers for letter extraction: skeletons, labels, value cleaning.

Tesseract often drops or swaps Thai marks above and below the line
(``เรื่อง`` → ``เรือง``/``เร่ือง``), so labels are compared on their
*skeleton*: the text without those marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas.text import skeleton
from schemas.thai_dates import edit_distance

# Thai marks above/below the base line: mai han-akat, sara i…u, phinthu, mai taikhu…yamakkan.
_THAI_LETTER_RE = re.compile("[\u0e01-\u0e4e]")
_LEADING_JUNK_RE = re.compile(r"^[^\u0e01-\u0e4e]+")
_TOKEN_RE = re.compile(r"(\S+?)[,.:;|]*(?:\s+|$)")
_WIDE_GAP_RE = re.compile(r"\s{3,}")
_TRAILING_JUNK_RE = re.compile(r"[\s,.;:|'\"“”_—\-]+$")
# Short specks after the value: Latin letters or marks, not plain numbers ("เขต 3").
_LATIN_TAIL_RE = re.compile(r"(?:\s+(?=\S*[A-Za-z|!?%&:;'\"])[A-Za-z0-9|:;,.'\"!?%&]{1,3})+$")

LABELS = {
    "subject": "เรื่อง",
    "to": "เรียน",
    "ref": "อ้างถึง",
    "encl": "สิ่งที่ส่งมาด้วย",
    "unit": "ส่วนราชการ",
}
_GLUE_OK = frozenset({"subject", "to"})
# What follows อ้างถึง: the cited หนังสือ (OCR: หหังสือ), perhaps after an item number.
_CITED_BOOK_RE = re.compile(r"\s*(?:[0-9๐-๙]\s*[.)]?\s*)?ห[นห]ั?งส[ืี]?อ")
# How far into a line a garbled อ้างถึง may reach, and how many slips it may have.
_REF_REACH, _REF_SLIPS = 12, 2


@dataclass(frozen=True)
class LabelHit:
    """A label found at the start of a line.

    Attributes:
        name: Key of LABELS (``subject``, ``to``…).
        rest: The line after the label.
        confidence: 1.0 exact, lower for OCR variants.
    """

    name: str
    rest: str
    confidence: float


def thai_count(text: str) -> int:
    """Count Thai letters (not digits) in `text`."""
    return len(_THAI_LETTER_RE.findall(text))


def strip_leading_junk(line: str) -> str:
    """Drop everything before the first Thai letter (OCR specks, bullets, Latin noise)."""
    return _LEADING_JUNK_RE.sub("", line)


def first_column(line: str) -> str:
    """Return the part of `line` before the first run of three or more spaces."""
    return _WIDE_GAP_RE.split(line.strip(), maxsplit=1)[0]


def clean_value(text: str) -> str:
    """Tidy a field value: first column, no trailing punctuation or short Latin specks."""
    value = first_column(text)
    previous = None
    while previous != value:
        previous = value
        value = _LATIN_TAIL_RE.sub("", value)
        value = _TRAILING_JUNK_RE.sub("", value)
    return value.strip()


def _split_token(line: str) -> tuple[str, str]:
    """Split the first token (trailing punctuation dropped) from the rest of the line."""
    match = _TOKEN_RE.match(line)
    if match is None:
        return "", ""
    return match.group(1), line[match.end():]


def _token_confidence(token: str, label: str) -> float:
    """How well `token` reads as `label`: 1.0 exact, 0.85 same skeleton, 0.7 one edit, else 0."""
    if token == label:
        return 1.0
    tok, lab = skeleton(token), skeleton(label)
    if tok == lab:
        return 0.85
    # one slip, but not a longer word that merely starts with the label (เรียนรู้)
    if len(lab) >= 4 and not tok.startswith(lab) and edit_distance(tok, lab, 1) <= 1:
        return 0.7
    return 0.0


def label_of(line: str, glued: bool = False) -> LabelHit | None:
    """Find a letter label (เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย, ส่วนราชการ) opening `line`.

    Args:
        line: One line of OCR text.
        glued: Also accept เรื่อง/เรียน glued to the value without a space.

    Returns:
        The label hit, or None.
    """
    core = strip_leading_junk(line)
    token, rest = _split_token(core)
    if not token:
        return None
    best: LabelHit | None = None
    for name, label in LABELS.items():
        conf = _token_confidence(token, label)
        if conf and (best is None or conf > best.confidence):
            best = LabelHit(name, rest.strip(), conf)
    if best is None:
        best = _garbled_ref(core)
    if best is None and glued:
        for name in _GLUE_OK:
            label = LABELS[name]
            if core.startswith(label) and thai_count(core[len(label):len(label) + 3]) >= 2:
                return LabelHit(name, core[len(label):].strip(), 0.7)
    return best


def _garbled_ref(core: str) -> LabelHit | None:
    """อ้างถึง misread and glued to the cited หนังสือ (``อำงถึงหนังสือ``, ``อ้๐.9 ถึงหนังสือ``).

    Only a line whose opening, letters only, starts with อ (or its look-alike
    ฮ), is within two slips of อ้างถึง and is followed by หนังสือ (after an
    item number, if any) counts.
    """
    for cut in range(3, min(len(core), _REF_REACH) + 1):
        if not _CITED_BOOK_RE.match(core, cut):
            continue
        letters = skeleton(re.sub("[^\u0e01-\u0e4e]", "", core[:cut]))
        slips = edit_distance(letters, skeleton(LABELS["ref"]), _REF_SLIPS)
        if letters[:1] in ("อ", "ฮ") and slips <= _REF_SLIPS:
            return LabelHit("ref", core[cut:].strip(), 0.6)
    return None


def suffix_label(line: str, name: str, min_chars: int = 1) -> str | None:
    """Return the rest of `line` when its first token is the tail of a cut-off label.

    Skewed scans lose the left margin: ``เรื่อง`` → ``ง``, ``สิ่งที่ส่งมาด้วย`` → ``งมาด้วย``.

    Args:
        line: One line of OCR text.
        name: Key of LABELS.
        min_chars: Fewest skeleton characters the tail must keep.

    Returns:
        The value after the cut-off label, or None.
    """
    token, rest = _split_token(strip_leading_junk(line))
    tok, lab = skeleton(token), skeleton(LABELS[name])
    if len(tok) >= min_chars and len(tok) < len(lab) and lab.endswith(tok):
        return rest.strip()
    return None


def join_lines(left: str, right: str) -> str:
    """Join a wrapped line: no space inside Thai text or after a slash, else one space."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith("/") or (thai_count(left[-1]) and thai_count(right[0])):
        return left + right
    return f"{left} {right}"


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """PyThaiNLP's Thai word list (loaded on first use)."""
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def text_quality(text: str) -> float:
    """Share of the Thai letters of `text` that fall in dictionary words (0..1).

    OCR that drops marks (``พนทการศกษา`` for ``พื้นที่การศึกษา``) leaves
    non-words behind; a free-text field's confidence is scaled by this share.

    Args:
        text: A field value such as a subject or addressee.

    Returns:
        1.0 for clean Thai text, lower the more non-words; 1.0 when `text` has no Thai.
    """
    from pythainlp.tokenize import word_tokenize

    words = [w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if thai_count(w)]
    total = sum(len(w) for w in words)
    if not total:
        return 1.0
    return sum(len(w) for w in words if w in _dictionary()) / total


def scaled(confidence: float, text: str) -> float:
    """`confidence` scaled by the square of the text's dictionary share, rounded."""
    return round(confidence * text_quality(text) ** 2, 2)
