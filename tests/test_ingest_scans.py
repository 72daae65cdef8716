"""Round trip with real Tesseract: rendered Thai letters in, found again by search.

The letters are rendered by the project's own generator (cli.samples);
Arabic digits are used because Tesseract's Thai model cannot read ๔๖๗๘๙.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from cli.samples import make_letter, render_pages, search_word, write_letter
from cli.samples_bad import write_bad_files
from schemas.text import fold

pytestmark = pytest.mark.slow


def saraban(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SARABAN_HOME=str(home), SARABAN_OCR_WORKERS="2")
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, timeout=900, check=False)


def similar(a: str | None, b: str) -> float:
    return SequenceMatcher(None, fold(a or "").replace(" ", ""), fold(b).replace(" ", "")).ratio()


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> tuple[Path, list[dict], dict[str, Path]]:
    root = tmp_path_factory.mktemp("scans")
    letters = root / "letters"
    truths = []
    for seed, kind, fmt in ((11, "external", "pdf"), (12, "memo", "png"), (13, "order", "pdf")):
        truth = make_letter(seed, kind=kind, thai_digits=False, secrecy="none", urgency="normal")
        scan = write_letter(truth, render_pages(truth, noise=0.01, skew_deg=0.4), letters, fmt)
        scan.with_name(f"{truth['id']}.json").unlink()
        truth["path"] = str(scan)
        truths.append(truth)
    bad = write_bad_files(root / "bad")
    return letters, truths, bad


@pytest.fixture(scope="module")
def ingested(scans, tmp_path_factory):
    letters, truths, bad = scans
    home = tmp_path_factory.mktemp("home")
    inputs = [str(letters), str(bad["corrupt_pdf"]), str(bad["empty_pdf"]),
              str(bad["elf_as_pdf"]), str(bad["encrypted_pdf"]), str(bad["hostile_text"])]
    done = saraban(home, "ingest", *inputs, "--json")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return home, done, {line["file"]: line for line in lines}


def test_bad_files_fail_clearly_and_good_files_are_stored(scans, ingested):
    letters, truths, bad = scans
    _home, done, by_file = ingested
    assert done.returncode == 2, done.stderr[-2000:]
    for truth in truths:
        assert by_file[truth["path"]]["status"] == "stored", by_file[truth["path"]]
    for name, hint in (("corrupt_pdf", "PDF"), ("empty_pdf", "ว่าง"), ("elf_as_pdf", "โปรแกรม"),
                       ("encrypted_pdf", "เข้ารหัส")):
        outcome = by_file[str(bad[name])]
        assert outcome["status"] == "failed" and hint in outcome["error"], outcome
        assert outcome["record_id"] is not None  # recorded as a failed record, nothing lost
    assert by_file[str(bad["hostile_text"])]["status"] == "stored"


def test_round_trip_reads_the_letter(scans, ingested):
    _letters, truths, _bad = scans
    _home, _done, by_file = ingested
    for truth in truths:
        meta = by_file[truth["path"]]["metadata"]
        assert meta["kind"] == truth["kind"]
        assert meta["number"] == truth["number"]
        assert meta["date"] == truth["date"]
        assert similar(meta["subject"], truth["subject"]) >= 0.8, (meta["subject"], truth["subject"])
        assert 0.0 <= meta["confidence"]["subject"] <= 1.0


def test_each_letter_is_found_by_a_word_of_its_subject(scans, ingested):
    _letters, truths, _bad = scans
    home, _done, by_file = ingested
    for truth in truths:
        found = json.loads(saraban(home, "search", search_word(truth), "--json").stdout)
        top = [hit["record_id"] for hit in found["hits"]]
        assert by_file[truth["path"]]["record_id"] in top
        number = json.loads(saraban(home, "search", truth["number"], "--json").stdout)
        assert number["hits"][0]["record_id"] == by_file[truth["path"]]["record_id"]
        assert {"year", "kind", "secrecy", "urgency", "sender"} <= set(number["facets"])


def test_ingesting_again_reports_duplicates(scans, ingested):
    letters, truths, _bad = scans
    home, _done, by_file = ingested
    again = saraban(home, "ingest", str(letters), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    lines = [json.loads(line) for line in again.stdout.splitlines()]
    assert {line["status"] for line in lines} == {"duplicate"}
    assert {line["record_id"] for line in lines} == {by_file[t["path"]]["record_id"] for t in truths}


def test_extract_stores_nothing_and_prints_the_contract(scans, tmp_path):
    _letters, truths, _bad = scans
    done = saraban(tmp_path / "home", "extract", truths[0]["path"], "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert set(data) >= {"kind", "number", "circular", "date", "subject", "to", "from_org",
                         "secrecy", "urgency", "references", "enclosures", "text", "confidence"}
    assert data["number"] == truths[0]["number"]
    assert not (tmp_path / "home" / "saraban.db").exists()
