"""Every input type through the intake pipeline: office files, born-digital PDFs, broken layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fpdf import FPDF

from cli.samples import make_letter, render_pages
from ingest.pipeline import TextPipeline
from ingest.runner import Runner
from ingest.intake import add_file
from ocr.pdf_text import page_problem
from schemas.enums import JobStatus, RecordStatus
from schemas.tables import IngestJob, Record
from store import jobs

FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"
LETTER = ["ที่ ศธ 04049/508", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาน่าน เขต 2",
          "2 สิงหาคม 2559", "เรื่อง ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู",
          "เรียน ผู้อำนวยการโรงเรียนบ้านนาคำ", "ด้วยสำนักงานเขตพื้นที่การศึกษาจะจัดประชุมครู",
          "จึงเรียนมาเพื่อโปรดพิจารณา", "ขอแสดงความนับถือ"]


@pytest.fixture
def pipeline(settings) -> TextPipeline:
    return TextPipeline(settings)


def _check_letter(found) -> None:
    assert found.metadata.subject == "ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู"
    assert found.metadata.number == "ศธ 04049/508"
    assert found.metadata.date == dt.date(2016, 8, 2)


def test_docx_goes_through_haystack_converter(pipeline, tmp_path: Path):
    from docx import Document

    doc = Document()
    for line in LETTER:
        doc.add_paragraph(line)
    doc.save(tmp_path / "letter.docx")
    found = pipeline.run(tmp_path / "letter.docx", tmp_path / "work")
    assert found.method == "office" and found.archival_pdf is None
    _check_letter(found)


def test_xlsx_and_html_and_txt(pipeline, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    for row in LETTER:
        book.active.append([row])
    book.save(tmp_path / "letter.xlsx")
    (tmp_path / "letter.html").write_text(
        "<!DOCTYPE html><html><body>" + "".join(f"<p>{line}</p>" for line in LETTER)
        + "</body></html>", encoding="utf-8")
    (tmp_path / "letter.txt").write_text("\n".join(LETTER), encoding="utf-8")
    for name in ("letter.xlsx", "letter.html", "letter.txt"):
        found = pipeline.run(tmp_path / name, tmp_path / f"work-{name}")
        assert "ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู" in found.text, name
        assert found.metadata.subject == "ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู", name


def _born_digital(path: Path, lines: list[str]) -> Path:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("Laksaman", fname=FONT)
    pdf.set_font("Laksaman", size=16)  # unshaped: every glyph keeps its own Unicode
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_born_digital_pdf_uses_its_text_layer(pipeline, tmp_path: Path):
    found = pipeline.run(_born_digital(tmp_path / "digital.pdf", LETTER), tmp_path / "work")
    assert found.method == "pdf-text"
    assert "ขอความอนุเคราะห์" in found.text
    assert found.metadata.subject == "ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู"


@pytest.mark.parametrize(("text", "curves", "problem"), [
    ("", 0, "no text layer"),
    ("", 500, "outlines instead of text"),
    ("\ue001\ue002\ue003 " * 30, 0, "mojibake (characters with no Unicode map)"),
    ("ÃÂàáâãäåèéêë " * 30, 0, "mojibake (Thai shown as Latin-1)"),
    ("สำ(cid:14)นักงานเขตพื้นที่การศึกษา นาคำ(cid:14) " * 5, 0,
     "mojibake (characters with no Unicode map)"),
    ("สานักงานเขตพื้นที่การศึกษาประถมศึกษา " * 10, 0, "sara am (ำ) missing from Thai text"),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา " * 10, 0, ""),
])
def test_broken_text_layers_are_recognised(text, curves, problem):
    assert page_problem(text, curves) == problem


@pytest.mark.slow
def test_pdf_with_a_mojibake_layer_is_ocred(pipeline, tmp_path: Path):
    truth = make_letter(21, kind="external", thai_digits=False)
    scan = tmp_path / "page.png"
    render_pages(truth)[0].save(scan, dpi=(200, 200))
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(str(scan), x=0, y=0, w=210, h=297)
    pdf.set_font("helvetica", size=8)
    pdf.set_text_color(255, 255, 255)
    for _ in range(20):
        pdf.cell(0, 5, "ÃÂàáâãäåèéêëìíîïðñòóôõö ÃÂàáâãäåèéêë", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "mojibake.pdf"))
    found = pipeline.run(tmp_path / "mojibake.pdf", tmp_path / "work")
    assert found.method == "ocr"
    assert "เรื่อง" in found.text and "Ã" not in found.text
    assert found.archival_pdf is not None and found.archival_pdf.exists()


@pytest.mark.slow
def test_gif_scan_is_ocred(pipeline, tmp_path: Path):
    truth = make_letter(22, kind="memo", thai_digits=False)
    render_pages(truth)[0].convert("P").save(tmp_path / "memo.gif")
    found = pipeline.run(tmp_path / "memo.gif", tmp_path / "work")
    assert found.method == "ocr" and "บันทึกข้อความ" in found.text
    assert found.metadata.kind is not None and found.metadata.kind.value == "memo"


def test_queued_jobs_survive_a_restart(archive, tmp_path: Path):
    source = tmp_path / "letter.txt"
    source.write_text("\n".join(LETTER), encoding="utf-8")
    outcome = add_file(archive, source, actor="test", batch="b1")  # stored, not yet read
    archive.close()
    reopened = type(archive).open(archive.settings)  # as after a crash and restart
    done = Runner(reopened, workers=1).run()
    assert [o.record_id for o in done] == [outcome.record_id]
    with reopened.db.session() as session:
        assert session.get(Record, outcome.record_id).status == RecordStatus.ok
        assert jobs.counts(session)[JobStatus.done.value] == 1


def test_a_job_left_running_by_a_dead_worker_is_run_again(archive, tmp_path: Path):
    source = tmp_path / "letter.txt"
    source.write_text("\n".join(LETTER), encoding="utf-8")
    outcome = add_file(archive, source, actor="test", batch="b2")
    with archive.db.session() as session:
        job = jobs.claim_next(session, dt.timedelta(seconds=-1))  # claimed, then the worker died
        assert job is not None
    done = Runner(archive, workers=1).run()
    assert [o.status for o in done] == ["ok"]
    with archive.db.session() as session:
        row = session.get(IngestJob, outcome.job_id)
        assert row.status == JobStatus.done and row.attempts == 2
