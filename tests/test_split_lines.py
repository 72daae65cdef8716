"""A printed line Tesseract took in two blocks is one line again (`ocr.split_lines`)."""

import pytest

from ocr.split_lines import rejoin_split_lines
from ocr.tesseract import Word

#: Tuning letter 500921 (300 dpi) as Tesseract read it: the start of the ที่
#: line in block 3, under the indented ``เขตพื้นที่…`` of block 4, whose third
#: line holds the rest of it.
SPLIT = [
    Word("ที่", 75.0, (370, 562, 414, 688), (3, 1, 1)),
    Word("ศ", 93.0, (442, 606, 511, 647), (3, 1, 1)),
    Word("ธ", 93.0, (479, 574, 509, 670), (3, 1, 1)),
    Word("0420", 92.0, (541, 602, 672, 650), (3, 1, 1)),
    Word("เขต", 97.0, (719, 455, 802, 494), (4, 1, 1)),
    Word("พิษณุโลก", 93.0, (716, 499, 946, 598), (4, 1, 2)),
    Word("8/2577", 92.0, (678, 577, 857, 653), (4, 1, 3)),
    Word("วันที่", 93.0, (1319, 589, 1464, 703), (4, 1, 3)),
    Word("2553", 93.0, (1763, 623, 1890, 671), (4, 1, 3)),
    Word("เรื่อง", 93.0, (376, 660, 484, 768), (5, 1, 1)),
]


def _lines(words: list[Word]) -> list[list[str]]:
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    return list(lines.values())


def test_a_line_tesseract_took_in_two_blocks_is_one_line_with_its_number_whole():
    assert _lines(rejoin_split_lines(SPLIT)) == [
        ["ที่", "ศ", "ธ", "04208/2577", "วันที่", "2553"],
        ["เขต"], ["พิษณุโลก"], ["เรื่อง"]]


def test_the_seam_keeps_a_space_that_is_there():
    """Parts apart by more than `SEAM_GAP` heights stay two words."""
    apart = [w if w.text != "8/2577" else Word("8/2577", 92.0, (700, 577, 857, 653), w.line)
             for w in SPLIT]
    assert _lines(rejoin_split_lines(apart))[0] == ["ที่", "ศ", "ธ", "0420", "8/2577", "วันที่",
                                                     "2553"]


@pytest.mark.parametrize("shift, reason", [
    (400, "a column far to the right (the office's address beside ที่)"),
    (-200, "a line that starts before the other ends"),
])
def test_lines_side_by_side_but_not_continuing_stay_apart(shift, reason):
    line = [Word("ที่", 90.0, (100, 100, 140, 150), (1, 1, 1)),
            Word("๑๒๓/๒๕๖๗", 90.0, (160, 105, 400, 150), (1, 1, 1))]
    other = [Word("โทร", 90.0, (400 + shift, 100, 480 + shift, 150), (2, 1, 1)),
             Word("๐๒๑๒", 90.0, (500 + shift, 105, 600 + shift, 150), (2, 1, 1))]
    assert len(_lines(rejoin_split_lines(line + other))) == 2, reason


def test_lines_on_other_rows_stay_apart():
    line = [Word("ที่", 90.0, (100, 100, 140, 150), (1, 1, 1))]
    below = [Word("เรื่อง", 90.0, (150, 140, 260, 190), (2, 1, 1))]  # starts where it ends, lower
    assert _lines(rejoin_split_lines(line + below)) == [["ที่"], ["เรื่อง"]]


def test_a_memo_whose_number_line_tesseract_split_reads_its_number_whole(tmp_path):
    """Tuning letter 500921 read from its scan: the number was ``ศธ 8/2577``."""
    from ocr.page_reader import read_page
    from synthetic_letters import TUNING, scanned_page

    page, dpi = scanned_page(TUNING[921], tmp_path)
    text = read_page(page, dpi).text
    assert "04208/2577" in text.replace(" ", "")
    assert "8/2577" not in text.replace("04208/2577", "")
