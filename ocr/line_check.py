"""The line reader's second opinion on the digits of a line.

After Tesseract, the glyph reader and the line runs (`ocr.digit_lines`) have
given a line's words their digits, the line band is read once more by the
CTC line reader (`ocr.line_model`), which cuts no glyph. For each word
holding one number of two digits or more, the line reader's own run of
digits over the word is compared with the word's:

- the same: nothing to do;
- different in which digits or separators, with as many digits: the word's
  reading is scored under the line reader (the probability that the band
  reads so, with the rest of the line as the line reader read it,
  `line_model.log_likelihood`). Only when the word's reading is at least
  `MARGIN` nats (e^4 ≈ 55 times) less likely than the line reader's own
  (and each symbol of its run more likely than not, `SURE`) does its run
  replace the word's digits; the new reading is doubtful (a number or date
  holding it is reported at ≤ 0.6), since the two readers disagreed.
- a different count of digits: left alone. The line reader's usual slip is
  a digit lost or doubled at a band's end (tuning letters: ``04132/991``
  read ``04132/99``, ``๒๕๖๓`` read ``๒๒๕๖๓``), where the word readers have
  Tesseract's boxes to count by.

A run that reaches past the word (letter-spaced digits, one word each) or
holds a letter in it is left alone: it is not this word's reading.
"""

from __future__ import annotations

import re

import numpy as np

from ocr.digit_model import digit_count
from ocr.line_model import HEIGHT, LETTER, Symbol, label_text, line_model, log_likelihood
from ocr.tesseract import Word

#: Every symbol of the line reader's run must be its likelier reading at least.
SURE = 0.5
#: How much likelier (in nats) the line reader's reading must be than the word's.
MARGIN = 4.0
#: Symbols whose centres lie this share of the line's height past a word's box are its own.
SLACK = 0.3
#: The line reader reads a word with this many band heights of the line either side.
CONTEXT = 3.0


def check_line(words: list[Word], crop: np.ndarray, x0: int,
               doubtful: list[str] | None) -> list[Word]:
    """`words` (one column of a line, cut as `crop` at page x `x0`) with the
    digits the line reader surely reads otherwise put in."""
    from ocr.page_reader import DIGITISH

    # each word is read with `CONTEXT` band heights either side: enough to tell
    # where its run ends, and a fraction of a long line's cost
    reach = CONTEXT * crop.shape[0]
    out = list(words)
    for i, word in enumerate(words):
        found = list(DIGITISH.finditer(word.text))
        if len(found) != 1 or digit_count(found[0].group()) < 2:
            continue
        a = max(0, int(word.box[0] - x0 - reach))
        b = min(crop.shape[1], int(word.box[2] - x0 + reach))
        text = _checked(word, found[0], crop[:, a:b], x0 + a)
        if text is not None:
            out[i] = Word(text, word.confidence, word.box, word.line)
            if doubtful is not None:
                doubtful.append(text)
    return out


def _checked(word: Word, match: re.Match[str], crop: np.ndarray, x0: int) -> str | None:
    """The word's text with the line reader's digits in place of `match` (its
    one number), when it surely reads them otherwise (`crop` is the word's
    neighbourhood, cut at page x `x0`)."""
    read = line_model().read_band(crop)
    if read is None:
        return None
    p, symbols = read
    scale = crop.shape[0] / HEIGHT
    run = _run_over(symbols, [x0 + (s.x0 + s.x1) / 2 * scale for s in symbols], word)
    if run is None:
        return None
    first, last = run
    theirs = "".join(s.text for s in symbols[first:last + 1])
    mine = match.group()
    if theirs == mine or digit_count(theirs) != digit_count(mine) or min(
            s.confidence for s in symbols[first:last + 1]) < SURE:
        return None
    best = "".join(s.text for s in symbols)
    other = "".join(s.text for s in symbols[:first]) + label_text(mine) + "".join(
        s.text for s in symbols[last + 1:])
    if log_likelihood(p, best) - log_likelihood(p, other) < MARGIN:
        return None
    return word.text[:match.start()] + theirs + word.text[match.end():]


def _run_over(symbols: list[Symbol], centres: list[float], word: Word) -> tuple[int, int] | None:
    """The line reader's one run of digits and separators over `word` (first
    and last symbol, both digits), or None when there is none, it holds a
    letter, or it goes on past the word (a digit outside the box with no
    letter between)."""
    slack = SLACK * (word.box[3] - word.box[1])
    inside = {k for k, x in enumerate(centres) if word.box[0] - slack <= x <= word.box[2] + slack}
    digits = sorted(k for k in inside if symbols[k].text.isdigit())
    if not digits:
        return None
    first, last = digits[0], digits[-1]
    if any(symbols[k].text == LETTER for k in range(first, last + 1)):
        return None
    if _goes_on(symbols, inside, first, -1) or _goes_on(symbols, inside, last, 1):
        return None
    return first, last


def _goes_on(symbols: list[Symbol], inside: set[int], start: int, step: int) -> bool:
    k = start + step
    while 0 <= k < len(symbols) and symbols[k].text != LETTER:
        if symbols[k].text.isdigit() and k not in inside:
            return True
        k += step
    return False
