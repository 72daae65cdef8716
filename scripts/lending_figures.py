"""Render the lending desk's printed forms to PNG for the docs (docs/img/).

Builds a throw-away archive with a few files and loans on simulated dates,
prints the borrowing card, a label sheet, the overdue list and a reminder
memo, and renders page 1 of each with `render_page_png`.

    PYTHONPATH=. python scripts/lending_figures.py docs/img
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from ingest.archive import Archive
from retention.cards import borrowing_card_pdf
from retention.desk import dashboard
from retention.holdings import add_file, add_unit, resolve_item
from retention.labels import files_for_labels, label_sheet_pdf
from retention.loans import approve_loan, hand_out, lend, request_loan, return_item
from retention.printing import render_page_png
from retention.reminders import overdue_list_pdf, reminder_letters_pdf
from schemas.clock import frozen_today
from schemas.enums import LoanKind, Role, Secrecy
from schemas.settings import Settings
from schemas.tables import Unit
from store.users import add_user

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต ๑"
PEOPLE = [("head", "นางสาววิไล หัวหน้ากลุ่ม", Role.clerk, Secrecy.none),
          ("director", "นายประเสริฐ ผู้อำนวยการ", Role.reader, Secrecy.top_secret),
          ("desk", "นางมาลี เก็บรักษา", Role.records_officer, Secrecy.secret),
          ("somsri", "นางสมศรี รักเรียน", Role.reader, Secrecy.none),
          ("wichai", "นายวิชัย ใจงาม", Role.clerk, Secrecy.none)]
FILES = [("ADM-01/2567", "แฟ้มการประชุมผู้บริหารสถานศึกษา"),
         ("ADM-02/2567", "แฟ้มรายงานการประชุมคณะกรรมการเขตพื้นที่"),
         ("FIN-01/2567", "แฟ้มหลักฐานการเบิกจ่ายงบประมาณ ไตรมาสที่ ๒"),
         ("กจ 1/2567", "แฟ้มคำสั่งแต่งตั้งคณะกรรมการสอบคัดเลือก"),
         ("PER-03/2567", "แฟ้มทะเบียนประวัติข้าราชการครู"),
         ("งบ 4/2567", "แฟ้มคำสั่งแต่งตั้งเจ้าหน้าที่พัสดุ")]


def build(home: Path) -> Archive:
    """An archive with people, units, six files and loans from January to March 2568."""
    archive = Archive.open(Settings(home=home))
    with archive.db.session() as session:
        for username, name, role, clearance in PEOPLE:
            add_user(session, username, "figures-only-password", role=role, clearance=clearance,
                     display_name=name)
        session.flush()
        add_unit(session, "กลุ่มอำนวยการ", head="head")
        add_unit(session, OFFICE, head="director", is_office=True)
        for number, (code, title) in enumerate(FILES, 1):
            add_file(session, code, title, unit="กลุ่มอำนวยการ", cabinet=str(number), drawer="1")
    with frozen_today(dt.date(2025, 1, 6)), archive.db.session() as session:
        lend(session, "ADM-01/2567", to="wichai", due=dt.date(2025, 1, 13), approved_by="head",
             actor="desk")
        loan = request_loan(session, "ADM-02/2567", outsider_name="นายสมชาย ใจดี",
                            outsider_org="โรงเรียนบ้านทุ่ง", kind=LoanKind.copy,
                            due=dt.date(2025, 1, 6), actor="desk")
        approve_loan(session, loan.id, approver="head", actor="head")
        hand_out(session, loan.id, handed_by="desk")
    with frozen_today(dt.date(2025, 1, 10)), archive.db.session() as session:
        return_item(session, "ADM-01/2567", returned_by=None, received_by="desk")
        return_item(session, "ADM-02/2567", returned_by=None, received_by="desk")
    with frozen_today(dt.date(2025, 2, 3)), archive.db.session() as session:
        for code, who, due in (("ADM-01/2567", "somsri", 17), ("ADM-02/2567", "somsri", 10),
                               ("FIN-01/2567", "wichai", 28), ("PER-03/2567", "desk", 20)):
            lend(session, code, to=who, due=dt.date(2025, 2, 1) + dt.timedelta(due - 1),
                 approved_by="head", actor="desk")
    return archive


def main(out: Path) -> None:
    """Write borrowing-card.png, label-sheet.png, overdue-list.png, reminder-letter.png."""
    out.mkdir(parents=True, exist_ok=True)
    archive = build(Path(tempfile.mkdtemp()) / "home")
    on = dt.date(2025, 3, 10)
    with frozen_today(on), archive.db.session() as session:
        units = {unit.id: unit for unit in session.query(Unit)}
        late = dashboard(session, Secrecy.top_secret).overdue
        pdfs = {
            "borrowing-card": borrowing_card_pdf(session, resolve_item(session, "ADM-01/2567"),
                                                 office_name=OFFICE),
            "label-sheet": label_sheet_pdf(files_for_labels(session, Secrecy.top_secret), units,
                                           office_name=OFFICE),
            "overdue-list": overdue_list_pdf(late, on=on, office_name=OFFICE),
            "reminder-letter": reminder_letters_pdf(late, on=on, office_name=OFFICE),
        }
    archive.close()
    for name, data in pdfs.items():
        image = render_page_png(data, 0, scale=1.5).convert("L")
        image.save(out / f"{name}.png", optimize=True)
        print(out / f"{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
