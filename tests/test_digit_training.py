"""The digit model's training script runs end to end and writes a model the reader loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ocr.digit_model import LABELS, DigitModel
from ocr.glyphs import FEATURES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_small_training_run_writes_a_model_and_its_scores(tmp_path: Path) -> None:
    out = tmp_path / "digits.npz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_digit_model.py"),
                    "--tokens", "300", "--epochs", "1", "--out", str(out),
                    "--hold-out", "Umpush"], check=True, capture_output=True, timeout=600)
    model = DigitModel(out)
    probabilities = model.probabilities(np.zeros((2, FEATURES), np.float32))
    assert probabilities.shape == (2, len(LABELS))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["held_out_font"] == "Umpush" and "Umpush" not in report["trained_on"]
    assert len(report["per_family"]) == 13
    assert 0.0 <= report["fresh_tokens"]["accuracy"] <= 1.0
