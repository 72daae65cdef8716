import datetime as dt

import numpy as np

from retention.printing import Column, ThaiPdf, render_page_png, thai_date, thai_number
from schemas.clock import frozen_today, today


def test_thai_pdf_renders_shaped_thai_with_a_repeating_table():
    pdf = ThaiPdf("L", thai_digits=True, footer_text="บัญชีทดสอบ")
    pdf.add_page()
    pdf.heading("บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. ๒๕๖๘")
    columns = [Column("ลำดับที่", 15, "C"), Column("เรื่อง", 120), Column("ที่", 40)]
    rows = [[thai_number(i, True), "ขอความอนุเคราะห์ข้อมูลผู้สำเร็จการศึกษา", "ศธ 04049/1"]
            for i in range(1, 60)]
    pdf.print_table(columns, rows)
    data = pdf.output_bytes()
    assert data.startswith(b"%PDF")
    assert pdf.page_no() >= 2
    image = np.asarray(render_page_png(data, 0).convert("L"))
    assert (image < 128).mean() > 0.01  # ink on the page: text and borders


def test_thai_digits_and_be_dates():
    assert thai_number(2568, True) == "๒๕๖๘"
    assert thai_number("ศธ 04049/1", False) == "ศธ 04049/1"
    assert "2568" in thai_date(dt.date(2025, 1, 5), False)
    assert thai_date(None, True) == ""


def test_clock_can_be_frozen():
    with frozen_today(dt.date(2030, 1, 1)):
        assert today() == dt.date(2030, 1, 1)
    assert today() != dt.date(2030, 1, 1) or dt.date.today() == dt.date(2030, 1, 1)
