"""What the lending desk looks at: loan lines, the dashboard and a borrower's reminders.

Computed once here; the web pages, the CLI's JSON and the printed lists are
renderers over these lines. Items above the viewer's clearance are left out
entirely (not masked), as in search.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.holdings import Item
from retention.lending_rules import cleared
from retention.loans import borrower_name, days_overdue, item_of
from schemas.clock import today
from schemas.enums import LoanStatus, Secrecy
from schemas.tables import Loan, User

DUE_SOON_DAYS = 7  # "due this week" on the dashboard: due within the next 7 days
REMIND_BEFORE_DAYS = 3  # a borrower is reminded this many days before the due date


@dataclass(frozen=True)
class LoanLine:
    """One loan as every view shows it."""

    loan: Loan
    item: Item
    borrower: str  # username or outsider's name
    borrower_display: str
    days_overdue: int

    @property
    def status(self) -> LoanStatus:
        """The loan's status as the enum."""
        return LoanStatus(self.loan.status)

    def as_json(self) -> dict[str, object]:
        """The `saraban loans --json` shape."""
        loan = self.loan
        return {"item_id": self.item.item_id, "borrower": self.borrower,
                "lent_on": _iso(loan.lent_on), "due": _iso(loan.due),
                "returned_on": _iso(loan.returned_on), "days_overdue": self.days_overdue}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def loan_lines(session: Session, *, clearance: Secrecy, statuses: tuple[LoanStatus, ...],
               borrower_id: int | None = None) -> list[LoanLine]:
    """Loans in these statuses that the viewer may see, by due date."""
    query = select(Loan).where(Loan.status.in_(statuses)).order_by(Loan.due, Loan.id)
    if borrower_id is not None:
        query = query.where(Loan.borrower_id == borrower_id)
    lines = []
    for loan in session.scalars(query):
        item = item_of(session, loan)
        if item.secrecy.level > Secrecy(clearance).level:
            continue
        lines.append(LoanLine(loan, item, borrower_name(session, loan),
                              display_name(session, loan), days_overdue(loan)))
    return lines


def display_name(session: Session, loan: Loan) -> str:
    """The borrower as printed on the card: a user's display name, or name (organisation)."""
    if loan.borrower_id is not None:
        user = session.get(User, loan.borrower_id)
        return (user.display_name or user.username) if user else str(loan.borrower_id)
    return f"{loan.outsider_name} ({loan.outsider_org})" if loan.outsider_org else loan.outsider_name


def person_name(session: Session, username: str | None) -> str:
    """A username as people read it (display name), or the text as given."""
    if not username:
        return ""
    user = session.scalar(select(User).where(User.username == username))
    return (user.display_name or user.username) if user else username


def cli_loans(session: Session, *, overdue_only: bool) -> list[LoanLine]:
    """`saraban loans`: loans handed out (out or returned); with `overdue_only` those late now."""
    lines = loan_lines(session, clearance=Secrecy.top_secret,
                       statuses=(LoanStatus.out, LoanStatus.returned))
    if overdue_only:
        lines = [line for line in lines if line.status == LoanStatus.out and line.days_overdue]
    return lines


@dataclass
class Dashboard:
    """The desk's figures for one day."""

    on: dt.date
    out: list[LoanLine]
    overdue: list[LoanLine]
    due_soon: list[LoanLine]
    waiting: list[LoanLine]  # requested or approved, not yet handed out
    per_borrower: list[tuple[str, int, int]] = field(default_factory=list)  # name, out, late
    overdue_buckets: list[tuple[str, int]] = field(default_factory=list)


OVERDUE_BUCKETS = (("1–7 วัน", 1, 7), ("8–30 วัน", 8, 30), ("เกิน 30 วัน", 31, 10**6))


def dashboard(session: Session, clearance: Secrecy) -> Dashboard:
    """On loan, overdue (by days), due within a week, waiting, and per borrower."""
    on = today()
    out = loan_lines(session, clearance=clearance, statuses=(LoanStatus.out,))
    overdue = sorted((line for line in out if line.days_overdue),
                     key=lambda line: -line.days_overdue)
    due_soon = [line for line in out
                if not line.days_overdue and (line.loan.due - on).days <= DUE_SOON_DAYS]
    waiting = loan_lines(session, clearance=clearance,
                         statuses=(LoanStatus.requested, LoanStatus.approved))
    counts = Counter(line.borrower_display for line in out)
    late = Counter(line.borrower_display for line in overdue)
    per_borrower = sorted(((name, counts[name], late[name]) for name in counts),
                          key=lambda row: (-row[2], -row[1], row[0]))
    buckets = [(label, sum(1 for line in overdue if low <= line.days_overdue <= high))
               for label, low, high in OVERDUE_BUCKETS]
    return Dashboard(on, out, overdue, due_soon, waiting, per_borrower, buckets)


def reminders_for(session: Session, user: User) -> list[LoanLine]:
    """The user's own loans that are late or due within a few days (shown at sign-in)."""
    on = today()
    lines = loan_lines(session, clearance=Secrecy(user.clearance), statuses=(LoanStatus.out,),
                       borrower_id=user.id)
    return [line for line in lines if (line.loan.due - on).days <= REMIND_BEFORE_DAYS]


def card_lines(session: Session, item: Item) -> list[Loan]:
    """Every loan of the item that left or is promised, oldest first (the card's rows)."""
    column = Loan.file_id if item.kind == "file" else Loan.record_id
    shown = (LoanStatus.approved, LoanStatus.out, LoanStatus.returned)
    query = select(Loan).where(column == item.id, Loan.status.in_(shown)).order_by(Loan.id)
    return list(session.scalars(query))


def visible_item(item: Item, viewer: User) -> bool:
    """Whether the viewer may see this item at all."""
    return cleared(viewer, item.secrecy)
