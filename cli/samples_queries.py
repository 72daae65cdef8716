"""Clerk-style queries with relevance judgements for synthetic letters, and OCR-like damage.

`clerk_queries(truths)` makes, for each letter, the queries clerks type (a
subject word, a compound, a quoted phrase, the letter number in the other
digits, the signer's name, a word with one OCR-style slip) and judges every
letter relevant whose ground-truth text holds what was asked for. `evaluate`
computes recall in the top 10 and mean reciprocal rank. The relevance test
(tests/test_search_relevance.py) and the tuning script (bench/search_quality.py)
use the same rules on different letters (seeds), so tuning never sees the
test's queries.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cli.samples import search_word
from schemas.letter_numbers import parse_number
from schemas.text import nfc, to_thai_digits

if TYPE_CHECKING:
    from PIL import Image

LOOKALIKE = {"ด": "ค", "ข": "ช", "บ": "ป", "พ": "ผ", "ท": "ห", "ล": "ส", "อ": "ย", "ร": "ว",
             "ถ": "ภ", "ม": "น", "ก": "ถ", "ศ": "ส", "ณ": "ฌ", "ช": "ซ"}
TONES = "่้๊๋็์"
NOISE = "|!il:;.,'~"


@dataclass(frozen=True)
class JudgedQuery:
    """A query, what kind of query it is, and the ids of the letters it should find."""

    text: str
    kind: str
    relevant: frozenset[str]


def damage(text: str, rng: random.Random, rate: float = 0.012) -> str:
    """`text` with OCR-like slips: tone marks dropped, ำ split, look-alikes swapped, specks."""
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        i = rng.randrange(len(chars))
        ch = chars[i]
        roll = rng.random()
        if ch in TONES and roll < 0.6:
            chars[i] = ""
        elif ch == "ำ":
            chars[i] = "ํา"
        elif ch in LOOKALIKE and roll < 0.5:
            chars[i] = LOOKALIKE[ch]
        elif roll < 0.15:
            chars[i] = ch + rng.choice(NOISE)
    return "".join(chars)


def one_slip(word: str, rng: random.Random) -> str:
    """`word` with exactly one OCR-style character error (never the word itself)."""
    spots = [i for i, ch in enumerate(word) if ch in TONES or ch in LOOKALIKE]
    if not spots:
        return word[:-1]
    i = rng.choice(spots)
    return word[:i] + ("" if word[i] in TONES else LOOKALIKE[word[i]]) + word[i + 1:]


def _compound(subject: str, keyword: str) -> str | None:
    """The keyword with the word before or after it in the subject, unspaced."""
    from index.analysis import segment

    pieces = [p for p in segment(subject) if p.strip()]
    for i, piece in enumerate(pieces):
        if keyword in piece:
            if len(piece) > len(keyword) + 2:
                return piece
            if i + 1 < len(pieces) and not pieces[i + 1][0].isdigit() and pieces[i + 1] != "(":
                return piece + pieces[i + 1]
            if i > 0:
                return pieces[i - 1] + piece
    return None


def _phrase(subject: str) -> str:
    from index.analysis import segment

    words = [p for p in segment(subject.split(" ")[0]) if p.strip()]
    return "".join(words[:3]) if len(words) >= 3 else subject.split(" ")[0]


def clerk_queries(truths: list[dict], seed: int = 3) -> list[JudgedQuery]:
    """The judged query set for these letters (ground truth in `cli.samples` format)."""
    rng = random.Random(seed)
    texts = {t["id"]: nfc(t["text"]) for t in truths}

    def holding(needle: str) -> frozenset[str]:
        return frozenset(i for i, text in texts.items() if nfc(needle) in text)

    out: dict[str, JudgedQuery] = {}
    for truth in truths:
        keyword = search_word(truth)
        same_subject = frozenset(t["id"] for t in truths if keyword in t["subject"])
        candidates = [JudgedQuery(keyword, "word", same_subject),
                      JudgedQuery(one_slip(keyword, rng), "ocr_slip", same_subject)]
        compound = _compound(truth["subject"], keyword)
        if compound and compound != keyword:
            candidates.append(JudgedQuery(compound, "compound", holding(compound)))
        phrase = _phrase(truth["subject"])
        candidates.append(JudgedQuery(f'"{phrase}"', "phrase", holding(phrase)))
        number = parse_number(truth["number"] or "")
        if number is not None:
            typed = number.canonical if truth["thai_digits"] else to_thai_digits(number.canonical)
            candidates.append(JudgedQuery(typed, "number", frozenset({truth["id"]})))
        name = truth["signer"].split(" ")
        if len(name) == 2:
            bare = name[0].removeprefix("นางสาว").removeprefix("นาง").removeprefix("นาย")
            candidates.append(JudgedQuery(f"{bare} {name[1]}", "name",
                                          holding(f"{bare} {name[1]}")))
        for query in candidates:
            if query.relevant and query.text not in out:
                out[query.text] = query
    return list(out.values())


def evaluate(queries: list[JudgedQuery], ranked: dict[str, list[str]],
             depth: int = 10) -> dict[str, dict[str, float]]:
    """Recall in the top `depth` and mean reciprocal rank, overall and per kind of query."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for query in queries:
        top = ranked.get(query.text, [])[:depth]
        found = len(query.relevant & set(top)) / min(len(query.relevant), depth)
        first = next((rank for rank, rid in enumerate(top, 1) if rid in query.relevant), None)
        for key in ("all", query.kind):
            groups.setdefault(key, []).append((found, 1 / first if first else 0.0))
    return {key: {"recall": sum(r for r, _ in pairs) / len(pairs),
                  "mrr": sum(m for _, m in pairs) / len(pairs), "n": float(len(pairs))}
            for key, pairs in groups.items()}


