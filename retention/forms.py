"""The printed forms of the review and the transfer, built once, printed as PDF and XLSX.

- บัญชีหนังสือขอทำลาย (ข้อ 66): agency and year in the header, sheet numbers,
  columns ลำดับที่ · ที่ · ลงวันที่ · เรื่อง · รหัสแฟ้ม/เลขทะเบียน · การพิจารณา ·
  หมายเหตุ (the column set is configurable per review);
- the committee's report to the head and the destruction report it signs;
- บัญชีส่งมอบหนังสือครบ ๒๐ ปี and บัญชีหนังสือครบ ๒๐ ปีที่ขอเก็บเอง.

Rows above the reader's clearance are never on a form made for them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from sqlalchemy.orm import Session

from retention.destruction import batch_name
from retention.printing import Column, ThaiPdf, thai_date
from retention.review import committee_of, rows_of
from retention.schedule import classes
from retention.transfer import rows_for
from schemas.clock import today
from schemas.enums import Decision, Secrecy, TransferList
from schemas.tables import Record, RecordRetention, RetentionReview, ReviewRow
from schemas.text import nfc, to_thai_digits

COLUMNS: dict[str, Column] = {
    "seq": Column("ลำดับที่", 16, "C"),
    "number": Column("ที่", 34),
    "date": Column("ลงวันที่", 31, "C"),
    "subject": Column("เรื่อง", 84),
    "file_code": Column("รหัสแฟ้ม/ เลขทะเบียน", 27, "C"),
    "decision": Column("การพิจารณา", 38),
    "note": Column("หมายเหตุ", 38),
    "keep_until": Column("เก็บถึง พ.ศ.", 20, "C"),
    "retention_class": Column("ประเภทการเก็บรักษา", 40),
    "sender": Column("จาก", 45),
}
REQUIRED_COLUMNS = ("seq", "number", "subject")


@dataclass
class Form:
    """A printed table with its heading lines, paragraphs and signature blocks."""

    title: str
    lines: list[str]
    columns: list[str]
    rows: list[dict[str, str]]
    footer: str = ""
    paragraphs: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # (name, role, position)


def choose_columns(wanted: Sequence[str] | None) -> list[str]:
    """A valid column set: known keys in the given order, with the required ones kept."""
    keys = [key for key in (wanted or []) if key in COLUMNS]
    for key in REQUIRED_COLUMNS:
        if key not in keys:
            keys.insert(REQUIRED_COLUMNS.index(key), key)
    return list(dict.fromkeys(keys))


def _decision_text(row: ReviewRow) -> str:
    if row.decision == Decision.destroy.value:
        return "ทำลาย"
    if row.decision == Decision.keep.value:
        return f"เก็บถึง พ.ศ. {row.keep_until_year}" + (f" ({row.reason})" if row.reason else "")
    return ""


def _note_text(row: ReviewRow) -> str:
    parts = []
    if row.archives_keep_until:
        parts.append(f"กรมศิลปากรให้เก็บถึง พ.ศ. {row.archives_keep_until}"
                     + (f" ({row.archives_reason})" if row.archives_reason else ""))
    if row.note:
        parts.append(row.note)
    return " ".join(parts)


def _record_cells(record: Record, seq: int, class_name: str = "") -> dict[str, str]:
    return {"seq": str(seq), "number": record.number or "-",
            "date": thai_date(record.date, False), "subject": record.subject or "-",
            "file_code": str(record.id), "retention_class": class_name,
            "sender": record.from_org or ""}


def destruction_list(session: Session, review: RetentionReview, clearance: Secrecy,
                     agency: str) -> Form:
    """บัญชีหนังสือขอทำลาย of a review, as the reader may see it (numbered 1…n for them)."""
    schedule = classes(session)
    rows = []
    for seq, (row, record) in enumerate(rows_of(session, review, clearance), start=1):
        clock = session.get(RecordRetention, record.id)
        name = schedule[clock.class_code].name if clock and clock.class_code in schedule else ""
        cells = _record_cells(record, seq, name)
        cells.update(decision=_decision_text(row), note=_note_text(row),
                     keep_until=str(row.keep_until or ""))
        rows.append(cells)
    year = review.year
    return Form(title=f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {year}",
                lines=[f"ส่วนราชการ {review.agency or agency}",
                       f"วันที่จัดทำ {thai_date(review.surveyed_on, False, abbreviated=False)}"],
                columns=choose_columns(review.columns), rows=rows,
                footer=f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {year}")


def _signatures(session: Session, review: RetentionReview) -> list[tuple[str, str, str]]:
    return [(m.name, "ประธานกรรมการ" if m.role == "chair" else "กรรมการ", m.position)
            for m in committee_of(session, review)]


def committee_report(session: Session, review: RetentionReview, clearance: Secrecy,
                     agency: str) -> Form:
    """The committee's report to the head of office: counts, decisions, signatures."""
    form = destruction_list(session, review, clearance, agency)
    decided = [row for row, _ in rows_of(session, review, clearance)]
    destroy = sum(1 for r in decided if r.decision == Decision.destroy.value)
    keep = sum(1 for r in decided if r.decision == Decision.keep.value)
    form.title = f"รายงานผลการพิจารณาของคณะกรรมการทำลายหนังสือ ประจำปี พ.ศ. {review.year}"
    form.lines = [f"ส่วนราชการ {review.agency or agency}",
                  f"วันที่ {thai_date(review.reported_on or today(), False, abbreviated=False)}",
                  "เรียน หัวหน้าส่วนราชการ"]
    form.paragraphs = [
        f"ตามที่ได้แต่งตั้งคณะกรรมการทำลายหนังสือ ประจำปี พ.ศ. {review.year} นั้น "
        f"คณะกรรมการได้พิจารณาบัญชีหนังสือขอทำลาย จำนวน {len(decided)} รายการ แล้ว "
        f"เห็นควรทำลาย {destroy} รายการ และเห็นควรเก็บไว้ต่อ {keep} รายการ "
        "รายละเอียดตามบัญชีท้ายรายงานนี้ จึงเรียนมาเพื่อโปรดพิจารณา"]
    form.columns = [c for c in choose_columns(review.columns) if c != "note"] + ["note"]
    form.signatures = _signatures(session, review)
    form.footer = f"รายงานคณะกรรมการทำลายหนังสือ ประจำปี พ.ศ. {review.year}"
    return form


