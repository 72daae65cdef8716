"""The review queue (issue #3): the queue, clearance, crops, corrections that win, audit."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from haystack import Document
from PIL import Image
from review_support import NUMBER, add_pdf_letter
from sqlalchemy import select
from web_support import archive, client, corpus, sign_in  # noqa: F401  (fixtures)
from web_support import Corpus, add_record, csrf_of

from ingest.archive import Archive
from ingest.field_sources import fold, locate_fields
from ingest.write import write_record
from schemas.enums import Kind, Secrecy, Urgency
from schemas.letter import LetterMetadata
from schemas.tables import AuditEvent, Record
from store.records import confirm_fields, edit_record
from store.review_queue import low_fields
from web.crops import CROP_DPI, PAD, crop_for

HIGH = {name: 0.95 for name in ("kind", "number", "date", "subject", "to", "from_org",
                                "secrecy", "urgency")}


def _record(archive: Archive, record_id: int) -> Record:
    with archive.db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return record


# -- where fields came from -----------------------------------------------------------------


def test_fields_are_located_in_lines_with_boxes():
    lines = [
        {"page": 1, "text": "ด่วนที่สุด", "box": [900, 40, 1200, 120], "size": [2480, 3508],
         "dpi": 300, "stamp": True},
        {"page": 1, "text": "ที่ ศธ ๐๔๐๔๙/ว๕๐๘     สำนักงานเขตพื้นที่การศึกษา",
         "box": [200, 400, 2200, 460], "size": [2480, 3508], "dpi": 300},
        {"page": 1, "text": "๒๓ กันยายน ๒๕๕๓", "box": [1200, 480, 1700, 540],
         "size": [2480, 3508], "dpi": 300},
        {"page": 1, "text": "เรื่อง การจัดตั้งงบประมาณรายจ่าย", "box": [200, 560, 1800, 620],
         "size": [2480, 3508], "dpi": 300},
        {"page": 1, "text": "ประจำปีงบประมาณ 2553", "box": [200, 630, 1100, 690],
         "size": [2480, 3508], "dpi": 300},
        {"page": 1, "text": "เรียน นายอำเภอเมืองอุบลราชธาน", "box": [200, 700, 1500, 760],
         "size": [2480, 3508], "dpi": 300},
    ]
    meta = LetterMetadata(number="ศธ 04049/ว508", circular=True, date=dt.date(2010, 9, 23),
                          subject="การจัดตั้งงบประมาณรายจ่ายประจำปีงบประมาณ 2553",
                          to="นายอำเภอเมืองอุบลราชธานี", urgency=Urgency.most_urgent,
                          kind=Kind.memo)
    sources = locate_fields(meta, lines)
    assert sources["number"]["box"] == [200, 400, 2200, 460]  # Thai digits fold to Arabic
    assert sources["circular"] == sources["number"]
    assert sources["date"]["box"] == [1200, 480, 1700, 540]
    assert sources["subject"]["box"] == [200, 560, 1800, 690]  # both lines of a wrapped subject
    assert sources["subject"]["how"] == "lines"
    assert sources["to"]["how"] == "fuzzy"  # one letter lost by OCR
    assert sources["urgency"]["box"] == [900, 40, 1200, 120]  # the stamp
    assert "kind" not in sources  # บันทึกข้อความ is printed nowhere: the header zone is shown
    assert sources["date"]["size"] == [2480, 3508] and sources["date"]["dpi"] == 300


def test_a_field_not_found_by_value_is_shown_at_its_label():
    size = {"size": [2480, 3508], "dpi": 300}
    lines = [{"page": 1, "text": "ที่ดินของโรงเรียน", "box": [0, 10, 900, 60], **size},
             {"page": 1, "text": "ที ศธ ๐๔๐๔๙/ว?๑๒", "box": [200, 400, 1000, 460], **size},
             {"page": 1, "text": "เรื่อง ขอเชิญประชุม", "box": [200, 560, 1000, 620], **size}]
    sources = locate_fields(LetterMetadata(subject="ขอเชิญประชุมครู"), lines)
    assert sources["number"]["box"] == [200, 400, 1000, 460]  # ที่ lost its tone mark
    assert sources["number"]["how"] == "label"
    assert sources["subject"]["how"] == "fuzzy"
    assert "to" not in sources and "date" not in sources


def test_intake_stores_field_sources_and_a_rerun_keeps_the_correction(archive: Archive,
                                                                     tmp_path: Path):
    from review_support import letter_pdf

    from ingest.intake import add_file
    from ingest.runner import Runner
    from store import jobs

    source = tmp_path / "letter.pdf"
    source.write_bytes(letter_pdf("intake"))
    outcome = add_file(archive, source, actor="test", batch="r1")
    Runner(archive, workers=1).run()
    record = _record(archive, outcome.record_id)
    assert record.text_method == "pdf-text"
    number = record.field_sources["number"]
    assert number["page"] == 1 and number["dpi"] == 72 and number["size"] == [595, 842]
    assert number["box"][1] < record.field_sources["subject"]["box"][1]  # ที่ above เรื่อง
    with archive.db.session() as session:
        edit_record(session, outcome.record_id, {"subject": "แก้โดยเจ้าหน้าที่"}, actor="clerk")
        jobs.enqueue(session, record.file_id, outcome.record_id, batch="r2", created_by="test")
    Runner(archive, workers=1).run(batch="r2")  # the file is read again
    again = _record(archive, outcome.record_id)
    assert again.subject == "แก้โดยเจ้าหน้าที่" and again.confidence["subject"] == 1.0
    assert again.field_sources["subject"] == record.field_sources["subject"]
    assert again.number == record.number


def test_fold_treats_digits_spaces_and_sara_am_alike():
    assert fold("ศธ ๐๔๐๔๙/๕๐๘") == fold("ศธ04049/508")
    assert fold("สํานักงาน") == fold("สำนักงาน")


def test_crop_box_scales_the_source_onto_the_page_image():
    crop = crop_for({"page": 2, "box": [100, 200, 300, 240], "size": [1000, 2000]}, (500, 1000))
    assert crop.page == 2 and crop.located
    assert crop.box == (50 - 2 * PAD, 100 - PAD, 150 + 2 * PAD, 120 + PAD)
    tall = crop_for({"page": 1, "box": [0, 100, 10, 200], "size": [100, 1000]}, (100, 1000))
    assert tall.box == (0, 40, 34, 230)  # a tall box: 0.6 of its height above, 0.3 below
    head = crop_for(None, (827, 1169))
    assert not head.located and head.page == 1 and head.box == (0, 0, 827, 468)
    assert not crop_for({"page": 1, "box": [5, 5, 5, 5], "size": [10, 10]}, (100, 100)).located


# -- corrections win ----------------------------------------------------------------------


def _reextract(archive: Archive, record_id: int, **fields: object) -> None:
    """Run the intake's last step again, as a re-extraction does."""
    meta = LetterMetadata(kind=Kind.external, number="ศธ 9999/1", date=dt.date(2020, 1, 1),
                          subject="เรื่องที่อ่านใหม่", to="ผู้รับใหม่",
                          confidence={**HIGH, "number": 0.3, "subject": 0.99}, **fields)
    write_record(archive.db, archive.blobs, record_id,
                 Document(content="ข้อความใหม่", meta={"letter": meta.model_dump(mode="json"),
                                                      "method": "ocr"}))


