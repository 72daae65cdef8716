"""Line breaks between Thai words for printed forms.

Thai has no spaces between words, so fpdf2 would wrap a long title in the
middle of a word (ศึกษ|า). A zero-width space between the words PyThaiNLP
finds gives fpdf2 a place to break without printing anything.
"""

from __future__ import annotations

from functools import lru_cache

ZWSP = "\u200b"
_OPENING = ("(", "[", "“", '"')
_CLOSING = (")", "]", "”", '"', ",", ".", ":")


@lru_cache(maxsize=4096)
def breakable(text: str) -> str:
    """`text` with a zero-width space between Thai words (spaces stay spaces)."""
    if not text or text.isascii():
        return text
    from pythainlp.tokenize import word_tokenize

    tokens = word_tokenize(text, engine="newmm", keep_whitespace=True)
    out: list[str] = []
    for token in tokens:
        if (out and not token.isspace() and not out[-1].isspace()
                and not out[-1].endswith(_OPENING) and not token.startswith(_CLOSING)):
            out.append(ZWSP)
        out.append(token)
    return "".join(out)
