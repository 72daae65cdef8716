"""Fast tests of the synthetic letter generator (no OCR)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import numpy as np
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from cli import samples
from cli.samples import (TRUTH_KEYS, make_corpus, make_letter, page_texts, render_pages,
                         search_word, write_bad_files, write_letter)
from cli.samples_render import layout
from schemas.enums import Kind, Secrecy, Urgency
from schemas.letter import METADATA_FIELDS, LetterMetadata
from schemas.text import THAI_DIGITS, nfc, to_arabic_digits

NUMBER_RE = {
    "external": re.compile(r"ศธ 0\d{3,4}(\.\d{3})?/ว?\d+"),
    "memo": re.compile(r"ศธ 0\d{3,4}(\.\d{3})?/ว?\d+"),
    "order": re.compile(r"\d+/25\d\d"),
}


def _squash(text: str) -> str:
    """NFC, Arabic digits, no whitespace: how the README compares text."""
    return re.sub(r"\s+", "", to_arabic_digits(nfc(text)))


def _check_truth(t: dict) -> None:
    assert tuple(k for k in t if k != "receipt_stamp_number") == TRUTH_KEYS
    assert Kind(t["kind"]) in (Kind.external, Kind.memo, Kind.order)
    Secrecy(t["secrecy"]), Urgency(t["urgency"])
    assert NUMBER_RE[t["kind"]].fullmatch(t["number"]), t["number"]
    assert t["circular"] == ("/ว" in t["number"])
    date = dt.date.fromisoformat(t["date"])
    assert 2005 <= date.year <= 2026
    if t["kind"] == "order":
        assert t["number"].endswith(f"/{date.year + 543}") and t["to"] is None
    for ref in t["references"]:
        assert NUMBER_RE["external"].fullmatch(ref["number"])
        assert dt.date.fromisoformat(ref["date"]) < date
    for field in ("text", "subject", "from_org", "signer"):
        assert unicodedata.is_normalized("NFC", t[field])
    flat = _squash(t["text"])
    for field in ("subject", "signer", "number"):
        assert _squash(t[field]) in flat, field
    assert all(_squash(e) in flat for e in t["enclosures"])
    assert t["pages"] == len(page_texts(t))
    LetterMetadata(**{k: t[k] for k in METADATA_FIELDS}, signer=t["signer"])
    json.dumps(t, ensure_ascii=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**7), long=st.booleans())
def test_truth_is_valid_and_deterministic(seed: int, long: bool) -> None:
    t = make_letter(seed, long=long)
    assert t == make_letter(seed, long=long)
    _check_truth(t)
    assert t["pages"] >= 2 if long else t["pages"] == 1


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**7))
def test_layout_recovers_the_composed_roles(seed: int) -> None:
    for long in (False, True):
        truth, lines = samples._compose(
            seed, kind=None, thai_digits=None, secrecy=None, urgency=None, circular=None,
            references=None, enclosures=None, long=long, receipt_stamp=False, dpi=200,
            letter_id=None)
        assert [ln for page in layout(truth) for ln, _ in page] == lines


def test_overrides_are_respected() -> None:
    t = make_letter(7, kind=Kind.memo, secrecy="top_secret", urgency=Urgency.urgent,
                    thai_digits=True, references=2, enclosures=3, receipt_stamp=True)
    assert (t["kind"], t["secrecy"], t["urgency"]) == ("memo", "top_secret", "urgent")
    assert len(t["references"]) == 2 and len(t["enclosures"]) == 3
    assert isinstance(t["receipt_stamp_number"], int)
    assert make_letter(7, kind="order", circular=True)["circular"] is False
    assert make_letter(7, kind="external", circular=True)["number"].split("/")[1].startswith("ว")
    with pytest.raises(ValueError):
        make_letter(7, kind="announcement")


def test_thai_digit_letters_print_thai_and_store_arabic() -> None:
    for seed in range(6):
        thai = make_letter(seed, thai_digits=True)
        assert not re.search(r"[0-9]", thai["text"]), thai["text"]
        assert any(d in thai["text"] for d in THAI_DIGITS)
        assert not any(d in thai["number"] + thai["date"] for d in THAI_DIGITS)
        arabic = make_letter(seed, thai_digits=False)
        assert not any(d in arabic["text"] for d in THAI_DIGITS)


def test_text_follows_the_layout_of_each_kind() -> None:
    ext = make_letter(1, kind="external", thai_digits=False)
    lines = ext["text"].split("\n")
    assert lines[0].startswith("ที่ ศธ ") and "ขอแสดงความนับถือ" in lines
    assert any(ln.startswith("เรียน ") for ln in lines) and lines[-1].startswith("โทร.")
    memo = make_letter(2, kind="memo")
    mlines = memo["text"].split("\n")
    assert mlines[0] == "บันทึกข้อความ" and mlines[1].startswith("ส่วนราชการ ")
    assert any(ln.startswith("ที่ ") and " วันที่ " in ln for ln in mlines)
    order = make_letter(3, kind="order", thai_digits=False)
    olines = order["text"].split("\n")
    assert olines[0].startswith("คำสั่ง")
    assert f"ที่ {order['number']}" in olines
    assert any(ln.startswith("สั่ง ณ วันที่ ") and "พ.ศ. " in ln for ln in olines)
    for t in (ext, memo, order):  # stamps are drawn, not part of the text
        assert f"({t['signer']})" in t["text"].split("\n")


def test_search_word_finds_only_letters_with_that_subject() -> None:
    words = [w for _, w in samples.V.SUBJECTS + samples.V.ORDER_SUBJECTS]
    assert len(samples.V.SUBJECTS) >= 40 and len(set(words)) == len(words)
    letters = [make_letter(s, long=s % 5 == 0) for s in range(80)]
    for t in letters:
        word = search_word(t)
        assert word in t["subject"]
        hits = {search_word(u) for u in letters if word in u["text"]}
        assert hits == {word}, hits


def _ink(img: Image.Image) -> float:
    return float((np.asarray(img.convert("L")) < 128).mean())


def test_render_a4_with_ink_and_stamps() -> None:
    t = make_letter(11, kind="external", secrecy="secret", urgency="most_urgent",
                    receipt_stamp=True, long=True)
    pages = render_pages(t, dpi=72)
    assert len(pages) == 2 == t["pages"]
    for img in pages:
        assert img.mode == "RGB" and img.info["dpi"] == (72, 72)
        assert abs(img.height / img.width - 297 / 210) < 0.01
        assert 0.005 < _ink(img) < 0.3
    arr = np.asarray(pages[0]).astype(int)
    red = (arr[..., 0] > 150) & (arr[..., 1] < 90) & (arr[..., 2] < 90)
    blue = (arr[..., 2] > 120) & (arr[..., 0] < 100)
    assert red[: arr.shape[0] // 8].any() and red[-arr.shape[0] // 8:].any()
    assert blue[: arr.shape[0] // 6, arr.shape[1] // 2:].any()  # receipt stamp, top right
    grey = render_pages(t, dpi=72, colour=False, font="Garuda")
    assert grey[0].mode == "L" and _ink(grey[0]) > 0.005


def test_render_is_deterministic_including_degradations() -> None:
    t = make_letter(12)
    opts = dict(dpi=100, noise=0.05, skew_deg=0.8, blur=0.6, jpeg_quality=60)
    a, b = render_pages(t, **opts), render_pages(t, **opts)
    assert [p.tobytes() for p in a] == [p.tobytes() for p in b]
    assert render_pages(t, dpi=100)[0].tobytes() != a[0].tobytes()


def test_write_pdf_is_image_only_with_sidecar(tmp_path) -> None:
    t = make_letter(13, long=True, dpi=100)
    path = write_letter(t, render_pages(t), tmp_path)
    assert path.name == f"{t['id']}.pdf" and path.read_bytes().startswith(b"%PDF")
    doc = pdfium.PdfDocument(str(path))
    assert len(doc) == 2
    for page in doc:
        w, h = page.get_size()
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2
        assert page.get_textpage().get_text_range().strip() == ""
        kinds = {obj.type for obj in page.get_objects()}
        assert kinds == {pdfium.raw.FPDF_PAGEOBJ_IMAGE}
    doc.close()
    assert json.loads((tmp_path / f"{t['id']}.json").read_text(encoding="utf-8")) == t


@pytest.mark.parametrize("fmt", ["png", "jpg", "gif", "tiff"])
def test_write_image_formats(tmp_path, fmt: str) -> None:
    t = make_letter(14, long=True, dpi=72)
    path = write_letter(t, render_pages(t), tmp_path, fmt)
    side = json.loads((tmp_path / f"{t['id']}.json").read_text(encoding="utf-8"))
    with Image.open(path) as img:
        frames = getattr(img, "n_frames", 1)
        assert abs(img.height / img.width - 297 / 210) < 0.01
    if fmt == "tiff":
        assert frames == 2 and side == t
    else:
        assert side["pages"] == 1 and side["text"] == page_texts(t)[0]
        assert "- 2 -" not in side["text"]


def test_make_corpus_varies_letters(tmp_path) -> None:
    paths = make_corpus(tmp_path, 6, seed=100, dpi=60, noise=0.02)
    assert len(paths) == 6 and all(p.suffix == ".pdf" and p.exists() for p in paths)
    truths = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in paths]
    assert {t["kind"] for t in truths} == {"external", "memo", "order"}
    assert {t["thai_digits"] for t in truths} == {True, False}
    assert len({t["id"] for t in truths}) == 6 and {t["dpi"] for t in truths} == {60}


def test_bad_files(tmp_path) -> None:
    files = write_bad_files(tmp_path)
    assert set(files) == {"corrupt_pdf", "truncated_pdf", "empty_pdf", "elf_as_pdf",
                          "png_as_pdf", "encrypted_pdf", "hostile_name_pdf", "hostile_text"}
    assert all(p.exists() and p.parent == tmp_path for p in files.values())
    assert files["empty_pdf"].stat().st_size == 0
    assert files["corrupt_pdf"].read_bytes().startswith(b"%PDF-")
    assert b"%%EOF" not in files["truncated_pdf"].read_bytes()[-64:]
    assert files["elf_as_pdf"].read_bytes()[:4] == b"\x7fELF"
    for name in ("corrupt_pdf", "empty_pdf", "elf_as_pdf", "png_as_pdf"):
        with pytest.raises(pdfium.PdfiumError):
            pdfium.PdfDocument(str(files[name]))
    with Image.open(files["png_as_pdf"]) as img:
        assert img.format == "PNG"
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(files["encrypted_pdf"]))
    doc = pdfium.PdfDocument(str(files["encrypted_pdf"]), password="u")
    assert "04049/508" in doc[0].get_textpage().get_text_range()
    doc.close()
    hostile = files["hostile_name_pdf"]
    assert any(c in hostile.name for c in ";$<> ") and "/" not in hostile.name
    assert len(pdfium.PdfDocument(str(hostile))) == 1
    text = files["hostile_text"].read_text(encoding="utf-8")
    assert "<script>" in text and "DROP TABLE" in text
    assert max(len(line) for line in text.splitlines()) > 100_000
