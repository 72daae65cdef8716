"""Jinja2 rendering: one environment per app, with Thai filters driven by the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from schemas.enums import KIND_THAI, SECRECY_THAI, URGENCY_THAI, Kind, Secrecy, Urgency
from schemas.settings import Settings
from schemas.text import to_thai_digits
from schemas.thai_dates import format_thai_date

TEMPLATES = Path(__file__).parent / "templates"

STATUS_THAI = {
    "pending": "รอประมวลผล",
    "ok": "เรียบร้อย",
    "flagged": "รอตรวจสอบ",
    "failed": "อ่านไม่สำเร็จ",
    "destroyed": "ทำลายแล้ว",
}
ROLE_THAI = {
    "reader": "ผู้อ่าน",
    "clerk": "เจ้าหน้าที่สารบรรณ",
    "records_officer": "เจ้าหน้าที่เก็บรักษา",
    "head": "หัวหน้าส่วนราชการ",
    "admin": "ผู้ดูแลระบบ",
}
CLEARANCE_THAI = {"none": "ทั่วไป", **{s.value: t for s, t in SECRECY_THAI.items() if t}}
JOB_STAGE_THAI = {
    "queued": "รอคิว",
    "starting": "กำลังเริ่ม",
    "running": "กำลังประมวลผล",
    "ocr": "กำลังอ่านข้อความ (OCR)",
    "extract": "กำลังอ่านรายละเอียด",
    "write": "กำลังบันทึก",
    "index": "กำลังทำดัชนี",
    "done": "เสร็จแล้ว",
    "failed": "ไม่สำเร็จ",
}


def _value(item: Any) -> str:
    return str(getattr(item, "value", item) or "")


def kind_thai(kind: Any) -> str:
    """Thai name of a document kind ("unknown" and None read ไม่ทราบประเภท)."""
    try:
        return KIND_THAI[Kind(_value(kind))]
    except ValueError:
        return "ไม่ทราบประเภท"


def secrecy_thai(secrecy: Any) -> str:
    """The secrecy stamp's Thai text; ไม่มีชั้นความลับ for none."""
    try:
        return SECRECY_THAI[Secrecy(_value(secrecy))] or "ไม่มีชั้นความลับ"
    except ValueError:
        return _value(secrecy)


def urgency_thai(urgency: Any) -> str:
    """The urgency stamp's Thai text; ปกติ for normal."""
    try:
        return URGENCY_THAI[Urgency(_value(urgency))] or "ปกติ"
    except ValueError:
        return _value(urgency)


class Renderer:
    """The Jinja environment of one app, bound to that archive's settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"], default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            thaidate=self.thaidate,
            thaidate_iso=self.thaidate_iso,
            digits=self.digits,
            kind_thai=kind_thai,
            secrecy_thai=secrecy_thai,
            urgency_thai=urgency_thai,
            status_thai=lambda s: STATUS_THAI.get(_value(s), _value(s)),
            role_thai=lambda r: ROLE_THAI.get(_value(r), _value(r)),
            clearance_thai=lambda c: CLEARANCE_THAI.get(_value(c), _value(c)),
            stage_thai=lambda s: JOB_STAGE_THAI.get(_value(s), _value(s)),
            percent=self.percent,
            thaitime=self.thaitime,
        )
        self.env.globals.update(office_name=settings.office_name, thai_digits=settings.thai_digits,
                                value_of=_value)

    def digits(self, value: Any) -> str:
        """`value` as text, in Thai digits when the office chose them."""
        text = "" if value is None else str(value)
        return to_thai_digits(text) if self.settings.thai_digits else text

    def thaidate(self, value: dt.date | None, abbreviated: bool = False) -> str:
        """A date as ``2 สิงหาคม 2559`` (BE year); an empty string for None."""
        if value is None:
            return ""
        return format_thai_date(value, self.settings.thai_digits, abbreviated)

    def thaidate_iso(self, value: str | None) -> str:
        """An ISO date string (as kept in JSON metadata) as a Thai date; as is if unreadable."""
        try:
            return self.thaidate(dt.date.fromisoformat(str(value))) if value else ""
        except ValueError:
            return str(value)

    def thaitime(self, value: dt.datetime | None) -> str:
        """A timestamp as a BE date with the time (Bangkok, UTC+7) to the minute."""
        if value is None:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        local = value.astimezone(dt.timezone(dt.timedelta(hours=7)))
        return f"{self.thaidate(local.date(), True)} {self.digits(local.strftime('%H:%M'))} น."

    def percent(self, value: float | None) -> str:
        """A confidence 0–1 as a whole percentage (``87%``)."""
        if value is None:
            return "–"
        return self.digits(f"{round(float(value) * 100)}%")

    def page(self, request: Request, template: str, context: dict[str, Any] | None = None,
             status_code: int = 200) -> HTMLResponse:
        """Render `template` with the signed-in user's header data and `context`."""
        values: dict[str, Any] = {
            "request": request,
            "me": request.session.get("user") if "session" in request.scope else None,
            "csrf": request.session.get("csrf", "") if "session" in request.scope else "",
        }
        values.update(context or {})
        html = self.env.get_template(template).render(values)
        return HTMLResponse(html, status_code=status_code)