def destruction_report(session: Session, review: RetentionReview, clearance: Secrecy,
                       agency: str) -> Form:
    """The destruction report the committee signs: what was destroyed, when, by what consent."""
    rows = []
    seq = 0
    for row, record in rows_of(session, review, clearance):
        if row.outcome != "destroyed":
            continue
        clock = session.get(RecordRetention, record.id)
        seq += 1
        cells = _record_cells(record, seq)
        on = clock.destroyed_on if clock else None
        cells["note"] = ("ทำลายแล้ว" if on == review.destroyed_on
                         else f"ทำลายเมื่อ {thai_date(on, False)}")
        rows.append(cells)
    skipped = [(row, record) for row, record in rows_of(session, review, clearance)
               if row.outcome == "skipped"]
    consent = ("ได้รับความเห็นชอบจากกรมศิลปากร" if review.consent == "answered"
               else "กรมศิลปากรมิได้แจ้งภายใน 60 วัน จึงถือว่าเห็นชอบ")
    paragraph = (
        f"คณะกรรมการได้ควบคุมการทำลายหนังสือตามบัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {review.year} "
        f"ซึ่ง{consent} เมื่อวันที่ {thai_date(review.consent_on, False, abbreviated=False)} "
        "โดยลบแฟ้มต้นฉบับ แฟ้มเก็บรักษา ข้อความ ภาพหน้ากระดาษ และดัชนีค้นหา "
        "ออกจากระบบจนไม่สามารถอ่านได้อีก และได้ตรวจสอบแล้วไม่พบข้อมูลหลงเหลือ "
        f"จำนวน {len(rows)} รายการ ตามบัญชีท้ายนี้")
    form = Form(title=f"รายงานผลการทำลายหนังสือ ประจำปี พ.ศ. {review.year}",
                lines=[f"ส่วนราชการ {review.agency or agency}",
                       f"วันที่ทำลาย {thai_date(review.destroyed_on or today(), False, False)}"
                       f"  ชุดการทำลาย {batch_name(review.year)}",
                       "เรียน หัวหน้าส่วนราชการ"],
                columns=["seq", "number", "date", "subject", "file_code", "note"], rows=rows,
                footer=f"รายงานผลการทำลายหนังสือ ประจำปี พ.ศ. {review.year}",
                paragraphs=[paragraph], signatures=_signatures(session, review))
    if skipped:
        form.paragraphs.append(f"ไม่ได้ทำลาย {len(skipped)} รายการ เนื่องจาก "
                               + ", ".join(sorted({row.note for row, _ in skipped})))
    return form


