"""Thai text primitives, OCR clean-up and file sniffing."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ocr import sniff
from ocr.clean import clean_line, clean_thai_text, is_letter_spaced
from schemas.text import fold, nfc, to_arabic_digits, to_thai_digits

thai_text = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(" \n0123456789/."), max_size=80)


def test_sara_am_is_joined():
    assert nfc("คํา") == "คำ"
    assert clean_line("สํานักงาน") == "สำนักงาน"


def test_letter_spaced_lines_are_joined_but_word_gaps_stay():
    assert is_letter_spaced("ก า ร ป ร ะ ชุ ม")
    assert clean_line("ก า ร ป ร ะ ชุ ม  ผู้ บ ริ ห า ร") == "การประชุม ผู้บริหาร"
    assert clean_line("การประชุม ผู้บริหาร") == "การประชุม ผู้บริหาร"


def test_pages_stay_separated_by_form_feeds():
    assert clean_thai_text("หน้า ๑\n\n\n\nจบ\fหน้า ๒").split("\f") == ["หน้า ๑\n\nจบ", "หน้า ๒"]


@given(thai_text)
def test_clean_is_nfc_and_idempotent(text):
    once = clean_thai_text(text)
    assert unicodedata.is_normalized("NFC", once)
    assert "\u0e4d\u0e32" not in once
    assert clean_thai_text(once) == once


@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙ศธ/ ", max_size=30))
def test_digit_forms_fold_to_the_same_value(text):
    assert fold(to_thai_digits(text)) == fold(to_arabic_digits(text)) == fold(text)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_sniff_reads_content_not_names(tmp_path: Path):
    assert sniff.sniff(_write(tmp_path, "x.pdf", b"")) == sniff.EMPTY
    assert sniff.sniff(_write(tmp_path, "x.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64)) == sniff.EXECUTABLE
    assert sniff.sniff(_write(tmp_path, "x.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)) == sniff.PNG
    assert sniff.sniff(_write(tmp_path, "x.txt", b"%PDF-1.7\n")) == sniff.PDF
    assert sniff.sniff(_write(tmp_path, "x.bin", "เรื่อง ทดสอบ".encode())) == sniff.TEXT
    assert sniff.sniff(_write(tmp_path, "x.txt", b"<!DOCTYPE html><p>x")) == sniff.HTML
    assert sniff.sniff(_write(tmp_path, "x.txt", bytes(range(256)))) == sniff.UNKNOWN
    assert sniff.expected_mime("Letter.PDF") == sniff.PDF
