"""Shared set-up of the lending tests: a unit, the office, its heads, files and records."""

from __future__ import annotations

from dataclasses import dataclass

from web_support import PASSWORD, Corpus, add_corpus

from ingest.archive import Archive
from retention.holdings import add_file, add_unit, place_record
from schemas.enums import Role, Secrecy
from store.users import add_user

UNIT = "กลุ่มอำนวยการ"
OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ"
ASCII_FILE = "ADM-01/2567"  # public and memo letters; its QR carries this code
THAI_FILE = "กจ 1/2567"  # the ลับมาก letter; its QR carries file:<id>
EMPTY_FILE = "ADM-02/2567"
FILE_TITLE = "แฟ้มการประชุมผู้บริหารสถานศึกษา"


@dataclass
class Desk:
    """Ids the lending tests start from."""

    corpus: Corpus
    ascii_file_id: int
    thai_file_id: int


def set_up_desk(archive: Archive) -> Desk:
    """Heads (unit head `head`, head of office `director`), three files, letters placed."""
    corpus = add_corpus(archive)
    with archive.db.session() as session:
        add_user(session, "head", PASSWORD, role=Role.clerk, clearance=Secrecy.none,
                 display_name="นางสาวหัวหน้า กลุ่มงาน")
        add_user(session, "director", PASSWORD, role=Role.reader, clearance=Secrecy.top_secret,
                 display_name="นายผู้อำนวยการ เขตพื้นที่")
        session.flush()
        add_unit(session, UNIT, head="head")
        add_unit(session, OFFICE, head="director", is_office=True)
        first = add_file(session, ASCII_FILE, FILE_TITLE, unit=UNIT, cabinet="1", drawer="2")
        second = add_file(session, THAI_FILE, "แฟ้มหนังสือลับ ปี ๒๕๖๗", unit=UNIT, cabinet="ลับ",
                          drawer="1")
        add_file(session, EMPTY_FILE, "แฟ้มคำสั่งแต่งตั้งคณะกรรมการ", unit=UNIT, cabinet="1",
                 drawer="3")
        place_record(session, corpus.public, file_code=ASCII_FILE)
        place_record(session, corpus.memo, file_code=ASCII_FILE)
        place_record(session, corpus.secret, file_code=THAI_FILE)
        return Desk(corpus, first.id, second.id)
