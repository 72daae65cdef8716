"""Printed forms in Thai: one PDF class for every register, list and card.

Thai needs real shaping (marks above and below consonants, ำ, tone marks
stacked on upper vowels), so text goes through HarfBuzz (fpdf2's text
shaping, backed by uharfbuzz). Fonts are Debian's TLWG fonts, read from
disk; nothing comes from the web.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from schemas.text import nfc, to_thai_digits
from schemas.thai_dates import format_thai_date

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONT_FAMILY = "Laksaman"  # the TH Sarabun-style TLWG face


def thai_number(value: object, thai_digits: bool) -> str:
    """A number or code as the office prints it: Thai digits when chosen."""
    text = nfc(str(value))
    return to_thai_digits(text) if thai_digits else text


def thai_date(value: dt.date | None, thai_digits: bool, abbreviated: bool = True) -> str:
    """A date in the Buddhist era, e.g. ``5 ม.ค. 2568``; empty for no date."""
    if value is None:
        return ""
    return format_thai_date(value, thai_digits=thai_digits, abbreviated=abbreviated)


@dataclass(frozen=True)
class Column:
    """One column of a printed table: its header, width in mm and alignment."""

    title: str
    width: float
    align: str = "L"  # L, C or R


class ThaiPdf(FPDF):
    """An A4 page in Laksaman with HarfBuzz shaping and an optional page footer.

    ``footer_text`` is printed at the bottom of every page with the sheet
    number (แผ่นที่ n), in Thai digits when ``thai_digits`` is set.
    """

    def __init__(
        self,
        orientation: str = "P",
        *,
        thai_digits: bool = False,
        footer_text: str = "",
        font_size: float = 14,
    ) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.thai_digits = thai_digits
        self.footer_text = nfc(footer_text)
        self.base_size = font_size
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "Laksaman.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "Laksaman-Bold.ttf"))
        self.set_text_shaping(use_shaping_engine=True, script="thai", language="tha")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.set_font(FONT_FAMILY, size=font_size)
        self.set_creator("Saraban Archive")

    def footer(self) -> None:  # called by fpdf2 for every page
        self.set_y(-13)
        self.set_font(FONT_FAMILY, size=self.base_size - 3)
        sheet = "แผ่นที่ " + thai_number(self.page_no(), self.thai_digits)
        text = f"{self.footer_text}    {sheet}" if self.footer_text else sheet
        self.cell(0, 6, nfc(text), align="R")
        self.set_font(FONT_FAMILY, size=self.base_size)

    def heading(self, text: str, size: float | None = None, align: str = "C") -> None:
        """A bold heading line across the page."""
        self.set_font(FONT_FAMILY, "B", size or self.base_size + 4)
        self.multi_cell(0, 9, nfc(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, size=self.base_size)

    def line_of_text(self, text: str, align: str = "L", height: float = 7.5) -> None:
        """One paragraph of body text, wrapped to the page width."""
        self.multi_cell(0, height, nfc(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def print_table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        line_height: float = 7,
    ) -> None:
        """A bordered table, widths scaled to the page; the header row repeats
        on every new sheet."""
        from fpdf.fonts import FontFace

        scale = self.epw / sum(column.width for column in columns)
        with self.table(
            col_widths=tuple(column.width * scale for column in columns),
            line_height=line_height,
            headings_style=FontFace(emphasis="BOLD"),
            repeat_headings=1,
            text_align=tuple(column.align for column in columns),
        ) as table:
            heading = table.row()
            for column in columns:
                heading.cell(nfc(column.title), align="C")
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(nfc(str(value)))

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def render_page_png(pdf: bytes, page: int = 0, scale: float = 2.0):
    """Render one page of a PDF to a PIL image (checks and previews)."""
    import pypdfium2

    from ocr.pages import PDFIUM_LOCK

    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return document[page].render(scale=scale).to_pil()
        finally:
            document.close()
