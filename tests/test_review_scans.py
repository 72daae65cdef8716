"""Field boxes from a real scan: the page reader's words give each field its place (issue #3).

One rendered letter through real Tesseract (a few seconds), so it is marked slow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import open_archive

from cli.samples import make_letter, render_pages, write_letter
from ingest.archive import Archive
from ingest.intake import add_file
from ingest.runner import Runner
from schemas.tables import Record

pytestmark = pytest.mark.slow


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """A fresh archive with the test users."""
    opened = open_archive(tmp_path / "home")
    yield opened
    opened.close()


def test_a_scanned_letter_gets_boxes_in_scan_pixels(archive: Archive, tmp_path: Path):
    truth = make_letter(21, kind="external", thai_digits=False, secrecy="none",
                        urgency="urgent", dpi=200)
    scan = write_letter(truth, render_pages(truth, noise=0.01, skew_deg=0.3), tmp_path, "png")
    outcome = add_file(archive, scan, actor="test", batch="s1")
    Runner(archive, workers=1).run()
    with archive.db.session() as session:
        record = session.get(Record, outcome.record_id)
        assert record is not None
        sources, number, subject = record.field_sources, record.number, record.subject
    assert number and subject, "the letter was read"
    width, height = sources["subject"]["size"]
    assert sources["subject"]["dpi"] == 200 and 1500 < width < 1800  # A4 at 200 dpi, pixels
    for name in ("number", "date", "subject", "to"):
        source = sources[name]
        x0, y0, x1, y1 = source["box"]
        assert source["page"] == 1 and 0 <= x0 < x1 <= width and 0 <= y0 < y1 < height / 2
    # A letter prints ที่ above เรื่อง above เรียน.
    assert sources["number"]["box"][1] < sources["subject"]["box"][1] < sources["to"]["box"][1]
