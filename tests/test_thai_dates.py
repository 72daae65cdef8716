"""Thai dates: parsing OCR-noisy text, formatting with the BE year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.thai_dates import (
    MONTHS_ABBR,
    MONTHS_FULL,
    be_year,
    find_thai_date,
    find_thai_dates,
    format_thai_date,
    match_month,
    parse_thai_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๒๓ มิถุนายน ๒๕๕๕", D(2012, 6, 23)),
        ("23 มิถุนายน พ.ศ. 2555", D(2012, 6, 23)),
        ("2 ส.ค. 59", D(2016, 8, 2)),
        ("ลงวันที่ 5 กรกฎาคม 2559", D(2016, 7, 5)),
        ("สั่ง ณ วันที่ 2 สิงหาคม พ.ศ.2559", D(2016, 8, 2)),
        ("วันที่ 19 พ.ค. 2561", D(2018, 5, 19)),
        ("1 มกราคม 2024", D(2024, 1, 1)),  # a CE year stays CE
    ],
)
def test_parses_printed_forms(text: str, expected: dt.date) -> None:
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๒๓   มิถุนายน    ๒๕๕๕", D(2012, 6, 23)),  # extra spaces
        ("๒3 มิถุนายน 2๕๕๕", D(2012, 6, 23)),  # Thai and Arabic digits mixed
        ("2 กุมภาพันธ 2560", D(2017, 2, 2)),  # ์ dropped
        ("14 มิถนายน 2560", D(2017, 6, 14)),  # ุ dropped
        ("3 ธันวาดม 2562", D(2019, 12, 3)),  # one wrong letter
        ("๒๓ มิ ถุ นา ยน ๒๕๕๕", D(2012, 6, 23)),  # letter-spaced month
        ("5 มค 2567", D(2024, 1, 5)),  # abbreviation without dots
        ("2 สิงหาคม 2 5 5 9", D(2016, 8, 2)),  # spaced year digits
        ("ภายในวันที่ 30 สิงหาคม 2559,", D(2016, 8, 30)),  # stray comma
        ("สั่งณวันที่ 12 ธันวาคม พุศ . 2556", D(2013, 12, 12)),  # a speck under พ of พ.ศ.
        ("๑๕ มกราคม พ . ศ . .๒๕๕๐", D(2007, 1, 15)),  # a speck before the year
    ],
)
def test_tolerates_ocr_noise(text: str, expected: dt.date) -> None:
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ที่ ศธ 04049/508",
        "ลงวันที 24 una 2559",  # month unreadable
        "31 กุมภาพันธ์ 2559",  # no such day
        "12 เขตพื้นที่ 2559",  # not a month
        "โทร. 0 5891 8621",
        "๒๓ มิถุนายน ๒๕๒๐๕",  # five-digit year: misread
    ],
)
def test_returns_none_without_a_date(text: str) -> None:
    assert parse_thai_date(text) is None


def test_skips_a_failed_candidate_and_finds_the_next() -> None:
    assert parse_thai_date("ข้อ 5 ทดสอบ 22 กันยายน 2559") == D(2016, 9, 22)


def test_finds_every_date_with_positions() -> None:
    text = "ตั้งแต่ 1 ม.ค. 2567 ถึง 31 ธันวาคม 2567"
    found = find_thai_dates(text)
    assert [m.date for m in found] == [D(2024, 1, 1), D(2024, 12, 31)]
    assert text[found[1].start:found[1].end] == "31 ธันวาคม 2567"


def test_match_reports_how_it_was_read() -> None:
    clean = find_thai_date("23 มิถุนายน 2555")
    fuzzy = find_thai_date("๒๓ มิถนายน ๒๕๕๕")
    short = find_thai_date("2 ส.ค. 59")
    assert clean is not None and not (clean.fuzzy or clean.thai_digits or clean.short_year)
    assert fuzzy is not None and fuzzy.fuzzy and fuzzy.thai_digits
    assert short is not None and short.short_year


def test_a_month_equally_near_two_months_is_not_guessed() -> None:
    assert match_month("มีราคม") is None  # one edit from both มกราคม and มีนาคม
    assert match_month("มกคาคม") == (1, True)  # one edit from มกราคม only
    assert match_month("เขต") is None
    assert match_month("รันราคม") == (12, True)  # two edits from ธันวาคม (seven letters) only
    assert match_month("รันราคน") is None  # three
    assert match_month("มกรานน") is None  # two edits on a six-letter name: too loose


def test_format_and_be_year() -> None:
    day = D(2016, 8, 2)
    assert be_year(day) == 2559
    assert format_thai_date(day) == "2 สิงหาคม 2559"
    assert format_thai_date(day, thai_digits=True) == "๒ สิงหาคม ๒๕๕๙"
    assert format_thai_date(day, abbreviated=True) == "2 ส.ค. 2559"


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2150, 12, 31))


@given(dates, st.booleans(), st.booleans())
def test_format_then_parse_round_trips(day: dt.date, thai: bool, abbreviated: bool) -> None:
    assert parse_thai_date(format_thai_date(day, thai, abbreviated)) == day


@given(
    dates,
    st.sampled_from(["ลงวันที่ ", "วันที่", "(", "เรื่อง ประชุม "]),
    st.sampled_from(["", " ครับ", ",", "."]),
)
def test_parse_finds_a_date_inside_text(day: dt.date, before: str, after: str) -> None:
    assert parse_thai_date(before + format_thai_date(day) + after) == day


@given(dates, st.integers(min_value=0, max_value=20), st.sampled_from("กขคงจชซดตทนบปพมยรลวสหอ"))
def test_one_wrong_letter_in_the_month_never_gives_a_wrong_date(
    day: dt.date, position: int, letter: str
) -> None:
    month = MONTHS_FULL[day.month - 1]
    position %= len(month)
    noisy = month[:position] + letter + month[position + 1:]
    parsed = parse_thai_date(f"{day.day} {noisy} {be_year(day)}")
    assert parsed in (day, None)


def test_month_tables_line_up() -> None:
    assert len(MONTHS_FULL) == len(MONTHS_ABBR) == 12
    for number, (full, abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR), 1):
        assert match_month(full) == (number, False)
        assert match_month(abbr) == (number, False)


def test_be_marker_with_its_pho_misread_as_ho() -> None:
    found = find_thai_date("สั่ง ณ วันที่ ๒๐ มีนาคม ห . ศ . ๒๕๕๑")
    assert found is not None and found.date == dt.date(2008, 3, 20)


def test_a_month_whose_marks_ocr_garbled_is_read_by_its_letters() -> None:
    """Tuning letter 500483: ``๑๓ จิ้นวาคม ๒๕๖๖``; ธั read as จิ้ is three edits
    from ธันวาคม but, marks left out, one letter (จนวาคม, ธนวาคม)."""
    assert match_month("จิ้นวาคม") == (12, True)
    assert match_month("ธิั้นวาคม") == (12, True)
    assert match_month("ตุ่ล้าค้ม") == (10, True)  # marks only
    assert match_month("ประมาณ") is None
    assert match_month("นาคม") is None  # too short to be one letter from a month
    found = find_thai_date("๑๓ จิ้นวาคม ๒๕๖๖")
    assert found is not None and found.date == dt.date(2023, 12, 13) and found.fuzzy
