"""The whole-line digit re-read puts the model's digits back on Tesseract's words."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from cli.samples_render import load_font
from ocr.digit_lines import fix_line
from ocr.tesseract import Word

LINE = (("ที่", "ที่"), ("ศธ", "ศธ"), ("๐๔๐๔๙/ว๕๖๗๘", "๐๕๐๕๓/ว๕๒๕"), ("วันที่", "วันที่"),
        ("๑๗", "อป"), ("พฤษภาคม", "พฤษภาคม"), ("๒๕๖๗.", "๒๕๒."))


def _page(tokens: tuple[tuple[str, str], ...]) -> tuple[np.ndarray, list[Word]]:
    """The line drawn at about 16 pt / 200 dpi, and words as Tesseract misread them."""
    font = load_font("Laksaman", 44)
    image = Image.new("L", (1500, 120), 255)
    draw = ImageDraw.Draw(image)
    words, x = [], 20
    for printed, misread in tokens:
        draw.text((x, 30), printed, font=font, fill=20)
        box = draw.textbbox((x, 30), printed, font=font)
        words.append(Word(misread, 90.0, box, (1, 1, 1)))
        x = box[2] + 24
    return np.asarray(image), words


def test_line_read_fixes_digits_tesseract_lacks() -> None:
    gray, words = _page(LINE)
    fixed, fixes = fix_line(words, gray)
    text = " ".join(w.text for w in fixed)
    assert fixes >= 2
    assert "๐๔๐๔๙/ว๕๖๗๘" in text
    # Known limit: the day read as letters (อป) stays, because the tone mark of
    # วันที่ just before it reads as a doubtful digit and the run is not trusted.
    assert "๒๕๖๗." in text  # the dot at the word's end stays


def test_line_without_digits_is_left_alone() -> None:
    gray, words = _page((("เรื่อง", "เรื่อง"), ("ขอเชิญประชุม", "ขอเชิญประชุม")))
    fixed, fixes = fix_line(words, gray)
    assert fixes == 0 and [w.text for w in fixed] == ["เรื่อง", "ขอเชิญประชุม"]


def test_specks_below_the_line_do_not_move_its_crop() -> None:
    """Specks Tesseract reads as letters (confidence near 0) sit low beside
    ``ที่ ๒๐๑/๒๕๖๔`` on a noisy scan: the crop stays on the digits, so the
    year is not cut at the top and read ๒๔๖๔."""
    gray, words = _page((("ที่", "ที"), ("๒๐๑/๒๕๖๔", "๒๐๑/๒๕๒๕")))
    below = words[1].box[3] + 4
    specks = [Word(text, conf, (x, below - 10, x + 6, below + 2), (1, 1, 1))
              for text, conf, x in (("า", 0.0, 8), (".", 0.0, 14), ("บ", 2.0, 700))]
    fixed, _ = fix_line(specks[:2] + words + specks[2:], gray)
    assert "๒๐๑/๒๕๖๔" in " ".join(w.text for w in fixed)


def test_a_day_read_as_a_letter_before_a_month_is_a_digit_there_only():
    from ocr.digit_lines import _day_before_month
    from ocr.tesseract import Word

    def words(*texts):
        return [Word(t, 90.0, (30 * i, 0, 30 * i + 25, 20), (1, 1, 1)) for i, t in enumerate(texts)]

    assert _day_before_month(words("«", "กันยายน", "๒๕๔๘"), [0])
    assert _day_before_month(words("ข", "มี", "นาคม"), [0])  # a month cut into words
    assert not _day_before_month(words("ข", "นาคม"), [0])  # no month follows
    assert not _day_before_month(words("ของ", "กันยายน"), [0, 1])  # too long for a day


def test_a_day_tesseract_read_as_a_sign_is_read_by_the_model(tmp_path):
    """Tuning letter 500132 (Norasi, 240 dpi): the day ๙ came back ``«``, so
    the letter had no date."""
    from synthetic_letters import TUNING, scanned_page
    from ocr.page_reader import read_page

    page, dpi = scanned_page(TUNING[132], tmp_path)
    assert "๙ กันยายน ๒๕๔๘" in read_page(page, dpi).text


def test_a_line_run_with_fewer_digits_than_tesseracts_sure_arabic_is_not_used(tmp_path):
    """Tuning letter 500084: Tesseract read ``04171/`` right; the line's run,
    whose 0 the model took with ธ for one letter, had one digit fewer and
    once replaced it (``4171/``). Thai digits keep the one-digit allowance:
    Tesseract reads a ๘ it lacks as two digits."""
    from synthetic_letters import TUNING, scanned_page
    from ocr.page_reader import read_page

    page, dpi = scanned_page(TUNING[84], tmp_path)
    assert "04171/" in read_page(page, dpi).text
