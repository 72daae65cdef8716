"""The `saraban lend|return|loans` contract, through the real command (in-process runner)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from lending_support import ASCII_FILE, THAI_FILE, Desk, set_up_desk
from typer.testing import CliRunner
from web_support import open_archive

from cli.main import app
from schemas.clock import set_today


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """An archive with the desk set up, which the CLI opens through SARABAN_HOME."""
    home = tmp_path / "home"
    archive = open_archive(home)
    ids = set_up_desk(archive)
    archive.close()
    monkeypatch.setenv("SARABAN_HOME", str(home))
    monkeypatch.setenv("SARABAN_TODAY", "2025-03-03")
    yield ids
    set_today(None)  # `--today` fixes the date for the rest of the process


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def loans(*args: str) -> list[dict]:
    code, out, err = run("loans", *args, "--json")
    assert code == 0, err
    return json.loads(out)["loans"]


def test_lend_loans_return_contract(desk: Desk) -> None:
    code, _, err = run("lend", ASCII_FILE, "--to", "reader", "--due", "2025-03-10",
                       "--approved-by", "head")
    assert code == 0, err
    assert loans() == [{"item_id": ASCII_FILE, "borrower": "reader", "lent_on": "2025-03-03",
                        "due": "2025-03-10", "returned_on": None, "days_overdue": 0}]
    assert loans("--overdue") == []
    late = loans("--overdue", "--today", "2025-03-14")
    assert [(row["item_id"], row["days_overdue"]) for row in late] == [(ASCII_FILE, 4)]
    set_today(None)
    code, _, err = run("return", ASCII_FILE, "--by", "clerk")
    assert code == 0, err
    assert loans()[0]["returned_on"] == "2025-03-03"


def test_record_item_ids_and_lend_without_approval(desk: Desk) -> None:
    item = f"record:{desk.corpus.public}"
    code, _, err = run("lend", item, "--to", "reader", "--due", "2025-03-05")
    assert code == 0 and "รออนุมัติ" in err
    assert loans() == []  # requested, not handed out yet
    code, _, err = run("lend", item, "--to", "reader", "--due", "2025-03-05",
                       "--approved-by", "director")
    assert code == 0, err
    assert [row["item_id"] for row in loans()] == [item]


def test_cli_errors_are_clear_with_exit_codes(desk: Desk) -> None:
    code, _, err = run("lend", THAI_FILE, "--to", "reader", "--due", "2025-03-10",
                       "--approved-by", "director")
    assert code == 5 and "ชั้นความลับ" in err
    run("lend", ASCII_FILE, "--to", "reader", "--due", "2025-03-10", "--approved-by", "head")
    code, _, err = run("lend", ASCII_FILE, "--to", "clerk", "--due", "2025-03-10",
                       "--approved-by", "head")
    assert code == 7 and "ครั้งละหนึ่งคน" in err
    code, _, err = run("return", "ADM-02/2567")
    assert code == 7 and "ไม่ได้ถูกยืม" in err
    code, _, err = run("lend", "NO-SUCH", "--to", "reader", "--due", "2025-03-10")
    assert code == 4
    code, _, err = run("lend", ASCII_FILE, "--to", "reader", "--due", "10/03/2568")
    assert code == 2 and "YYYY-MM-DD" in err


def test_desk_print_writes_pdfs(desk: Desk, tmp_path: Path) -> None:
    run("lend", ASCII_FILE, "--to", "reader", "--due", "2025-03-04", "--approved-by", "head")
    for what, extra in (("card", ["--item", ASCII_FILE]), ("labels", []), ("overdue", []),
                        ("letters", [])):
        out = tmp_path / f"{what}.pdf"
        code, _, err = run("desk-print", what, "--out", str(out), "--today", "2025-03-20", *extra)
        assert code == 0, err
        assert out.read_bytes().startswith(b"%PDF")
