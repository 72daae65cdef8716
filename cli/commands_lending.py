"""`saraban lend|return|loans`, `saraban holding ...` and `saraban desk-print ...`.

ITEM_ID is a file code (รหัสแฟ้ม) as printed on the file's label, ``file:N``
for a file by number, or ``record:N`` for one record by its record id.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from cli.main import app, emit_json, err, handle_errors, settings
from ingest.archive import Archive
from retention.cards import borrowing_card_pdf
from retention.desk import cli_loans, dashboard
from retention.holdings import add_file, add_unit, place_record, resolve_item
from retention.labels import files_for_labels, label_sheet_pdf
from retention.loans import lend, return_item
from retention.reminders import overdue_list_pdf, reminder_letters_pdf
from schemas.clock import set_today, today
from schemas.enums import Secrecy
from schemas.tables import Unit

holding_app = typer.Typer(help="ที่เก็บต้นฉบับกระดาษ: หน่วยงาน แฟ้ม (paper holdings)",
                          no_args_is_help=True)
app.add_typer(holding_app, name="holding")
ITEM_HELP = "รหัสแฟ้ม, file:N หรือ record:N (file code, file id or record id)"
DESK_HELP = "เจ้าหน้าที่ที่ส่งมอบ/รับคืน (the desk officer, for the card and the audit log)"


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option} needs YYYY-MM-DD (CE), got {value!r}") from None


@app.command("lend")
@handle_errors
def lend_command(
    item_id: str = typer.Argument(..., help=ITEM_HELP),
    to: str = typer.Option(..., "--to", help="ผู้ยืม (borrower's username)"),
    due: str = typer.Option(..., "--due", help="กำหนดส่งคืน YYYY-MM-DD"),
    approved_by: str | None = typer.Option(None, "--approved-by",
                                           help="ผู้อนุมัติ (unit head / head of office)"),
    purpose: str = typer.Option("", help="เหตุผลที่ยืม (purpose)"),
    desk: str = typer.Option("cli", help=DESK_HELP),
) -> None:
    """ยืมแฟ้มหรือเอกสาร (lend; without --approved-by the request waits for approval)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        loan = lend(session, item_id, to=to, due=_date(due, "--due"), approved_by=approved_by,
                    actor=desk, purpose=purpose)
        status = str(getattr(loan.status, "value", loan.status))
    archive.close()
    if status == "out":
        err.print(f"ยืม {item_id} ให้ {to} แล้ว กำหนดส่งคืน {due} (lent)")
    else:
        err.print(f"บันทึกคำขอยืม {item_id} แล้ว รออนุมัติ (requested; pass --approved-by)")


@app.command("return")
@handle_errors
def return_command(
    item_id: str = typer.Argument(..., help=ITEM_HELP),
    by: str | None = typer.Option(None, "--by", help="ผู้ส่งคืน (default: the borrower)"),
    condition: str = typer.Option("", help="สภาพเมื่อส่งคืน (condition note)"),
    desk: str = typer.Option("cli", help=DESK_HELP),
) -> None:
    """รับคืนแฟ้มหรือเอกสาร (return)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        loan = return_item(session, item_id, returned_by=by, received_by=desk,
                           condition=condition)
        late = (loan.returned_on - loan.due).days if loan.returned_on else 0
    archive.close()
    err.print(f"รับคืน {item_id} แล้ว" + (f" (เกินกำหนด {late} วัน)" if late > 0 else ""))


@app.command("loans")
@handle_errors
def loans_command(
    overdue: bool = typer.Option(False, "--overdue", help="เฉพาะที่เกินกำหนด (overdue only)"),
    on: str | None = typer.Option(None, "--today", help="นับวันเกินกำหนด ณ วันที่ YYYY-MM-DD"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """รายการยืม (loans handed out, oldest due first)."""
    if on:
        set_today(_date(on, "--today"))
    archive = Archive.open(settings())
    with archive.db.session() as session:
        lines = cli_loans(session, overdue_only=overdue)
        rows = [line.as_json() for line in lines]
    archive.close()
    if as_json:
        emit_json({"loans": rows})
        return
    table = Table("ITEM_ID", "ผู้ยืม", "วันยืม", "กำหนดส่งคืน", "วันส่งคืน", "เกิน (วัน)")
    for row in rows:
        table.add_row(*(str(row[key] or "") for key in
                        ("item_id", "borrower", "lent_on", "due", "returned_on", "days_overdue")))
    err.print(table)


@holding_app.command("unit")
@handle_errors
def holding_unit(
    name: str = typer.Argument(...),
    head: str | None = typer.Option(None, help="หัวหน้าหน่วยงาน (username; approves loans)"),
    office: bool = typer.Option(False, "--office", help="หน่วยนี้คือตัวสำนักงาน (head of office)"),
) -> None:
    """เพิ่มหน่วยงานที่เก็บ (add a keeping unit, or the office with --office)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        add_unit(session, name, head=head, is_office=office, actor="cli")
    archive.close()
    err.print(f"เพิ่มหน่วยงาน {name} แล้ว")