def test_a_correction_wins_over_a_later_reextraction(archive: Archive, corpus: Corpus):
    with archive.db.session() as session:
        edit_record(session, corpus.public, {"number": "ศธ 04049/509"}, actor="clerk")
        confirm_fields(session, corpus.public, ["date"], actor="officer")
    _reextract(archive, corpus.public)
    record = _record(archive, corpus.public)
    assert record.number == "ศธ 04049/509"  # the clerk's number, not the new reading
    assert record.date == dt.date(2016, 3, 3)  # confirmed as it was
    assert record.subject == "เรื่องที่อ่านใหม่"  # fields nobody touched take the new reading
    assert record.confidence["number"] == 1.0 and record.confidence["date"] == 1.0
    assert record.confidence["subject"] == 0.99
    assert record.corrected_fields["number"]["by"] == "clerk"
    assert record.corrected_fields["number"]["action"] == "edit"
    assert record.corrected_fields["date"] == {**record.corrected_fields["date"],
                                               "by": "officer", "action": "confirm"}


def test_reextraction_without_corrections_overwrites_everything(archive: Archive,
                                                                  corpus: Corpus):
    _reextract(archive, corpus.public)
    record = _record(archive, corpus.public)
    assert record.number == "ศธ 9999/1" and record.confidence["number"] == 0.3
    assert record.corrected_fields == {}


