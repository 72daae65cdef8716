"""The query parser: each construct of the documented language, and that it never fails."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from index.query import (AnyOf, DateRange, FieldFilter, LetterNumber, Phrase, Prefix, Words,
                         parse)


def test_words_phrase_or_exclusion_prefix():
    parsed = parse('อาคารเรียน "ผู้บริหารสถานศึกษา" ครู OR นักเรียน -ประชุม ประกาศ*')
    assert parsed.required == (Words("อาคารเรียน"), Phrase("ผู้บริหารสถานศึกษา"),
                               AnyOf((Words("ครู"), Words("นักเรียน"))), Prefix("ประกาศ"))
    assert parsed.excluded == (Words("ประชุม"),)


@pytest.mark.parametrize(("typed", "field"), [
    ("เรื่อง:ประชุม", "subject"), ("subject:ประชุม", "subject"),
    ("จาก:แพร่", "from"), ("from:แพร่", "from"),
    ("ถึง:โรงเรียน", "to"), ("to:โรงเรียน", "to"),
])
def test_field_terms_in_thai_and_english(typed, field):
    assert parse(typed).required[0].field == field


def test_field_phrase():
    assert parse('เรื่อง:"ขอความอนุเคราะห์"').required == (Phrase("ขอความอนุเคราะห์", "subject"),)


@pytest.mark.parametrize("typed", ["ศธ 04049/508", "ศธ ๐๔๐๔๙/๕๐๘", "ที่:ศธ04049/508",
                                   "number:ศธ 04049/508"])
def test_letter_numbers_in_either_digits(typed):
    (node,) = parse(typed).required
    assert isinstance(node, LetterNumber) and node.key == "ศธ04049/508"


@pytest.mark.parametrize(("typed", "start", "end"), [
    ("2561..2563", dt.date(2018, 1, 1), dt.date(2020, 12, 31)),
    ("๒๕๖๑..๒๕๖๓", dt.date(2018, 1, 1), dt.date(2020, 12, 31)),
    ("ม.ค. 2565", dt.date(2022, 1, 1), dt.date(2022, 1, 31)),
    ("กุมภาพันธ์ 2563", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("ก.พ. 63", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("ม.ค. 2565..มี.ค. 2565", dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
    ("2560..", dt.date(2017, 1, 1), None),
    ("..2550", None, dt.date(2007, 12, 31)),
])
def test_buddhist_era_date_ranges(typed, start, end):
    parsed = parse(f"ประชุม {typed}")
    assert parsed.filters == (DateRange(start, end),)
    assert parsed.required == (Words("ประชุม"),)


def test_a_bare_year_is_still_a_word():
    assert parse("2563").required == (Words("2563"),) and not parse("2563").filters


@pytest.mark.parametrize(("typed", "name", "value"), [
    ("ประเภท:คำสั่ง", "kind", "order"), ("kind:memo", "kind", "memo"),
    ("ปี:2563", "year", "2563"), ("ชั้นความลับ:ลับ", "secrecy", "confidential"),
    ("ความเร่งด่วน:ด่วนมาก", "urgency", "very_urgent"), ("เดือน:ม.ค.", "month", "1"),
    ("ทะเบียน:ทะเบียนคำสั่ง", "register", "orders"), ("attachments:yes", "attachments", "yes"),
])
def test_typed_facet_filters(typed, name, value):
    assert parse(typed).filters == (FieldFilter(name, value),)


def test_unknown_filter_value_is_searched_as_words():
    parsed = parse("ประเภท:อะไรก็ได้")
    assert not parsed.filters and parsed.required == (Words("อะไรก็ได้"),)


@pytest.mark.parametrize("typed", ['"ไม่ปิด', "OR", "- -", "((", "*", "31 ก.พ. 2565..", ":::",
                                   "ที่:", "2565..2561", 'เรื่อง:"'])
def test_odd_queries_parse(typed):
    assert isinstance(parse(typed).highlight_terms(), list)


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('กขคงจ่้ำะาเแมคพ."-:()*ORor0123456789๐๒๕/ศธว. ')),
               max_size=40))
def test_parser_never_fails_on_query_like_text(text):
    parsed = parse(text)
    for item in parsed.filters:
        if isinstance(item, DateRange) and item.start and item.end:
            assert isinstance(item.start, dt.date)
