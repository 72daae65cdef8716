"""Physical holdings: units, paper files (แฟ้ม) and where each record's paper original is.

An *item* is what the lending desk lends: a whole file, or one record. Its
ITEM_ID is the file code (รหัสแฟ้ม) exactly as printed on the file's label,
``file:<id>`` for a file by its number, or ``record:<id>`` for one record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import Secrecy
from schemas.errors import NotFound, SarabanError
from schemas.tables import Holding, PaperFile, Record, Unit, User
from schemas.text import nfc
from store.audit import record_event
from store.records import effective_secrecy
from store.users import find_user

FILE_PREFIX = "file:"
RECORD_PREFIX = "record:"


@dataclass(frozen=True)
class Item:
    """A lendable thing: a paper file or one record's paper original."""

    kind: str  # "file" or "record"
    id: int
    item_id: str  # the ITEM_ID the CLI and the desk use
    title: str
    secrecy: Secrecy
    unit_id: int | None
    location: str  # cabinet and drawer, as people say it
    record_ids: tuple[int, ...] = field(default=())

    @property
    def file_id(self) -> int | None:
        """The file's id, for a file item."""
        return self.id if self.kind == "file" else None

    @property
    def record_id(self) -> int | None:
        """The record's id, for a record item."""
        return self.id if self.kind == "record" else None


def add_unit(session: Session, name: str, *, head: str | None = None, is_office: bool = False,
             actor: str = "system") -> Unit:
    """Create a keeping unit (or the office itself) with its head, who approves loans."""
    name = nfc(name.strip())
    if not name:
        raise SarabanError("ต้องระบุชื่อหน่วยงาน (unit name is required)")
    if session.scalar(select(Unit).where(Unit.name == name)) is not None:
        raise SarabanError(f"มีหน่วยงานชื่อ {name} อยู่แล้ว (unit exists)")
    unit = Unit(name=name, head_id=_user_id(session, head), is_office=is_office)
    session.add(unit)
    session.flush()
    record_event(session, actor, "holding.unit_add", name=name, head=head, is_office=is_office)
    return unit


def office_unit(session: Session) -> Unit | None:
    """The unit standing for the whole office (its head is the head of office)."""
    return session.scalar(select(Unit).where(Unit.is_office.is_(True)))


def find_unit(session: Session, name: str) -> Unit:
    """The unit called `name`; NotFound otherwise."""
    unit = session.scalar(select(Unit).where(Unit.name == nfc(name.strip())))
    if unit is None:
        raise NotFound(f"ไม่พบหน่วยงาน {name} (unit not found)")
    return unit


def add_file(session: Session, code: str, title: str, *, unit: str | None = None,
             cabinet: str = "", drawer: str = "", actor: str = "system") -> PaperFile:
    """Register a paper file by its file code; refuse a taken or reserved code."""
    code = nfc(" ".join(code.split()))
    if not code:
        raise SarabanError("ต้องระบุรหัสแฟ้ม (file code is required)")
    if code.lower().startswith((FILE_PREFIX, RECORD_PREFIX)):
        raise SarabanError(f"รหัสแฟ้มขึ้นต้นด้วย {FILE_PREFIX} หรือ {RECORD_PREFIX} ไม่ได้ "
                           "(reserved prefix)")
    if session.scalar(select(PaperFile).where(PaperFile.code == code)) is not None:
        raise SarabanError(f"มีแฟ้มรหัส {code} อยู่แล้ว (file code exists)")
    paper = PaperFile(code=code, title=nfc(title.strip()),
                      unit_id=find_unit(session, unit).id if unit else None,
                      cabinet=cabinet.strip(), drawer=drawer.strip())
    session.add(paper)
    session.flush()
    record_event(session, actor, "holding.file_add", code=code, file_id=paper.id,
                 cabinet=paper.cabinet, drawer=paper.drawer)
    return paper


def place_record(session: Session, record_id: int, *, file_code: str | None = None,
                 unit: str | None = None, cabinet: str = "", drawer: str = "",
                 actor: str = "system") -> Holding:
    """Say where a record's paper original is: in a file, or loose in a cabinet."""
    if session.get(Record, record_id) is None:
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    holding = session.get(Holding, record_id) or Holding(record_id=record_id)
    holding.file_id = find_file(session, file_code).id if file_code else None
    holding.unit_id = find_unit(session, unit).id if unit else None
    holding.cabinet, holding.drawer = cabinet.strip(), drawer.strip()
    session.add(holding)
    session.flush()
    record_event(session, actor, "holding.place", record_id, file_code=file_code,
                 cabinet=holding.cabinet, drawer=holding.drawer)
    return holding


