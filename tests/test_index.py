"""The embedded search backend: Thai words, compounds, digits, numbers, facets, clearance."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from conftest import SECRET_SENDER, SECRET_SUBJECT, add_four_letters, add_record
from index.backend import SearchRequest
from index.query import parse
from index.service import search
from index.sync import reindex
from schemas.enums import Secrecy

@pytest.fixture
def corpus(archive):
    return add_four_letters(archive)


def _ids(archive, query, clearance=Secrecy.none, **kw):
    response = search(archive.db, archive.backend,
                      SearchRequest(query=query, clearance=clearance, **kw))
    return [hit.record_id for hit in response.hits], response


def test_thai_word_finds_letter(archive, corpus):
    ids, response = _ids(archive, "อาคารเรียน")
    assert ids == [corpus["building"]]
    assert "<mark>" in response.hits[0].snippet


def test_compound_inside_a_longer_word(archive, corpus):
    ids, _ = _ids(archive, "อนุเคราะห์")
    assert ids == [corpus["help"]]


def test_ocr_damaged_query_still_matches(archive, corpus):
    ids, _ = _ids(archive, "ราชพสดุ")  # ั dropped, as OCR does
    assert corpus["building"] in ids


@pytest.mark.parametrize("query", ["ศธ 04049/508", "ศธ ๐๔๐๔๙/๕๐๘", "ศธ04049/508", "ที่:ศธ 04049/508"])
def test_letter_number_finds_that_letter_first(archive, corpus, query):
    ids, _ = _ids(archive, query)
    assert ids[0] == corpus["building"]
    assert corpus["help"] in ids  # it cites the number, so it ranks below


def test_thai_and_arabic_digits_match_each_other(archive, corpus):
    assert _ids(archive, "2563")[0] == _ids(archive, "๒๕๖๓")[0] == [corpus["meeting"]]


def test_phrase_exclusion_and_or(archive, corpus):
    assert _ids(archive, '"ผู้บริหารสถานศึกษา"')[0] == [corpus["meeting"]]
    assert corpus["meeting"] not in _ids(archive, "สพป -ประชุม")[0]
    assert set(_ids(archive, "อาคารเรียน OR อนุเคราะห์")[0]) == {corpus["building"], corpus["help"]}


def test_facets_filters_and_sorting(archive, corpus):
    _, response = _ids(archive, "")
    years = {v.value: v.count for v in response.facets["year"]}
    assert years == {"2559": 1, "2563": 2}
    senders = {v.value: v.count for v in response.facets["sender"]}
    assert senders["สพป.แพร่ เขต 1"] == 2
    ids, filtered = _ids(archive, "", filters={"year": ["2563"], "kind": ["memo"]})
    assert ids == [corpus["meeting"]] and filtered.total == 1
    newest, _ = _ids(archive, "", sort="date_desc")
    assert newest == [corpus["meeting"], corpus["help"], corpus["building"]]


@pytest.mark.parametrize("query", ["", "ประชุม", "อาคารเรียน", "ศธ 04049/ว999", SECRET_SUBJECT,
                                   "ลับ", "สพป"])
def test_secret_letter_never_reaches_a_reader_without_clearance(archive, corpus, query):
    for clearance in (Secrecy.none, Secrecy.confidential):
        ids, response = _ids(archive, query, clearance=clearance)
        assert corpus["secret"] not in ids
        blob = repr(response.as_json())
        assert SECRET_SUBJECT not in blob and SECRET_SENDER not in blob
        assert "secret" not in {v.value for v in response.facets.get("secrecy", [])}
        total_all = _ids(archive, query, clearance=Secrecy.top_secret)[1].total
        assert response.total == total_all - (1 if corpus["secret"] in
                                              _ids(archive, query, Secrecy.top_secret)[0] else 0)
    assert corpus["secret"] in _ids(archive, SECRET_SUBJECT, clearance=Secrecy.secret)[0]


def test_reindex_rebuilds_from_the_store(archive, corpus):
    archive.backend.clear()
    assert _ids(archive, "อาคารเรียน")[0] == []
    assert reindex(archive.db, archive.backend) == 4
    assert _ids(archive, "อาคารเรียน")[0] == [corpus["building"]]


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_query_parser_never_fails(text):
    parsed = parse(text)
    assert isinstance(parsed.highlight_terms(), list)


@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet='กขคงจ่้ำะาเแ"-: ()*OR0123456789/ศธว', max_size=30))
def test_any_query_searches_without_error(archive, corpus, text):
    result = archive.backend.search(SearchRequest(query=text))  # read-only: the fixture is safe
    assert corpus["secret"] not in [hit.record_id for hit in result.hits]


def test_unread_and_failed_files_are_guarded_as_top_secret(archive, tmp_path):
    from schemas.enums import RecordStatus
    from schemas.tables import Record
    from index.sync import sync_pending

    record_id = add_record(archive, subject="หนังสือที่ยังไม่ได้อ่าน", name="ลับมาก-แผนงาน.pdf")
    for status in (RecordStatus.pending, RecordStatus.failed):
        with archive.db.session() as session:
            record = session.get(Record, record_id)
            record.status = status
            record.version += 1
        sync_pending(archive.db, archive.backend)
        assert record_id not in _ids(archive, "แผนงาน", clearance=Secrecy.secret)[0]
        assert record_id in _ids(archive, "แผนงาน", clearance=Secrecy.top_secret)[0]


def test_upsert_replaces_and_delete_removes(archive, corpus):
    from index.documents import index_doc
    from schemas.tables import Record

    with archive.db.session() as session:
        doc = index_doc(session.get(Record, corpus["building"]))
    before = archive.backend.count()
    archive.backend.upsert([doc])
    archive.backend.upsert([doc])
    assert archive.backend.count() == before  # replaced, not duplicated
    archive.backend.delete([corpus["building"]])
    assert archive.backend.count() == before - 1
