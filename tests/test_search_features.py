"""Search features on the embedded backend: fields, dates, facets, suggestions, threads,
and attempts to make any of them leak a record above the reader's clearance."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import add_record
from index.backend import SearchRequest, SuggestRequest
from index.service import search
from index.thread_service import thread_of
from schemas.enums import Secrecy
from schemas.tables import Record

SECRET_SUBJECT = "แผนเคลื่อนย้ายยุทโธปกรณ์ชายแดน"
SECRET_SENDER = "กองบัญชาการลับพิเศษ"
SECRET_WORD = "ยุทโธปกรณ์"


@pytest.fixture
def letters(archive):
    """Five visible letters forming a thread, and one ลับมาก letter that cites the first."""
    first = add_record(archive, subject="การขอใช้ที่ราชพัสดุเพื่อก่อสร้างอาคารเรียน",
                       number="ศธ 04049/508", date=dt.date(2016, 8, 2),
                       from_org="สพป.น่าน เขต 2", to="ผู้อำนวยการโรงเรียนบ้านหนองบัว",
                       signer="นายสมชาย ใจดี")
    reply = add_record(archive, subject="ตอบการขอใช้ที่ราชพัสดุ", number="ศธ 04176/ว3392",
                       date=dt.date(2016, 9, 15), from_org="สพป.แพร่ เขต 1",
                       to="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาน่าน เขต 2",
                       references=[{"number": "ศธ ๐๔๐๔๙/๕๐๘", "date": "2016-08-02"}],
                       enclosures=["สำเนาหนังสือ จำนวน 1 ฉบับ"], urgency="urgent")
    later = add_record(archive, subject="ขอเชิญประชุมคณะกรรมการสถานศึกษา", number="ศธ 04176/77",
                       date=dt.date(2022, 1, 20), from_org="สพป.แพร่ เขต 1", kind="memo",
                       references=[{"number": "ศธ 04176/ว3392", "date": "2016-09-15"},
                                   {"number": "ศธ 04999/1", "date": "2015-01-01"}])
    wrong_date = add_record(archive, subject="ประชุมเรื่องอื่น", number="ศธ 04176/78",
                            date=dt.date(2022, 3, 5), from_org="สพป.ลำปาง เขต 1",
                            references=[{"number": "ศธ 04049/508", "date": "2017-01-01"}])
    order = add_record(archive, subject="แต่งตั้งคณะกรรมการตรวจรับพัสดุ", number="12/2565",
                       date=dt.date(2022, 2, 1), from_org="สพป.น่าน เขต 2", kind="order")
    secret = add_record(archive, subject=SECRET_SUBJECT, number="ศธ 04049/ว999",
                        secrecy=Secrecy.secret, date=dt.date(2016, 10, 1),
                        from_org=SECRET_SENDER, to="ผู้อำนวยการโรงเรียนบ้านหนองบัว",
                        text="ประชุม อาคารเรียน ราชพัสดุ",
                        references=[{"number": "ศธ 04049/508", "date": "2016-08-02"}])
    return {"first": first, "reply": reply, "later": later, "wrong_date": wrong_date,
            "order": order, "secret": secret}


def _run(archive, query="", clearance=Secrecy.none, **kw):
    return search(archive.db, archive.backend,
                  SearchRequest(query=query, clearance=clearance, **kw))


def _ids(archive, query="", clearance=Secrecy.none, **kw):
    return [hit.record_id for hit in _run(archive, query, clearance, **kw).hits]


def test_field_terms_search_only_their_field(archive, letters):
    assert _ids(archive, "จาก:แพร่") == _ids(archive, "from:แพร่")
    assert set(_ids(archive, "จาก:แพร่")) == {letters["reply"], letters["later"]}
    assert _ids(archive, "ถึง:หนองบัว") == [letters["first"]]
    assert _ids(archive, "จาก:สมชาย") == [letters["first"]]  # the signer counts as sender
    assert set(_ids(archive, "เรื่อง:ประชุม")) == {letters["later"], letters["wrong_date"]}


def test_prefix(archive, letters):
    assert set(_ids(archive, "ราชพัส*")) == {letters["first"], letters["reply"]}


def test_date_ranges_in_buddhist_era(archive, letters):
    assert set(_ids(archive, "2565..2565")) == {letters["later"], letters["wrong_date"],
                                                letters["order"]}
    assert _ids(archive, "ม.ค. 2565") == [letters["later"]]
    assert set(_ids(archive, "ราชพัสดุ ..2559")) == {letters["first"], letters["reply"]}


def test_typed_facet_filter(archive, letters):
    assert _ids(archive, "ประเภท:คำสั่ง") == [letters["order"]]
    assert _ids(archive, "ทะเบียน:ทะเบียนคำสั่ง") == [letters["order"]]


def test_letter_number_in_thai_digits_finds_letter_then_citing_letters(archive, letters):
    ids = _ids(archive, "ศธ ๐๔๐๔๙/๕๐๘")
    assert ids[0] == letters["first"]


def test_facets_with_counts_for_every_field(archive, letters):
    facets = _run(archive).facets
    counts = {name: {v.value: v.count for v in values} for name, values in facets.items()}
    assert counts["year"] == {"2559": 2, "2565": 3}
    assert counts["month"]["1"] == 1 and counts["month"]["8"] == 1
    assert counts["kind"] == {"external": 3, "memo": 1, "order": 1}
    assert counts["addressee"] == {"schools": 1, "area_offices": 1, "other": 3}
    assert counts["attachments"] == {"yes": 1, "no": 4}
    assert counts["register"] == {"incoming": 4, "orders": 1}
    assert counts["urgency"] == {"normal": 4, "urgent": 1}
    assert counts["sender"]["สพป.น่าน เขต 2"] == 2


def test_facet_counts_are_disjunctive(archive, letters):
    response = _run(archive, filters={"kind": ["memo"], "year": ["2565"]})
    assert [h.record_id for h in response.hits] == [letters["later"]]
    kinds = {v.value: v.count for v in response.facets["kind"]}
    assert kinds == {"external": 1, "memo": 1, "order": 1}  # within 2565, ignoring kind=memo
    years = {v.value: v.count for v in response.facets["year"]}
    assert years == {"2565": 1}  # memos by year, ignoring year=2565
    widened = _run(archive, filters={"kind": ["memo", "order"]})
    assert widened.total == 2


def test_sort_by_date(archive, letters):
    newest = _ids(archive, "", sort="date_desc", limit=3)
    assert newest == [letters["wrong_date"], letters["order"], letters["later"]]


def test_did_you_mean_from_the_archive_vocabulary(archive, letters):
    response = _run(archive, "ราชพสดุ", suggest=True)
    assert response.did_you_mean == "ราชพัสดุ"
    assert letters["first"] in [hit.record_id for hit in response.hits]  # OCR-tolerant match


def test_type_ahead_offers_subjects_senders_and_words(archive, letters):
    found = archive.backend.suggest(SuggestRequest("การขอ"))
    assert "การขอใช้ที่ราชพัสดุเพื่อก่อสร้างอาคารเรียน" in [s.text for s in found]
    senders = archive.backend.suggest(SuggestRequest("สพป.แ"))
    assert [(s.text, s.kind, s.count) for s in senders] == [("สพป.แพร่ เขต 1", "sender", 2)]


def test_threads_link_cited_and_citing_letters(archive, letters):
    with archive.db.session() as session:
        reply = session.get(Record, letters["reply"])
        thread = thread_of(archive.db, archive.backend, reply, Secrecy.none)
    assert [hit.record_id for ref in thread.cites for hit in ref.letters] == [letters["first"]]
    assert [hit.record_id for hit in thread.cited_by] == [letters["later"]]
    with archive.db.session() as session:
        first = session.get(Record, letters["first"])
        reader = thread_of(archive.db, archive.backend, first, Secrecy.none)
        officer = thread_of(archive.db, archive.backend, first, Secrecy.secret)
    assert [hit.record_id for hit in reader.cited_by] == [letters["reply"]]  # not wrong_date
    assert {hit.record_id for hit in officer.cited_by} == {letters["reply"], letters["secret"]}
    with archive.db.session() as session:
        later = session.get(Record, letters["later"])
        unknown = thread_of(archive.db, archive.backend, later, Secrecy.none).cites[1]
    assert unknown.number == "ศธ 04999/1" and unknown.letters == []


# -- trying to make it leak -------------------------------------------------------------
LEAK_QUERIES = ["", SECRET_WORD, SECRET_SUBJECT, "ยุทโธปกรณ", "ยุทโธ*", "จาก:กองบัญชาการ",
                "ศธ 04049/ว999", "ชั้นความลับ:ลับมาก", "ประชุม OR ชายแดน", "2559..2559",
                "ต.ค. 2559", '"เคลื่อนย้าย"', "ราชพัสดุ -อาคาร"]


@pytest.mark.parametrize("query", LEAK_QUERIES)
@pytest.mark.parametrize("clearance", [Secrecy.none, Secrecy.confidential])
def test_no_hit_count_facet_or_hint_above_clearance(archive, letters, query, clearance):
    filters_to_try = [{}, {"secrecy": ["secret"]}, {"sender": [SECRET_SENDER]},
                      {"cites": ["ศธ04049/508|2016-08-02"]}]
    for filters in filters_to_try:
        mine = _run(archive, query, clearance, filters=filters, limit=50)
        full = _run(archive, query, Secrecy.top_secret, filters=filters, limit=50)
        secret_in_full = letters["secret"] in [h.record_id for h in full.hits]
        assert letters["secret"] not in [h.record_id for h in mine.hits]
        assert mine.total == full.total - secret_in_full
        blob = repr(mine.as_json())
        assert SECRET_SENDER not in blob and SECRET_SUBJECT not in blob and SECRET_WORD not in blob
        assert "secret" not in {v.value for v in mine.facets.get("secrecy", [])}
        for name, values in mine.facets.items():
            for value in values:
                assert value.count <= sum(v.count for v in full.facets[name] if v.value ==
                                          value.value)


@pytest.mark.parametrize("typed", ["แผน", "แผนเคลื่อน", "ยุท", "กอง", "กองบัญชาการ", "ชายแ"])
def test_type_ahead_never_offers_words_only_in_secret_letters(archive, letters, typed):
    for clearance in (Secrecy.none, Secrecy.confidential):
        texts = " ".join(s.text for s in archive.backend.suggest(SuggestRequest(typed, clearance)))
        assert SECRET_WORD not in texts and SECRET_SENDER not in texts and "ชายแดน" not in texts
    cleared = archive.backend.suggest(SuggestRequest(typed, Secrecy.secret))
    assert cleared  # the same prefixes do complete for a cleared reader


def test_did_you_mean_never_offers_a_word_only_in_secret_letters(archive, letters):
    for typed in ("ยุทโธปกรน", "ยุทธโธปกรณ์", "ชายแดม"):
        hint = _run(archive, typed, Secrecy.none).did_you_mean
        assert hint is None or (SECRET_WORD not in hint and "ชายแดน" not in hint)
    assert _run(archive, "ยุทโธปกรน", Secrecy.secret).did_you_mean == SECRET_WORD
