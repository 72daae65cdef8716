"""The line reader (CRNN + CTC, `ocr.line_model`): its alphabet, its decoding,
its numpy network against the trained one, and what the shipped model reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ocr.line_model import ALPHABET, BLANK, HEIGHT, LETTER, STRIDE, LineModel, decode, label_text
from ocr.line_model import normalise

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def test_labels_keep_digits_and_separators_and_fold_letters() -> None:
    assert label_text("ที่ ศธ ๐๔๐๔๙/ว๕๖๗๘") == "###๐๔๐๔๙/ว๕๖๗๘"
    assert label_text("๑๒ ม.ค. 2567") == "๑๒#.#.2567"
    # marks above and below belong to their letter; NFD input is the same line
    assert label_text("ที่") == label_text("ท\u0e35\u0e48") == LETTER


def test_best_path_merges_repeats_and_drops_blanks() -> None:
    p = np.full((8, len(ALPHABET) + 1), 0.001, np.float32)
    path = [BLANK, 1, 1, BLANK, 1, ALPHABET.index("/"), BLANK, ALPHABET.index(LETTER)]
    for t, k in enumerate(path):
        p[t, k] = 0.9
    symbols = decode(p)
    assert "".join(s.text for s in symbols) == "๑๑/" + LETTER
    assert symbols[0].x0 == STRIDE and symbols[0].x1 == 3 * STRIDE  # two columns, one symbol
    assert all(abs(s.confidence - 0.9) < 1e-6 for s in symbols)


def test_a_band_is_scaled_to_the_networks_height_with_ink_one() -> None:
    crop = np.full((80, 300), 230, np.uint8)
    crop[30:50, 40:60] = 20
    band = normalise(crop)
    assert band.shape == (HEIGHT, 150)
    assert band.max() == pytest.approx(1.0) and band.min() == 0.0
    assert band[20, 25] > 0.9 and band[2, 2] == 0.0


def test_numpy_reader_gives_what_pytorch_computed_for_the_shipped_weights() -> None:
    """The training script stores one band and PyTorch's probabilities for it
    with the shipped weights (batch norm folded, LSTM gates in PyTorch's
    order); the numpy reader must give the same."""
    with np.load(ROOT / "ocr" / "models" / "digit_lines.npz") as data:
        band, want = data["check_band"], data["check_probabilities"]
    got = LineModel().probabilities(band)
    assert got.shape == want.shape == (band.shape[1] // STRIDE, len(ALPHABET) + 1)
    assert np.abs(got - want).max() < 1e-4


def test_training_lines_are_drawn_from_the_seed_with_their_labels() -> None:
    """The training script's lines (`scripts/line_samples.py`; training itself
    needs PyTorch, which the test machine does not install): the same seed
    gives the same bands, each as tall as the network reads and two pixels
    wide a symbol at least, its label in the reader's alphabet."""
    from line_samples import batch

    first, again = batch(11, 30), batch(11, 30)
    assert [label for _, label in first] == [label for _, label in again]
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(first, again))
    for band, label in first:
        assert band.shape[0] == HEIGHT and band.shape[1] >= 2 * len(label)
        assert set(label) <= set(ALPHABET)
    assert any(any(ch.isdigit() for ch in label) for _, label in first)