def store_extracted(archive, letter_id: str, text: str) -> int:  # type: ignore[no-untyped-def]
    """Store OCR text as a finished record with the metadata intake would extract from it."""
    from ingest.extract import extract_letter
    from schemas.enums import RecordStatus
    from schemas.tables import Record, StoredFile

    meta = extract_letter(text)
    with archive.db.session() as session:
        stored = StoredFile(sha256=f"{zlib.crc32(letter_id.encode()):064x}", size=len(text),
                            mime="application/pdf", original_name=f"{letter_id}.pdf")
        session.add(stored)
        session.flush()
        record = Record(file_id=stored.id, status=RecordStatus.ok, text=text,
                        kind=meta.kind.value if meta.kind else None, number=meta.number,
                        date=meta.date, subject=meta.subject, to=meta.to,
                        from_org=meta.from_org, secrecy=meta.secrecy,
                        urgency=meta.urgency.value, signer=meta.signer,
                        references=[r.model_dump(mode="json") for r in meta.references],
                        enclosures=meta.enclosures)
        session.add(record)
        session.flush()
        return int(record.id)


def _scanned(truth: dict, i: int) -> list[Image.Image]:
    """The letter's pages as scanned: every third with noise, blur and skew."""
    from cli.samples import render_pages

    noisy = {"noise": 0.05, "blur": 0.6, "skew_deg": 0.4} if i % 3 == 2 else {}
    return render_pages(truth, **noisy)


def plain_ocr(truth: dict, i: int) -> str:
    """Plain Tesseract (`tha+eng`, `--psm 3`) text of the rendered letter, cleaned as
    intake cleans it; every third letter scanned with noise, blur and skew."""
    import numpy as np

    from ocr.clean import clean_thai_text
    from ocr.tesseract import read_text

    return clean_thai_text("\f".join(
        read_text(np.asarray(page.convert("L")), truth["dpi"], "tha+eng", 3)
        for page in _scanned(truth, i)))


def archive_ocr(truth: dict, i: int) -> str:
    """The same scan read as intake reads it (`ocr.page_reader`: layout zones,
    the digit model on number and date lines), cleaned as intake cleans it."""
    from ocr.clean import clean_thai_text
    from ocr.page_reader import read_page

    return clean_thai_text("\f".join(read_page(page, truth["dpi"], "tha").text
                                     for page in _scanned(truth, i)))


def judged_archive(archive, read: list[tuple[dict, str]],  # type: ignore[no-untyped-def]
                   distractors: list[dict], seed: int = 5) -> dict[int, str]:
    """Store the OCR'd letters and the distractors (their text damaged like OCR),
    index them, and return record id → letter id."""
    from index.sync import sync_pending

    rng = random.Random(seed)
    ids = {store_extracted(archive, truth["id"], text): truth["id"] for truth, text in read}
    for truth in distractors:
        ids[store_extracted(archive, truth["id"], damage(truth["text"], rng))] = truth["id"]
    sync_pending(archive.db, archive.backend)
    return ids


def ranked(archive, ids: dict[int, str],  # type: ignore[no-untyped-def]
           queries: list[JudgedQuery]) -> dict[str, list[str]]:
    """Each query's top 10 letter ids, searched with full clearance as the evaluation does."""
    from index.backend import SearchRequest
    from index.service import search
    from schemas.enums import Secrecy

    out = {}
    for query in queries:
        response = search(archive.db, archive.backend, SearchRequest(
            query=query.text, clearance=Secrecy.top_secret, limit=10, suggest=False))
        out[query.text] = [ids[hit.record_id] for hit in response.hits]
    return out
