"""Broken, mislabelled and hostile files for intake tests."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

HOSTILE_NAME = "evil;rm -rf ~ $(x) <script>.pdf"
HOSTILE_TEXT = "\n".join([
    "หนังสือราชการ <script>alert('สวัสดี')</script>",
    "เรื่อง '; DROP TABLE records; -- ทดสอบ",
    "ที่ ศธ 04049/508\" OR 1=1 --",
    "<img src=x onerror=alert(1)> {{7*7}} ${7*7} %s%s%n",
    "ลับที่สุด \u202eฟดก\u202c ข้อความ\u200bซ่อน\ufeff",
    "ก" + "\u0e48" * 40 + "ำ" * 5 + "\u0e4d\u0e32",
    "../../etc/passwd ; rm -rf ~ ; $(reboot) `id`",
    "ยาว" * 60000,
]) + "\n"


def write_bad_files(out_dir: str | Path) -> dict[str, Path]:
    """Write files intake must refuse, flag or handle safely.

    Returns:
        Paths by name:
        `corrupt_pdf` (a PDF header, then garbage: unreadable),
        `truncated_pdf` (a real scan cut in half: readers may fail or recover),
        `empty_pdf` (zero bytes), `elf_as_pdf` (an ELF executable header renamed),
        `png_as_pdf` (a readable PNG scan with a `.pdf` name),
        `encrypted_pdf` (needs the user password `u`; owner `o`),
        `hostile_name_pdf` (a valid scan named `HOSTILE_NAME`),
        `hostile_text` (a `.txt` of script tags, SQL, bidi controls, a 120,000-character line).
    """
    from cli.samples import make_letter, render_pages, write_letter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    junk = random.Random(404).randbytes(4096)
    files = {
        "corrupt_pdf": out / "corrupt.pdf", "truncated_pdf": out / "truncated.pdf",
        "empty_pdf": out / "empty.pdf", "elf_as_pdf": out / "program.pdf",
        "png_as_pdf": out / "mislabelled_png.pdf", "encrypted_pdf": out / "encrypted.pdf",
        "hostile_name_pdf": out / HOSTILE_NAME, "hostile_text": out / "hostile.txt",
    }
    files["corrupt_pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog"
                                     b" /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Kids [" + junk)
    files["empty_pdf"].write_bytes(b"")
    files["elf_as_pdf"].write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8)
                                    + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + junk)
    truth = make_letter(404, kind="external", thai_digits=False, letter_id="B0000404", dpi=100)
    pages = render_pages(truth)
    with tempfile.TemporaryDirectory() as tmp:
        data = write_letter(truth, pages, tmp, "pdf").read_bytes()
    files["truncated_pdf"].write_bytes(data[: len(data) // 2])
    files["hostile_name_pdf"].write_bytes(data)
    pages[0].save(files["png_as_pdf"], "PNG", dpi=(100, 100))
    _encrypted_pdf(files["encrypted_pdf"])
    files["hostile_text"].write_text(HOSTILE_TEXT, encoding="utf-8")
    return files


def _encrypted_pdf(path: Path) -> None:
    """A one-page PDF with text, encrypted (user password `u`, owner `o`)."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 24 Tf 72 760 Td (Secret letter 04049/508) Tj ET")))
    pdf.pages.append(page)
    pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u"))
