"""The printed forms (rendered with pdftoppm, text read back), XLSX cells, the CLI contract."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import openpyxl
import pdfplumber
import pytest
from PIL import Image
from retention_support import generate, skeleton
from typer.testing import CliRunner

from ingest.archive import Archive
from retention import forms, review, survey
from schemas.clock import frozen_today, set_today
from schemas.enums import Secrecy, TransferList
from schemas.settings import Settings

SHOTS = Path("/tmp/saraban-shots")


@pytest.fixture
def opened(tmp_path: Path):
    """A generated archive with the 2567 review drawn up."""
    archive = Archive.open(Settings(home=tmp_path / "home"))
    generate(archive, per_year=5)
    with frozen_today(dt.date(2025, 1, 2)), archive.db.session() as session:
        survey.open_review(session, 2567, actor="officer", agency="สพป.ลำปาง เขต ๑")
    yield archive
    archive.close()


def render(pdf: bytes, tmp_path: Path, name: str) -> Image.Image:
    """Page 1 through pdftoppm (poppler), kept under /tmp/saraban-shots for people to look at."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(tmp_path / name)], check=True, timeout=60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / f"{name}.png", SHOTS / f"retention-{name}.png")
    return Image.open(tmp_path / f"{name}.png")


def pdf_text(pdf: bytes) -> tuple[str, int]:
    """All text and the page count."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(p.extract_text() or "" for p in document.pages), len(document.pages)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_destruction_list_pdf_in_the_official_layout(opened: Archive, tmp_path: Path):
    with opened.db.session() as session:
        current = review.get_review(session, 2567)
        form = forms.destruction_list(session, current, Secrecy.top_secret, "สพป.")
        rows = len(review.rows_of(session, current))
    arabic = forms.form_pdf(form, thai_digits=False)
    text, pages = pdf_text(arabic)
    # headings that wrap in their cell ("ลำดับ|ที่") are checked by their lines
    for heading in ("ลำดับ", "ที่", "ลงวันที่", "เรื่อง", "รหัสแฟ้ม/", "เลขทะเบียน", "การพิจารณา",
                    "หมายเหตุ", "บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. 2567", "สพป.ลำปาง",
                    "แผ่นที่ 1", f"แผ่นที่ {pages}"):
        assert skeleton(heading) in skeleton(text), heading
    assert pages >= 2 and rows == len(form.rows)
    assert text.count("ศธ 04049/") == rows  # every row, each once
    page = np.asarray(render(arabic, tmp_path, "list").convert("L"))
    assert page.shape[1] > page.shape[0]  # landscape A4
    assert 0.01 < (page < 128).mean() < 0.5  # ink: text and the table's lines

    thai = forms.form_pdf(form, thai_digits=True)
    text, _ = pdf_text(thai)
    assert "๒๕๖๗" in text and "2567" not in text and "แผ่นที่ ๑".replace(" ", "") in \
        text.replace(" ", "")
    render(thai, tmp_path, "list-thai-digits")


def test_column_set_is_configurable_and_xlsx_has_the_same_rows(opened: Archive):
    with opened.db.session() as session:
        current = review.get_review(session, 2567)
        current.columns = forms.choose_columns(["seq", "subject", "keep_until", "bogus"])
        assert current.columns == ["seq", "number", "subject", "keep_until"]  # ที่ is required
        form = forms.destruction_list(session, current, Secrecy.top_secret, "สพป.")
    book = openpyxl.load_workbook(io.BytesIO(forms.forms_xlsx([form], thai_digits=False)))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. 2567"
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "ลำดับที่")
    assert [sheet.cell(header, c).value for c in range(1, 5)] == [
        "ลำดับที่", "ที่", "เรื่อง", "เก็บถึง พ.ศ."]
    assert sheet.cell(header, 5).value is None
    first = header + 1
    assert sheet.cell(first, 1).value == "1"
    assert sheet.cell(first, 2).value == form.rows[0]["number"]
    assert sheet.max_row == header + len(form.rows)
    assert sheet.print_title_rows == f"${header}:${header}"  # repeats on every printed sheet
    text, _ = pdf_text(forms.form_pdf(form, thai_digits=False))
    assert skeleton("การพิจารณา") not in skeleton(text)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_committee_report_and_transfer_lists(opened: Archive, tmp_path: Path):
    from retention import transfer

    with frozen_today(dt.date(2025, 1, 5)), opened.db.session() as session:
        current = review.get_review(session, 2567)
        review.appoint_committee(session, current, [
            review.MemberIn("chair", "นางสาวสมศรี ใจดี", "ชำนาญการพิเศษ", "ผู้อำนวยการกลุ่ม", "c"),
            review.MemberIn("member", "นายสมชาย รักงาน", "ชำนาญการ", "", "m1"),
            review.MemberIn("member", "นางมาลี สุขใจ", "ชำนาญงาน", "", "m2")], actor="head")
        for row, _ in review.rows_of(session, current):
            review.decide(session, current, row.id, review.Decision.destroy, actor="m1",
                          clearance=Secrecy.top_secret)
        review.report(session, current, actor="c")
        report = forms.committee_report(session, current, Secrecy.top_secret, "สพป.")
        transfer.build_lists(session, 2568, actor="officer")
        handover = forms.transfer_form(session, 2568, TransferList.handover, Secrecy.top_secret,
                                       "สพป.")
        keep = forms.transfer_form(session, 2568, TransferList.keep_back, Secrecy.top_secret,
                                   "สพป.")
    text, _ = pdf_text(data := forms.form_pdf(report, thai_digits=False))
    for words in ("รายงานผลการพิจารณาของคณะกรรมการทำลายหนังสือ", "เรียน หัวหน้าส่วนราชการ",
                  f"เห็นควรทำลาย {len(report.rows)} รายการ", "(นางสาวสมศรี ใจดี)",
                  "ประธานกรรมการ", "(นางมาลี สุขใจ)"):
        assert skeleton(words) in skeleton(text), words
    render(data, tmp_path, "committee-report")
    assert len(handover.rows) == 11 and keep.rows == []
    text, _ = pdf_text(data := forms.form_pdf(handover, thai_digits=True))
    assert skeleton("บัญชีส่งมอบหนังสือครบ ๒๐ ปี") in skeleton(text)
    assert skeleton("หอจดหมายเหตุแห่งชาติ") in skeleton(text)
    render(data, tmp_path, "transfer-handover")
    book = openpyxl.load_workbook(io.BytesIO(forms.forms_xlsx([handover, keep], False)))
    assert [s.title for s in book.worksheets][0].startswith("บัญชีส่งมอบหนังสือครบ")
    assert len(book.worksheets) == 2


@pytest.fixture
def cli_today_reset() -> Iterator[None]:
    """`--today` fixes the date for the rest of the process; give it back after the test."""
    yield
    set_today(None)


def test_cli_due_contract_and_holds(tmp_path: Path, monkeypatch, cli_today_reset):
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    archive = Archive.open(Settings())
    generate(archive, per_year=4)
    archive.close()
    from cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["retention", "due", "--year", "2545", "--today", "2025-01-02",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == 2545 and data["records"]
    assert set(data["records"][0]) == {"record_id", "number", "date", "subject",
                                       "retention_class", "keep_until"}
    assert all(r["keep_until"] <= 2545 for r in data["records"])
    first = data["records"][0]["record_id"]
    assert runner.invoke(app, ["hold", "add", str(first), "--reason", "คดี"]).exit_code == 0
    again = json.loads(runner.invoke(app, ["retention", "due", "--year", "2545", "--json"]).stdout)
    assert first not in {r["record_id"] for r in again["records"]}
    refused = runner.invoke(app, ["hold", "release", str(first), "--reason", ""])
    assert refused.exit_code != 0
    assert runner.invoke(app, ["hold", "release", str(first), "--reason", "จบคดี"]).exit_code == 0
    back = json.loads(runner.invoke(app, ["retention", "due", "--year", "2545", "--json"]).stdout)
    assert first in {r["record_id"] for r in back["records"]}
