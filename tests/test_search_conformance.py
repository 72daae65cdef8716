"""One contract suite for every search backend: embedded Tantivy and a real OpenSearch (issue 5).

Each behaviour test runs on both backends over the same fixed corpus; the
cross-backend tests check both return the same top hits (ties allowed) and
the same facet counts, and the leak tests that a reader never sees, counts,
facets or gets a snippet of a record above their clearance.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cli.samples_records import add_sample_records, sample_records
from conftest import add_record
from index.backend import SearchBackend, SearchRequest
from index.opensearch_backend import OpenSearchBackend
from index.service import search
from index.sync import reindex
from ingest.archive import Archive
from schemas.enums import RecordStatus, Secrecy
from schemas.settings import Settings
from schemas.tables import Record

SECRET_SUBJECT = "แผนย้ายคลังอาวุธลับเฉพาะกิจ"
SECRET_SENDER = "สพป.ลับ"
BACKENDS = ["embedded", pytest.param("opensearch", marks=pytest.mark.opensearch)]
QUERIES = ["ประชุม", "อาคารเรียน", "อนุเคราะห์", "ราชพสดุ", "ลูกเสือ", "ยาเสพติด สถานศึกษา",
           '"ผู้บริหารสถานศึกษา"', "ครู OR นักเรียน", "สพป -ประชุม", "เรื่อง:ประชุม",
           "ศธ 04049/508", "ศธ ๐๔๐๔๙/๕๐๘", "2563", "๒๕๖๓", "เงินเดือน", "สำนักงาน", "ไข้เลือดออก",
           "ขอความร่วมมือ", "งบประมาณ", "ผู้อำนวยการ"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Archive:
    """One SQLite store with the named letters and 80 synthetic ones (fixed seed)."""
    archive = Archive.open(Settings(home=tmp_path_factory.mktemp("conformance") / "home"))
    ids = {
        "building": add_record(archive, subject="การขอใช้ที่ราชพัสดุเพื่อก่อสร้างอาคารเรียน",
                               number="ศธ 04049/508", date=dt.date(2016, 8, 2),
                               from_org="สพป.น่าน เขต 2"),
        "help": add_record(archive, subject="ขอความอนุเคราะห์ส่งบุคลากรเข้าร่วมอบรม",
                           number="ศธ 04176/ว3392", date=dt.date(2020, 1, 15),
                           from_org="สพป.แพร่ เขต 1", text="อ้างถึง หนังสือ ศธ 04049/508"),
        "meeting": add_record(archive, subject="ประชุมผู้บริหารสถานศึกษา ประจำปี ๒๕๖๓",
                              number="ศธ 04176/123", date=dt.date(2020, 6, 1),
                              from_org="สพป.แพร่ เขต 1", kind="memo"),
        "secret": add_record(archive, subject=SECRET_SUBJECT, number="ศธ 04049/ว999",
                             secrecy=Secrecy.secret, date=dt.date(2020, 3, 3),
                             from_org=SECRET_SENDER, text="ประชุม อาคารเรียน"),
        "unread": add_record(archive, subject="หนังสือที่ยังไม่ได้อ่าน แผนงานโครงการ",
                             name="ลับมาก-แผนงาน.pdf", date=dt.date(2021, 2, 2)),
    }
    with archive.db.session() as session:
        session.get(Record, ids["unread"]).status = RecordStatus.pending
        add_sample_records(session, list(sample_records(80, seed=5)))
    archive.ids = ids  # type: ignore[attr-defined]
    yield archive
    archive.close()


@pytest.fixture(scope="module")
def opensearch_backend(store, opensearch_node) -> OpenSearchBackend:
    """The same store indexed into a real OpenSearch node."""
    backend = OpenSearchBackend(Settings(home=store.settings.home, search="opensearch",
                                         opensearch_url=opensearch_node.url,
                                         opensearch_index="conformance"))
    assert reindex(store.db, backend) == 85
    return backend


@pytest.fixture(scope="module")
def embedded_backend(store) -> SearchBackend:
    """The embedded Tantivy index of the store."""
    assert reindex(store.db, store.backend) == 85
    return store.backend


@pytest.fixture(params=BACKENDS)
def backend(request) -> SearchBackend:
    """Each backend in turn."""
    return request.getfixturevalue(f"{request.param}_backend")


def _search(store, backend, query="", clearance=Secrecy.none, **kw):
    response = search(store.db, backend, SearchRequest(query=query, clearance=clearance, **kw))
    return [hit.record_id for hit in response.hits], response


# -- behaviour, on each backend ---------------------------------------------
def test_thai_word_finds_letter_with_a_marked_snippet(store, backend):
    ids, response = _search(store, backend, "อาคารเรียน")
    assert ids[0] == store.ids["building"]
    assert "<mark>" in response.hits[0].snippet


def test_compound_and_ocr_damaged_words_match(store, backend):
    assert _search(store, backend, "อนุเคราะห์")[0][0] == store.ids["help"]
    assert store.ids["building"] in _search(store, backend, "ราชพสดุ")[0]  # ั dropped


@pytest.mark.parametrize("query", ["ศธ 04049/508", "ศธ ๐๔๐๔๙/๕๐๘", "ที่:ศธ 04049/508"])
def test_letter_number_first_then_letters_citing_it(store, backend, query):
    ids, _ = _search(store, backend, query)
    assert ids[0] == store.ids["building"] and store.ids["help"] in ids


def test_thai_and_arabic_digits_match_each_other(store, backend):
    assert _search(store, backend, "2563")[0] == _search(store, backend, "๒๕๖๓")[0]
    assert store.ids["meeting"] in _search(store, backend, "๒๕๖๓")[0]


def test_phrase_exclusion_or_and_subject_field(store, backend):
    assert _search(store, backend, '"ผู้บริหารสถานศึกษา"')[0][0] == store.ids["meeting"]
    assert store.ids["meeting"] not in _search(store, backend, "สพป -ประชุม", limit=100)[0]
    either = set(_search(store, backend, "อาคารเรียน OR อนุเคราะห์", limit=100)[0])
    assert {store.ids["building"], store.ids["help"]} <= either
    assert store.ids["meeting"] in _search(store, backend, "เรื่อง:ประชุม")[0]
    assert store.ids["secret"] not in _search(store, backend, "เรื่อง:ประชุม", Secrecy.secret)[0]


def test_filters_and_date_sorting(store, backend):
    ids, response = _search(store, backend, "", filters={"year": ["2563"], "kind": ["memo"]},
                            limit=100)
    assert store.ids["meeting"] in ids and response.total == len(ids)
    newest, _ = _search(store, backend, "แพร่ เขต 1", sort="date_desc", limit=100)
    assert newest.index(store.ids["meeting"]) < newest.index(store.ids["help"])
    oldest, _ = _search(store, backend, "แพร่ เขต 1", sort="date_asc", limit=100)
    assert oldest.index(store.ids["help"]) < oldest.index(store.ids["meeting"])


@pytest.mark.parametrize("query", ["", "ประชุม", "อาคารเรียน", "ศธ 04049/ว999", SECRET_SUBJECT,
                                   "ลับ", "สพป", "แผนงาน"])
def test_a_reader_never_sees_counts_facets_or_snippets_above_clearance(store, backend, query):
    everything = _search(store, backend, query, Secrecy.top_secret, limit=200)
    for clearance in (Secrecy.none, Secrecy.confidential):
        ids, response = _search(store, backend, query, clearance, limit=200)
        assert store.ids["secret"] not in ids and store.ids["unread"] not in ids
        blob = repr(response.as_json())
        assert SECRET_SUBJECT not in blob and SECRET_SENDER not in blob and "แผนงาน" not in blob
        assert "secret" not in {v.value for v in response.facets.get("secrecy", [])}
        assert "top_secret" not in {v.value for v in response.facets.get("secrecy", [])}
        above = [i for i in everything[0] if i not in ids]
        assert response.total == everything[1].total - len(above)
        facet_total = sum(v.count for v in response.facets["kind"])
        assert facet_total == response.total  # the facets count only what the reader may see
    assert store.ids["secret"] in _search(store, backend, SECRET_SUBJECT, Secrecy.secret)[0]
    assert store.ids["unread"] not in _search(store, backend, "แผนงาน", Secrecy.secret)[0]


# -- the two backends agree ------------------------------------------------
def _tied_top(hits, k: int) -> tuple[set[int], set[int]]:
    """(ids certainly in the top k, ids that may be in it because of a tie at the cut)."""
    top = hits[:k]
    if len(hits) <= k:
        ids = {h.record_id for h in hits}
        return ids, ids
    cut = hits[k - 1].score
    close = lambda a, b: abs(a - b) <= 1e-4 * max(1.0, abs(a))  # noqa: E731
    certain = {h.record_id for h in top if not close(h.score, cut)}
    possible = certain | {h.record_id for h in hits if close(h.score, cut)}
    return certain, possible


@pytest.mark.opensearch
@pytest.mark.parametrize("clearance", [Secrecy.none, Secrecy.top_secret])
@pytest.mark.parametrize("query", QUERIES)
def test_both_backends_return_the_same_top_hits(store, embedded_backend, opensearch_backend,
                                                query, clearance):
    k = 10
    request = SearchRequest(query=query, clearance=clearance, limit=100)
    a = embedded_backend.search(request)
    b = opensearch_backend.search(request)
    assert a.total == b.total
    a_certain, a_possible = _tied_top(a.hits, k)
    b_certain, b_possible = _tied_top(b.hits, k)
    assert a_certain <= b_possible and b_certain <= a_possible
    if a.hits:  # the best hit agrees, up to ties at the top
        assert _best(a.hits) & _best(b.hits)


def _best(hits) -> set[int]:
    return {h.record_id for h in hits if abs(h.score - hits[0].score) <= 1e-4 * hits[0].score}


@pytest.mark.opensearch
@pytest.mark.parametrize("clearance", [Secrecy.none, Secrecy.confidential, Secrecy.top_secret])
@pytest.mark.parametrize("query", ["", "ประชุม", "สถานศึกษา", "ขอความร่วมมือ", "-ประชุม"])
def test_both_backends_count_the_same_facets(store, embedded_backend, opensearch_backend,
                                             query, clearance):
    request = SearchRequest(query=query, clearance=clearance)
    a = embedded_backend.search(request).facets
    b = opensearch_backend.search(request).facets
    for name in a:
        assert {v.value: v.count for v in a[name]} == {v.value: v.count for v in b[name]}, name