def transfer_form(session: Session, year: int, which: TransferList, clearance: Secrecy,
                  agency: str) -> Form:
    """บัญชีส่งมอบหนังสือครบ ๒๐ ปี or บัญชีหนังสือครบ ๒๐ ปีที่ขอเก็บเอง for `year`."""
    rows = []
    for seq, (row, record) in enumerate(rows_for(session, year, which, clearance), start=1):
        cells = _record_cells(record, seq)
        note = row.reason
        if row.transferred_on:
            note = f"ส่งมอบแล้วเมื่อ {thai_date(row.transferred_on, False)} {note}".strip()
        cells["note"] = note
        rows.append(cells)
    title = ("บัญชีส่งมอบหนังสือครบ ๒๐ ปี" if which == TransferList.handover
             else "บัญชีหนังสือครบ ๒๐ ปีที่ขอเก็บเอง")
    return Form(title=f"{title} ประจำปี พ.ศ. {year}",
                lines=[f"ส่วนราชการ {agency}", "ถึง หอจดหมายเหตุแห่งชาติ กรมศิลปากร"
                       if which == TransferList.handover else "เก็บรักษาไว้ที่ส่วนราชการ",
                       f"วันที่ {thai_date(today(), False, abbreviated=False)}"],
                columns=["seq", "number", "date", "subject", "file_code", "note"], rows=rows,
                footer=f"{title} ประจำปี พ.ศ. {year}")


def _digits(text: str, thai_digits: bool) -> str:
    return to_thai_digits(nfc(text)) if thai_digits else nfc(text)


def form_pdf(form: Form, thai_digits: bool) -> bytes:
    """The form as an A4 landscape PDF in Thai (Laksaman, HarfBuzz-shaped)."""
    pdf = ThaiPdf("L", thai_digits=thai_digits, footer_text=_digits(form.footer, thai_digits),
                  font_size=13)
    pdf.set_title(form.title)
    pdf.add_page()
    pdf.heading(_digits(form.title, thai_digits), size=17)
    for line in form.lines:
        pdf.line_of_text(_digits(line, thai_digits), height=7)
    for paragraph in form.paragraphs:
        pdf.line_of_text("        " + _digits(paragraph, thai_digits), height=7)
    pdf.ln(2)
    columns = [COLUMNS[key] for key in form.columns]
    rows = [[_digits(row.get(key, ""), thai_digits) for key in form.columns] for row in form.rows]
    if not rows:
        rows = [["" for _ in columns]]
        rows[0][min(1, len(columns) - 1)] = "– ไม่มีรายการ –"
    pdf.print_table(columns, rows, line_height=7)
    if form.signatures:
        _sign(pdf, form.signatures, thai_digits)
    return pdf.output_bytes()


def _sign(pdf: ThaiPdf, signatures: list[tuple[str, str, str]], thai_digits: bool) -> None:
    """Signature blocks, two to a line: (ลงชื่อ) ......, (name), role."""
    pdf.ln(6)
    width = pdf.epw / 2
    for start in range(0, len(signatures), 2):
        pair = signatures[start:start + 2]
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        top = pdf.get_y()
        for i, (name, role, position) in enumerate(pair):
            pdf.set_xy(pdf.l_margin + i * width, top)
            lines = ["(ลงชื่อ) ........................................", f"({name})",
                     role + (f" · {position}" if position else "")]
            for line in lines:
                pdf.set_x(pdf.l_margin + i * width)
                pdf.cell(width, 7, _digits(line, thai_digits), align="C",
                         new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(top + 26)


def forms_xlsx(forms: list[Form], thai_digits: bool) -> bytes:
    """The forms as one workbook, a sheet each: title rows, then the table."""
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, form in enumerate(forms, start=1):
        sheet = book.create_sheet(title=re.sub(r"[:\\/?*\[\]]", "", form.title)[:31] or str(index))
        sheet.cell(row=1, column=1, value=_digits(form.title, thai_digits)).font = Font(
            bold=True, size=14)
        line_no = 2
        for line in form.lines + form.paragraphs:
            sheet.cell(row=line_no, column=1, value=_digits(line, thai_digits))
            line_no += 1
        header = line_no + 1
        for col, key in enumerate(form.columns, start=1):
            cell = sheet.cell(row=header, column=col, value=COLUMNS[key].title)
            cell.font, cell.border = Font(bold=True), border
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            sheet.column_dimensions[cell.column_letter].width = COLUMNS[key].width * 0.9
        for offset, row in enumerate(form.rows, start=1):
            for col, key in enumerate(form.columns, start=1):
                cell = sheet.cell(row=header + offset, column=col,
                                  value=_digits(row.get(key, ""), thai_digits))
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.print_title_rows = f"{header}:{header}"  # the heading row repeats on every sheet
        for row_no, (name, role, _position) in enumerate(form.signatures,
                                                          start=header + len(form.rows) + 2):
            sheet.cell(row=row_no, column=2, value=f"(ลงชื่อ) ................ ({name}) {role}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