def find_file(session: Session, code: str) -> PaperFile:
    """The file with this code; NotFound otherwise."""
    paper = session.scalar(select(PaperFile).where(PaperFile.code == nfc(" ".join(code.split()))))
    if paper is None:
        raise NotFound(f"ไม่พบแฟ้มรหัส {code} (file not found)")
    return paper


def records_in_file(session: Session, file_id: int) -> list[Record]:
    """The records whose paper originals are kept in the file, by record id."""
    query = (select(Record).join(Holding, Holding.record_id == Record.id)
             .where(Holding.file_id == file_id).order_by(Record.id))
    return list(session.scalars(query))


def scan_key(paper: PaperFile) -> str:
    """What the file's QR code carries: its code, or ``file:<id>`` if the code is not ASCII.

    USB scanners type like a keyboard and cannot type Thai, so a code with
    Thai letters (``กจ 1/2567``) is carried as ``file:12`` instead.
    """
    if paper.code.isascii() and paper.code.isprintable():
        return paper.code
    return f"{FILE_PREFIX}{paper.id}"


def resolve_item(session: Session, item_id: str) -> Item:
    """The item an ITEM_ID (file code, ``file:N`` or ``record:N``) names; NotFound otherwise."""
    text = nfc(" ".join(str(item_id).split()))
    lowered = text.lower()
    for prefix, loader in ((RECORD_PREFIX, record_item), (FILE_PREFIX, file_item)):
        if lowered.startswith(prefix):
            number = text[len(prefix):].strip()
            if not number.isdigit():
                break
            return loader(session, int(number))
    paper = session.scalar(select(PaperFile).where(PaperFile.code == text))
    if paper is None:
        raise NotFound(f"ไม่พบแฟ้มหรือเอกสาร {item_id} (no such file code or record:N)")
    return file_item(session, paper.id)


def file_item(session: Session, file_id: int) -> Item:
    """A file as a lendable item; its secrecy is the highest of the records in it."""
    paper = session.get(PaperFile, file_id)
    if paper is None:
        raise NotFound(f"ไม่พบแฟ้มหมายเลข {file_id} (file not found)")
    records = records_in_file(session, file_id)
    levels = [effective_secrecy(record) for record in records]
    secrecy = max(levels, key=lambda level: level.level, default=Secrecy.none)
    return Item("file", paper.id, paper.code, paper.title or paper.code, secrecy, paper.unit_id,
                _location(paper.cabinet, paper.drawer), tuple(r.id for r in records))


def record_item(session: Session, record_id: int) -> Item:
    """One record's paper original as a lendable item (kept by its file's unit)."""
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    holding = session.get(Holding, record_id)
    paper = session.get(PaperFile, holding.file_id) if holding and holding.file_id else None
    if paper is not None:
        unit_id, location = paper.unit_id, f"แฟ้ม {paper.code} " + _location(paper.cabinet,
                                                                             paper.drawer)
    elif holding is not None:
        unit_id, location = holding.unit_id, _location(holding.cabinet, holding.drawer)
    else:
        unit_id, location = None, ""
    title = " ".join(part for part in (record.number, record.subject) if part)
    return Item("record", record.id, f"{RECORD_PREFIX}{record.id}",
                title or f"เอกสารหมายเลข {record.id}", effective_secrecy(record), unit_id,
                location.strip(), (record.id,))


def _location(cabinet: str, drawer: str) -> str:
    parts = [f"ตู้ {cabinet}" if cabinet else "", f"ลิ้นชัก {drawer}" if drawer else ""]
    return " ".join(part for part in parts if part)


def _user_id(session: Session, username: str | None) -> int | None:
    if not username:
        return None
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"ไม่พบผู้ใช้ {username} (user not found)")
    return user.id


def unit_head(session: Session, unit_id: int | None) -> User | None:
    """The head of a unit, or None."""
    unit = session.get(Unit, unit_id) if unit_id else None
    return session.get(User, unit.head_id) if unit and unit.head_id else None