def test_corrections_and_confirmations_are_audited(archive: Archive, corpus: Corpus):
    with archive.db.session() as session:
        version = session.get(Record, corpus.public).version
        edit_record(session, corpus.public, {"subject": "ขอใช้ห้องประชุม"}, actor="clerk")
        confirm_fields(session, corpus.public, ["number", "date"], actor="clerk")
    with archive.db.session() as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.record_id == corpus.public,
            AuditEvent.action.in_(["record.edit", "record.confirm"])).order_by(AuditEvent.id)
        ).all()
        record = session.get(Record, corpus.public)
        assert record.version == version + 2
    assert [e.action for e in events] == ["record.edit", "record.confirm"]
    assert events[0].actor == "clerk"
    assert events[0].detail["after"] == {"subject": "ขอใช้ห้องประชุม"}
    assert events[1].detail["fields"] == {"date": "2016-03-03", "number": "ศธ 04049/508"}


def test_low_fields_skip_corrected_and_count_missing():
    assert low_fields({**HIGH, "date": 0.5}, {}, 0.8) == ["date"]
    assert low_fields({**HIGH, "date": 0.5}, {"date": {"by": "x"}}, 0.8) == []
    assert low_fields({}, {}, 0.8)[:2] == ["kind", "number"]
    assert low_fields(HIGH, {}, 0.96) == list(HIGH)


# -- the queue in the web UI ---------------------------------------------------------------


def _queue_ids(client: TestClient, page: int = 1) -> list[int]:
    html = client.get(f"/review?page={page}").text
    return [int(n) for n in re.findall(r'<tr data-record="(\d+)"', html)]


def test_queue_lists_low_records_oldest_first_within_clearance(archive: Archive, corpus: Corpus,
                                                               client: TestClient, tmp_path: Path):
    confident = add_pdf_letter(archive, tmp_path, confidence=HIGH, name="sure.pdf")
    sign_in(client, "clerk")  # clearance: none
    page = client.get("/review")
    assert page.status_code == 200
    assert 'id="review-threshold">80%' in page.text  # the threshold is shown
    assert _queue_ids(client) == [corpus.public, corpus.memo]
    assert 'id="review-total">2<' in page.text  # the ลับมาก letter is not counted
    assert confident not in _queue_ids(client)
    assert 'href="/review"' in page.text  # in the nav
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    sign_in(client, "officer")  # cleared for ลับมาก
    assert _queue_ids(client) == [corpus.public, corpus.memo, corpus.secret]


def test_queue_is_paginated(archive: Archive, corpus: Corpus, client: TestClient):
    extra = [add_record(archive, subject=f"หนังสือที่ {n}", text=f"x{n}", name=f"{n}.txt")
             for n in range(25)]
    sign_in(client, "clerk")
    first, second = _queue_ids(client, 1), _queue_ids(client, 2)
    assert len(first) == 20 and first[:2] == [corpus.public, corpus.memo]
    assert second == extra[18:]
    assert 'rel="next"' in client.get("/review").text


def test_readers_cannot_review(archive: Archive, corpus: Corpus, client: TestClient):
    sign_in(client, "reader")
    assert client.get("/review").status_code == 403
    assert client.get(f"/review/{corpus.public}").status_code == 403
    assert 'href="/review"' not in client.get("/").text


def test_review_page_hides_records_above_clearance(archive: Archive, corpus: Corpus,
                                                   client: TestClient):
    sign_in(client, "clerk")
    hidden = client.get(f"/review/{corpus.secret}")
    missing = client.get("/review/99999")
    assert hidden.status_code == missing.status_code == 404
    assert "ไม่พบเอกสารหมายเลข" in hidden.text and "แผนย้าย" not in hidden.text