@holding_app.command("file")
@handle_errors
def holding_file(
    code: str = typer.Argument(..., help="รหัสแฟ้ม (file code)"),
    title: str = typer.Option("", help="ชื่อแฟ้ม"),
    unit: str | None = typer.Option(None, help="หน่วยงานที่เก็บ"),
    cabinet: str = typer.Option("", help="ตู้"),
    drawer: str = typer.Option("", help="ลิ้นชัก"),
) -> None:
    """ลงทะเบียนแฟ้ม (register a paper file)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        add_file(session, code, title, unit=unit, cabinet=cabinet, drawer=drawer, actor="cli")
    archive.close()
    err.print(f"ลงทะเบียนแฟ้ม {code} แล้ว")


@holding_app.command("place")
@handle_errors
def holding_place(
    record_id: int = typer.Argument(...),
    file: str | None = typer.Option(None, "--file", help="รหัสแฟ้มที่เก็บต้นฉบับ"),
    unit: str | None = typer.Option(None, help="หน่วยงาน (a record kept outside any file)"),
    cabinet: str = typer.Option(""),
    drawer: str = typer.Option(""),
) -> None:
    """บอกที่เก็บต้นฉบับกระดาษของเอกสาร (where a record's paper original is)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        place_record(session, record_id, file_code=file, unit=unit, cabinet=cabinet,
                     drawer=drawer, actor="cli")
    archive.close()
    err.print(f"บันทึกที่เก็บของเอกสาร {record_id} แล้ว")


@app.command("desk-print")
@handle_errors
def desk_print(
    what: str = typer.Argument(..., help="card | labels | overdue | letters"),
    out: Path = typer.Option(..., "--out", help="ไฟล์ PDF ที่จะเขียน"),
    item_id: str | None = typer.Option(None, "--item", help=f"{ITEM_HELP} (for card)"),
    on: str | None = typer.Option(None, "--today", help="ณ วันที่ YYYY-MM-DD"),
) -> None:
    """พิมพ์บัตรยืม ป้ายแฟ้ม บัญชีเกินกำหนด หรือบันทึกทวงถาม (print a desk form as PDF)."""
    if on:
        set_today(_date(on, "--today"))
    archive = Archive.open(settings())
    office, digits = archive.settings.office_name, archive.settings.thai_digits
    with archive.db.session() as session:
        if what == "card":
            if not item_id:
                raise typer.BadParameter("card needs --item ITEM_ID")
            data = borrowing_card_pdf(session, resolve_item(session, item_id),
                                      office_name=office, thai_digits=digits)
        elif what == "labels":
            units = {unit.id: unit for unit in session.query(Unit)}
            data = label_sheet_pdf(files_for_labels(session, Secrecy.top_secret), units,
                                   office_name=office, thai_digits=digits)
        elif what in ("overdue", "letters"):
            late = dashboard(session, Secrecy.top_secret).overdue
            render = overdue_list_pdf if what == "overdue" else reminder_letters_pdf
            data = render(late, on=today(), office_name=office, thai_digits=digits)
        else:
            raise typer.BadParameter("WHAT is card, labels, overdue or letters")
    archive.close()
    out.write_bytes(data)
    err.print(f"เขียน {out} แล้ว")
