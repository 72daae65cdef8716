"""Who may borrow, who may approve and who runs the desk (ระเบียบงานสารบรรณ ข้อ 61–64).

- Borrowing needs approval by the head of the unit that keeps the item; the
  head of office (head of the unit marked as the office) may approve too.
- A secret item (ลับ, ลับมาก, ลับที่สุด; a file is as secret as its most
  secret record) goes only to a borrower cleared for its level and only with
  the head of office's approval, who must be cleared for it as well
  (ระเบียบว่าด้วยการรักษาความลับของทางราชการ พ.ศ. 2544).
- Outsiders (no user account) may only view or copy in the office, and never
  a secret item.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import LoanKind, Role, Secrecy
from schemas.errors import PermissionDenied
from schemas.tables import Unit, User
from retention.holdings import Item, office_unit, unit_head

DESK_ROLES = frozenset({Role.records_officer, Role.admin})


def cleared(user: User | None, secrecy: Secrecy) -> bool:
    """Whether `user` is cleared for an item of this secrecy (outsiders: only none)."""
    clearance = Secrecy(user.clearance) if user is not None else Secrecy.none
    return Secrecy(secrecy).level <= clearance.level


def can_run_desk(user: User) -> bool:
    """Whether the user works the lending desk (hands out, takes back, prints)."""
    return Role(user.role) in DESK_ROLES


def check_borrower(item: Item, borrower: User | None, kind: LoanKind) -> None:
    """Refuse a borrower the rules do not allow for this item and kind of loan.

    Raises:
        PermissionDenied: an outsider asking to take an item out, anyone asking
            for a secret item above their clearance, or an inactive user.
    """
    if borrower is None and LoanKind(kind) == LoanKind.borrow:
        raise PermissionDenied("บุคคลภายนอกขอดูหรือคัดสำเนาในสำนักงานได้เท่านั้น ยืมออกไปไม่ได้ "
                               "(outsiders may only view or copy in the office)")
    if borrower is not None and not borrower.active:
        raise PermissionDenied(f"บัญชีผู้ใช้ {borrower.username} ถูกระงับ (user inactive)")
    if not cleared(borrower, item.secrecy):
        raise PermissionDenied(
            f"ผู้ยืมไม่ได้รับสิทธิ์ชั้นความลับ {item.secrecy.thai} จึงยืมรายการนี้ไม่ได้ "
            "(the borrower is not cleared for this item's secrecy level)")


def office_head(session: Session) -> User | None:
    """The head of office, if an office unit with a head is set up."""
    office = office_unit(session)
    return unit_head(session, office.id) if office is not None else None


def eligible_approvers(session: Session, item: Item) -> list[User]:
    """The people who may approve a loan of `item`, unit head first."""
    head_of_office = office_head(session)
    if item.secrecy != Secrecy.none:
        people = [head_of_office] if head_of_office is not None else []
    else:
        people = [unit_head(session, item.unit_id), head_of_office]
    unique: dict[int, User] = {}
    for person in people:
        if person is not None and person.active and cleared(person, item.secrecy):
            unique.setdefault(person.id, person)
    return list(unique.values())


def check_approver(session: Session, item: Item, approver: User) -> None:
    """Refuse an approval by someone the rules do not name for this item.

    Raises:
        PermissionDenied: the approver heads neither the keeping unit nor the
            office, or the item is secret and they are not the cleared head of office.
    """
    if any(person.id == approver.id for person in eligible_approvers(session, item)):
        return
    if item.secrecy != Secrecy.none:
        raise PermissionDenied(
            f"หนังสือชั้นความลับ ({item.secrecy.thai}) ต้องได้รับอนุมัติจากหัวหน้าส่วนราชการ "
            "ที่ได้รับสิทธิ์ชั้นความลับนั้น (secret items need the cleared head of office)")
    raise PermissionDenied(
        f"{approver.display_name or approver.username} ไม่ใช่หัวหน้าหน่วยงานที่เก็บรายการนี้ "
        "จึงอนุมัติการยืมไม่ได้ (only the keeping unit's head or the head of office may approve)")


def units_headed_by(session: Session, user: User) -> list[Unit]:
    """The units this person heads (an empty list for most people)."""
    return list(session.scalars(select(Unit).where(Unit.head_id == user.id)))
