"""The desk's printed forms as PDF downloads: card, labels, overdue list, reminder memos."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select

from ingest.archive import Archive
from retention.cards import borrowing_card_pdf
from retention.desk import dashboard
from retention.labels import files_for_labels, label_sheet_pdf
from retention.reminders import overdue_list_pdf, reminder_letters_pdf
from schemas.clock import today
from schemas.enums import Secrecy
from schemas.tables import Unit
from store.audit import record_event
from web.auth import ArchiveDep
from web.pages_lending import DeskUser, visible_item

router = APIRouter()


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "Cache-Control": "private, no-store"})


def _office(archive: Archive) -> dict[str, object]:
    return {"office_name": archive.settings.office_name,
            "thai_digits": archive.settings.thai_digits}


@router.get("/lending/card.pdf")
def card_pdf(user: DeskUser, archive: ArchiveDep, id: str) -> Response:
    """The borrowing card of one item, to stand in its place in the cabinet."""
    with archive.db.session() as session:
        item = visible_item(session, id, user)
        data = borrowing_card_pdf(session, item, **_office(archive))  # type: ignore[arg-type]
        record_event(session, user.username, "loan.print_card", None, item_id=item.item_id)
    return _pdf(data, "borrowing-card.pdf")


@router.get("/lending/labels.pdf")
def labels_pdf(user: DeskUser, archive: ArchiveDep,
               code: Annotated[list[str] | None, Query()] = None) -> Response:
    """Label sheets for every file the user may see (or the `code` ones)."""
    with archive.db.session() as session:
        units = {unit.id: unit for unit in session.scalars(select(Unit))}
        files = files_for_labels(session, Secrecy(user.clearance), code or ())
        data = label_sheet_pdf(files, units, **_office(archive))  # type: ignore[arg-type]
    return _pdf(data, "labels.pdf")


@router.get("/lending/overdue.pdf")
def overdue_pdf(user: DeskUser, archive: ArchiveDep) -> Response:
    """The overdue list as of today, most overdue first."""
    with archive.db.session() as session:
        late = dashboard(session, Secrecy(user.clearance)).overdue
    return _pdf(overdue_list_pdf(late, on=today(), **_office(archive)),  # type: ignore[arg-type]
                "overdue.pdf")


@router.get("/lending/reminders.pdf")
def reminders_pdf(user: DeskUser, archive: ArchiveDep) -> Response:
    """One reminder memo (บันทึกข้อความ) per borrower with overdue items."""
    with archive.db.session() as session:
        late = dashboard(session, Secrecy(user.clearance)).overdue
    return _pdf(reminder_letters_pdf(late, on=today(), **_office(archive)),  # type: ignore[arg-type]
                "reminders.pdf")
