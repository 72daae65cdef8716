"""A generated archive spanning 30 years for the retention tests (fixed seed, no OCR).

Every record has a real blob in the file store, some have a cached page image,
and each carries a unique word in its text, so a test can prove a destroyed
record left nothing behind in the store, the thumbnails, the database file or
the search index.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from index.sync import sync_pending
from ingest.archive import Archive
from retention.classify import ensure_clocks
from schemas.enums import RecordStatus, Secrecy
from schemas.tables import Record, StoredFile

FIRST_YEAR = 1995  # CE; the archive spans 1995-2024
YEARS = 30
SENDER = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1"

# (subject, kind, circular, secrecy, sender) — the rules give each its class
KINDS = (
    ("ขอเชิญประชุมผู้บริหารสถานศึกษา", "external", True, Secrecy.none, SENDER),  # routine
    ("ขออนุมัติเบิกจ่ายเงินค่าตอบแทนครู", "memo", False, Secrecy.none, SENDER),  # financial
    ("สำเนาคำสั่งแต่งตั้งคณะทำงาน", "external", False, Secrecy.none, SENDER),  # copy
    ("รายงานผลการอบรมครูภาษาไทย", "memo", False, Secrecy.none, SENDER),  # default
    ("ประวัติศาสตร์การจัดตั้งโรงเรียนบ้านป่าซาง", "record", False, Secrecy.none,
     SENDER),  # permanent
    ("ผลการสอบสวนข้อเท็จจริงกรณีร้องเรียน", "external", False, Secrecy.none, "ศาลปกครอง"),  # legal
    ("แผนรักษาความปลอดภัยสถานที่ราชการ", "external", False, Secrecy.secret, SENDER),  # secret
    ("ขอรายงานจำนวนนักเรียนปีการศึกษา", "external", False, Secrecy.none, SENDER),  # default
)


@dataclass
class Generated:
    """Ids of the generated records, by the class the rules gave them."""

    ids: list[int] = field(default_factory=list)
    token: dict[int, str] = field(default_factory=dict)  # record id -> unique word in its text
    sha: dict[int, str] = field(default_factory=dict)


def unique_word(record_no: int) -> str:
    """A word found in exactly one record's text (ASCII, so it survives any tokenizer)."""
    return f"zqx{record_no:04d}uniq"


def generate(archive: Archive, *, per_year: int = len(KINDS), seed: int = 2567) -> Generated:
    """Letters from 1995 to 2024, each kind once a year, stored with blobs and indexed."""
    rng = random.Random(seed)
    made = Generated()
    archive.settings.thumb_dir.mkdir(parents=True, exist_ok=True)
    with archive.db.session() as session:
        number = 0
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for slot in range(per_year):
                subject, kind, circular, secrecy, sender = KINDS[slot % len(KINDS)]
                number += 1
                word = unique_word(number)
                text = f"ที่ ศธ 04049/{number}\nเรื่อง {subject}\n{word} ข้อความของหนังสือ"
                sha = archive.blobs.put_bytes(text.encode())
                stored = StoredFile(sha256=sha, size=len(text.encode()), mime="text/plain",
                                    original_name=f"letter-{number}.txt")
                session.add(stored)
                session.flush()
                date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                record = Record(file_id=stored.id, status=RecordStatus.ok, subject=subject,
                                text=text, raw_text=text, number=f"ศธ 04049/{number}",
                                circular=circular, date=date, kind=kind, secrecy=secrecy,
                                from_org=sender, text_method="text")
                session.add(record)
                session.flush()
                (archive.settings.thumb_dir / f"{sha}-1-100.png").write_bytes(b"\x89PNG fake")
                made.ids.append(record.id)
                made.token[record.id] = word
                made.sha[record.id] = sha
        ensure_clocks(session)
    sync_pending(archive.db, archive.backend)
    return made


def skeleton(text: str) -> str:
    """Only Thai consonants, digits and Latin letters: what survives any PDF text extraction.

    Text pulled out of a HarfBuzz-shaped PDF loses or reorders vowels and tone
    marks (ำ comes back as a glyph id), but keeps the consonants in order.
    """
    import re

    from schemas.text import to_arabic_digits

    text = re.sub(r"\(cid:\d+\)", "", text)  # glyphs with no Unicode mapping (ำ)
    return re.sub(r"[^ก-ฮ0-9A-Za-z]", "", to_arabic_digits(text))