def test_crop_endpoint(archive: Archive, corpus: Corpus, client: TestClient, tmp_path: Path):
    record_id = add_pdf_letter(archive, tmp_path, confidence={**HIGH, "number": 0.4})
    secret_id = add_pdf_letter(archive, tmp_path, confidence={**HIGH, "number": 0.4},
                               secrecy=Secrecy.secret, name="secret.pdf")
    source = _record(archive, record_id).field_sources["number"]
    sign_in(client, "clerk")
    page_size = (round(595.28 * CROP_DPI / 72), round(841.89 * CROP_DPI / 72))  # A4
    response = client.get(f"/records/{record_id}/crops/number.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    crop = Image.open(io.BytesIO(response.content))
    expected = crop_for(source, page_size)
    assert crop.size == (expected.box[2] - expected.box[0], expected.box[3] - expected.box[1])
    # The number's line (16 pt, about 116 x 17 points) at 200 dpi, padded: a strip, not a page.
    assert 320 < crop.size[0] < 420 and 60 < crop.size[1] < 100
    head = Image.open(io.BytesIO(client.get(f"/records/{record_id}/crops/kind.png").content))
    assert head.size == (page_size[0], round(page_size[1] * 0.4))  # no box: the letter's head
    for url in (f"/records/{secret_id}/crops/number.png", "/records/99999/crops/number.png"):
        denied = client.get(url)
        assert denied.status_code == 404 and "image" not in denied.headers["content-type"]
        assert "ไม่พบเอกสารหมายเลข" in denied.text
    assert client.get(f"/records/{record_id}/crops/text.png").status_code == 404
    text_only = client.get(f"/records/{corpus.memo}/crops/number.png")
    assert text_only.status_code == 404  # a text file has no page images


def test_review_record_shows_fields_with_crops(archive: Archive, client: TestClient,
                                               tmp_path: Path):
    record_id = add_pdf_letter(archive, tmp_path,
                               confidence={**HIGH, "number": 0.4, "date": 0.5})
    sign_in(client, "clerk")
    html = client.get(f"/review/{record_id}").text
    assert f'src="/records/{record_id}/crops/number.png"' in html
    assert f'src="/records/{record_id}/crops/date.png"' in html
    assert 'id="field-subject"' not in html  # read with confidence: not asked
    assert 'value="02/08/2562"' in html  # the date in the Buddhist era
    assert "2 สิงหาคม 2562" in html
    assert NUMBER in html and "40%" in html


def _post(client: TestClient, record_id: int, **data: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(f"/review/{record_id}").text)
    return client.post(f"/review/{record_id}", data={"csrf": token, **data})


def test_save_and_confirm_then_go_to_the_next_record(archive: Archive, corpus: Corpus,
                                                     client: TestClient, tmp_path: Path):
    record_id = add_pdf_letter(archive, tmp_path, confidence={**HIGH, "number": 0.4, "date": 0.5})
    sign_in(client, "clerk")
    saved = _post(client, record_id, field="number", value="ศธ 04049/ว613", do="save")
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/review/{record_id}?done=saved#field-date"
    record = _record(archive, record_id)
    assert record.number == "ศธ 04049/ว613" and record.circular
    assert record.confidence["number"] == 1.0
    assert record.corrected_fields["number"]["by"] == "clerk"
    confirmed = _post(client, record_id, field="date", value="", do="confirm")
    # Nothing left on this record: on to the next one in the queue (the oldest).
    assert confirmed.headers["location"] == f"/review/{corpus.public}?done=confirmed"
    record = _record(archive, record_id)
    assert record.date == dt.date(2019, 8, 2) and record.confidence["date"] == 1.0
    assert record_id not in _queue_ids(client)
    with archive.db.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_id == record_id, AuditEvent.actor == "clerk")).all()
    assert set(actions) == {"record.edit", "record.confirm"}
    assert "ยืนยันรายละเอียดที่อ่านได้" in client.get(f"/records/{record_id}").text


def test_a_be_date_is_saved_as_the_ce_date(archive: Archive, corpus: Corpus, client: TestClient):
    sign_in(client, "clerk")
    _post(client, corpus.public, field="date", value="๑๗/๐๓/๒๕๕๙", do="save")
    assert _record(archive, corpus.public).date == dt.date(2016, 3, 17)
    bad = _post(client, corpus.public, field="date", value="31/02/2559", do="save")
    assert bad.status_code == 400 and "วว/ดด/ปปปป" in bad.text
    _post(client, corpus.public, field="date", value="2 ส.ค. 2562", do="save")
    assert _record(archive, corpus.public).date == dt.date(2019, 8, 2)


def test_marking_a_letter_secret_moves_the_clerk_on(archive: Archive, corpus: Corpus,
                                                    client: TestClient):
    sign_in(client, "clerk")
    moved = _post(client, corpus.public, field="secrecy", value="secret", do="save")
    assert moved.headers["location"] == f"/review/{corpus.memo}?done=saved"
    assert _record(archive, corpus.public).secrecy == Secrecy.secret
    assert corpus.public not in _queue_ids(client)


def test_saving_needs_the_form_token_and_clearance(archive: Archive, corpus: Corpus,
                                                   client: TestClient):
    sign_in(client, "clerk")
    refused = client.post(f"/review/{corpus.public}",
                          data={"csrf": "forged", "field": "number", "value": "x", "do": "save"})
    assert refused.status_code == 403
    hidden = _post(client, corpus.memo, field="subject", value="x", do="save")
    assert hidden.status_code == 303  # the memo is the clerk's to correct
    token = csrf_of(client.get("/review").text)
    secret = client.post(f"/review/{corpus.secret}",
                         data={"csrf": token, "field": "subject", "value": "x", "do": "save"})
    assert secret.status_code == 404
    assert _record(archive, corpus.secret).subject != "x"
    assert _record(archive, corpus.public).number == "ศธ 04049/508"