def clean_band(text: str, family: str, px: int = 44) -> np.ndarray:
    """`text` printed plainly in `family`, cut as a line band (tone marks half in)."""
    from PIL import Image, ImageDraw
    from train_digit_model import font

    f = font(family, px, False)
    image = Image.new("L", (int(f.getlength(text)) + 4 * px, 4 * px), 250)
    draw = ImageDraw.Draw(image)
    draw.text((px, px), text, font=f, fill=30)
    top, base = draw.textbbox((0, px), "0๐", font=f)[1::2]
    h = base - top
    return np.asarray(image)[int(top - 0.4 * h):int(base + 0.3 * h), px // 2:-px]


@pytest.mark.parametrize("family", ["Laksaman", "Garuda", "Purisa", "Kinnari", "Umpush"])
@pytest.mark.parametrize("text", ["ที่ ศธ ๐๔๐๔๙/ว๕๖๗๘", "๒๙ กันยายน ๒๕๖๘", "ที่ กษ 0409.2/1787",
                                  "เลขรับ ๓๖๑๘"])
def test_the_shipped_model_reads_number_and_date_lines(family: str, text: str) -> None:
    got = "".join(s.text for s in LineModel().read(clean_band(text, family)))
    assert got.replace(LETTER, "") == label_text(text).replace(LETTER, "")


def test_the_shipped_model_has_its_scores_beside_it() -> None:
    report = json.loads((ROOT / "ocr" / "models" / "digit_lines.json").read_text(encoding="utf-8"))
    assert report["fresh_lines"]["digits_right"] >= 0.95
    assert len(report["per_family"]) == 13
    assert subprocess.run([sys.executable, "-c", "import ocr.line_model"], cwd=ROOT).returncode == 0


def _line(parts: list[str], family: str = "Laksaman", px: int = 44):
    """A band printing `parts` (space apart) and each part's box in its pixels."""
    from PIL import Image, ImageDraw
    from train_digit_model import font

    f = font(family, px, False)
    text = " ".join(parts)
    image = Image.new("L", (int(f.getlength(text)) + 4 * px, 4 * px), 250)
    draw = ImageDraw.Draw(image)
    draw.text((px, px), text, font=f, fill=30)
    top, base = draw.textbbox((0, px), "0๐", font=f)[1::2]
    h = base - top
    y0, y1 = int(top - 0.4 * h), int(base + 0.3 * h)
    boxes, x = [], float(px)
    for part in parts:
        box = draw.textbbox((x, px), part, font=f)
        boxes.append((int(box[0]), 0, int(box[2]), y1 - y0))
        x += f.getlength(part + " ")
    return np.asarray(image)[y0:y1], boxes


@pytest.mark.parametrize("family", ["Laksaman", "Garuda", "Umpush"])
@pytest.mark.parametrize(("printed", "read"), [
    ("103/2560", "10,3/2560"),            # a speck read as a comma inside the number
    ("๐๔๐๖๔.๐๙๖/ว๒๔๓๖", "๐๔๐๖๔๐๙๖/ว๒๔๓๖"),  # the sub-unit's dot lost
    ("๐๒๔๙/๓๕๔๒", "๐๒๔๙/๓๕๔๗"),          # one digit read as another
])
def test_the_line_reader_mends_a_number_it_surely_reads_otherwise(family, printed, read):
    from ocr.line_check import check_line
    from ocr.tesseract import Word

    crop, boxes = _line(["ที่", "ศธ", printed], family)
    words = [Word("ที่", 90.0, boxes[0], (1, 1, 1)), Word("ศธ", 90.0, boxes[1], (1, 1, 1)),
             Word(read, 90.0, boxes[2], (1, 1, 1))]
    doubtful: list[str] = []
    out = check_line(words, crop, 0, doubtful)
    assert [w.text for w in out] == ["ที่", "ศธ", printed]
    assert doubtful == [printed]  # two readers disagreed: a number holding it is not sure


@pytest.mark.parametrize("family", ["Laksaman", "Purisa"])
def test_the_line_reader_leaves_agreeing_and_other_length_readings(family):
    from ocr.line_check import check_line
    from ocr.tesseract import Word

    crop, boxes = _line(["ที่", "๐๔๐๔๙/ว๕๖๗๘"], family)
    for read in ("๐๔๐๔๙/ว๕๖๗๘", "๐๔๐๔๙/ว๕๖๗", "๐๔๐๔๙/ว๕๖๗๘๘"):
        words = [Word("ที่", 90.0, boxes[0], (1, 1, 1)), Word(read, 90.0, boxes[1], (1, 1, 1))]
        doubtful: list[str] = []
        assert [w.text for w in check_line(words, crop, 0, doubtful)] == ["ที่", read]
        assert doubtful == []


def test_a_run_reaching_past_the_word_is_not_its_reading():
    """Letter-spaced digits, one word each: the line reader's run covers them
    all, so it is no one word's reading."""
    from ocr.line_check import check_line
    from ocr.tesseract import Word

    crop, boxes = _line(["วันที่", "๑๒", "๓๔", "๕๖"])
    words = [Word("วันที่", 90.0, boxes[0], (1, 1, 1))] + [
        Word(t, 90.0, b, (1, 1, 1)) for t, b in zip(("๑๗", "๓๔", "๕๖"), boxes[1:])]
    assert [w.text for w in check_line(words, crop, 0, [])] == ["วันที่", "๑๗", "๓๔", "๕๖"]


def test_a_model_of_another_alphabet_is_refused(tmp_path: Path) -> None:
    with np.load(ROOT / "ocr" / "models" / "digit_lines.npz") as data:
        arrays = {k: data[k] for k in data.files}
    arrays["alphabet"] = np.array(ALPHABET[::-1])
    np.savez(tmp_path / "other.npz", **arrays)
    with pytest.raises(ValueError, match="another alphabet"):
        LineModel(tmp_path / "other.npz")
