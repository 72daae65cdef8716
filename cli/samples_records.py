"""Synthetic finished records (text only, no scans), from a fixed seed.

One corpus for the backend conformance suite, the outage test and the
search benchmark (issue 5): the same seed always gives the same letters.
Records go straight into the store; the outbox carries them to the index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from cli.samples_vocab import AGENCIES, EXTRA, MIDDLE, OPENING, PROVINCES, SCHOOLS, SUBJECTS
from schemas.enums import RecordStatus, Secrecy
from schemas.tables import IndexOutbox, Record, StoredFile, utcnow

KINDS = ("external", "external", "external", "memo", "memo", "order", "announcement")
SECRECY_WEIGHTS = ((Secrecy.none, 86), (Secrecy.confidential, 8), (Secrecy.secret, 4),
                   (Secrecy.top_secret, 2))
URGENCY = ("normal", "normal", "normal", "urgent", "very_urgent", "most_urgent")


@dataclass(frozen=True)
class SampleRecord:
    """The fields of one synthetic finished letter."""

    name: str
    subject: str
    text: str
    number: str
    date: dt.date
    from_org: str
    kind: str
    secrecy: Secrecy
    urgency: str


def sample_records(count: int, seed: int = 2567) -> Iterator[SampleRecord]:
    """`count` letters; the same seed always yields the same letters."""
    rng = random.Random(seed)
    levels, weights = zip(*SECRECY_WEIGHTS, strict=True)
    for i in range(count):
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3650))
        year = date.year + 543
        subject_template, _keyword = rng.choice(SUBJECTS)
        subject = subject_template.format(year=year, n=year - 2500, month="มกราคม")
        province, _ = rng.choice(PROVINCES)
        district = rng.randint(1, 3)
        org = f"สพป.{province} เขต {district}"
        agency = rng.choice(AGENCIES).format(p=province)
        school = rng.choice(SCHOOLS)
        opening = rng.choice(OPENING).format(org=org, agency=agency, topic=subject,
                                             fy=year, s=school)
        body = " ".join([opening, rng.choice(MIDDLE).format(
            org=org, deadline=f"{rng.randint(1, 28)} มีนาคม {year}", unit="กลุ่มอำนวยการ",
            short=org, phone="0 5421 2345"), rng.choice(EXTRA)])
        unit = f"{rng.randint(4000, 4200):05d}"
        circular = "ว" if rng.random() < 0.2 else ""
        yield SampleRecord(
            name=f"letter-{seed}-{i:07d}.txt", subject=subject,
            text=f"เรื่อง {subject}\nเรียน ผู้อำนวยการโรงเรียน{school}\n{body}",
            number=f"ศธ {unit}/{circular}{rng.randint(1, 9999)}", date=date, from_org=org,
            kind=rng.choice(KINDS), secrecy=rng.choices(levels, weights)[0],
            urgency=rng.choice(URGENCY))


def add_sample_records(session: Session, records: list[SampleRecord], *,
                       queue_for_index: bool = True) -> list[int]:
    """Insert finished records (file row + record row) in bulk; returns their ids.

    Bulk inserts skip the ORM hook, so the outbox rows are written here, in
    the same transaction, unless `queue_for_index` is off (a bench that
    indexes directly).
    """
    now = utcnow()
    files = [{"sha256": hashlib.sha256(r.name.encode() + r.text.encode()).hexdigest(),
              "size": len(r.text.encode()), "mime": "text/plain", "original_name": r.name,
              "original_path": "", "created_at": now} for r in records]
    file_ids = list(session.scalars(
        insert(StoredFile).returning(StoredFile.id, sort_by_parameter_order=True), files))
    rows = [{"file_id": fid, "status": RecordStatus.ok, "error": "", "warnings": [],
             "kind": r.kind, "number": r.number, "circular": "/ว" in r.number, "date": r.date,
             "subject": r.subject, "to": None, "from_org": r.from_org, "secrecy": r.secrecy,
             "urgency": r.urgency, "references": [], "enclosures": [], "signer": None,
             "confidence": {}, "text": r.text, "raw_text": r.text, "page_count": 1,
             "text_method": "text", "archival_sha256": None, "ocr_seconds": 0.0,
             "indexed_version": 0, "version": 1, "created_at": now, "updated_at": now}
            for fid, r in zip(file_ids, records, strict=True)]
    record_ids = list(session.scalars(
        insert(Record).returning(Record.id, sort_by_parameter_order=True), rows))
    if queue_for_index:
        session.execute(insert(IndexOutbox), [
            {"record_id": rid, "action": "upsert", "created_at": now, "attempts": 0,
             "last_error": ""} for rid in record_ids])
    return record_ids
