"""OCR-tolerant letter-number keys: what plain Tesseract does to numbers, and the search that survives it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import add_record
from index.analysis import loose_numbers, number_keys
from index.backend import SearchRequest
from index.service import search
from schemas.enums import Secrecy
from schemas.text import to_thai_digits


def test_keys_come_finest_first():
    assert number_keys("04098", "793") == ("d:4098/793", "f:5055/353", "5055/555")


@pytest.mark.parametrize(("read", "printed"), [
    ("ที่ ๕๕/๒๕๒๐๕", "44/2564"),  # ๔ → ๕, ๖ → ๒๐
    ("ที่ ๓ฒ๕/๒๕๕๒", "379/2556"),  # ๗ → ฒ, ๙ → ๕, ๖ → ๒
    ("ที่ AS ๐๕๐ส๕/๓๕๓", "04098/793"),  # ๙ → ส, ๘ → ๕, ๗ → ๓
    ("ที่ AS ๐๒๕ฒ/๑ส๑๐", "0247/1910"),  # a letter for a digit just before the slash
])
def test_a_misread_thai_number_shares_a_folded_key_with_the_printed_one(read, printed):
    unit, running = printed.split("/")
    assert number_keys(unit, running)[2] in loose_numbers(read)


@pytest.mark.parametrize(("read", "printed"), [
    ("ที่ ศธ 0218/2 3112", "0218/3112"),  # ว read as 2 and a space
    ("ที่ ศธ 04280/ว 1558", "04280/1558"),  # a space after ว
    ("ที่ ศธ 04155. 073/611", "04155.073/611"),  # a space after the sub-unit's dot
    ("ย 0371/2556", "371/2556"),  # ที่ read as a 0 glued to the number
])
def test_an_arabic_number_keeps_its_exact_key_through_ocr_spacing(read, printed):
    unit, running = printed.split("/")
    assert loose_numbers(read) == [number_keys(unit, running)[0]]


def test_arabic_numbers_get_no_folded_keys():
    """Arabic digits come back right: 243/2557 must not pass for 248/2559."""
    assert loose_numbers("ที่ 243/2557") == ["d:243/2557"]


@given(st.integers(1, 99_999), st.integers(1, 9_999))
def test_a_number_read_right_has_the_same_keys_in_either_digits(unit, running):
    arabic = f"ที่ ศธ {unit:05d}/{running}"
    assert number_keys(f"{unit:05d}", str(running))[0] in loose_numbers(arabic)
    assert set(number_keys(f"{unit:05d}", str(running))) <= set(
        loose_numbers(to_thai_digits(arabic)))


def test_a_misread_thai_number_ranks_above_a_clean_number_sharing_its_coarse_key(archive):
    """248/2559 printed in Thai and read ๒๕๕/๒๕๕๓๕ must beat 243/2557 read right."""
    misread = add_record(archive, subject="แต่งตั้งคณะกรรมการ", text="คำสั่ง\nที่ ๒๕๕/๒๕๕๓๕")
    add_record(archive, subject="แต่งตั้งคณะทำงาน", number="243/2557",
               text="คำสั่ง\nที่ 243/2557")
    response = search(archive.db, archive.backend,
                      SearchRequest(query="248/2559", clearance=Secrecy.top_secret))
    assert response.hits and response.hits[0].record_id == misread
