"""`saraban search`, `suggest` and `thread` over a small archive (in-process, CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_support import (PUBLIC_SUBJECT, REPLY_SUBJECT, SECRET_REPLY_SUBJECT, add_corpus,
                         add_thread, open_archive)

from cli.main import app


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive home with the three letters and a thread."""
    path = tmp_path_factory.mktemp("cli-search") / "home"
    archive = open_archive(path)
    corpus = add_corpus(archive)
    add_thread(archive, corpus)
    archive.close()
    return path


def _run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"SARABAN_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_search_json_with_query_language_and_facets(home):
    body = json.loads(_run(home, "search", "ประชุม 2559..2559", "--json", "--clearance", "none"))
    assert body["total"] >= 1 and {"month", "addressee", "register"} <= set(body["facets"])
    assert SECRET_REPLY_SUBJECT not in json.dumps(body, ensure_ascii=False)


def test_search_prints_did_you_mean_and_facets(home):
    result = CliRunner().invoke(app, ["search", "สถานทื่", "--facets", "--clearance", "none"],
                                env={"SARABAN_HOME": str(home)})
    assert "did you mean): สถานที่" in result.output and "ประเภท (kind)" in result.output


def test_suggest_respects_clearance(home):
    reader = json.loads(_run(home, "suggest", "รายงาน", "--clearance", "none", "--json"))
    assert SECRET_REPLY_SUBJECT not in str(reader)
    admin = json.loads(_run(home, "suggest", "รายงาน", "--json"))
    assert SECRET_REPLY_SUBJECT in [s["text"] for s in admin["suggestions"]]


def test_thread_both_ways(home):
    found = json.loads(_run(home, "search", "ศธ 04049/508", "--json"))
    public_id = next(h["record_id"] for h in found["hits"] if h["subject"] == PUBLIC_SUBJECT)
    reader = json.loads(_run(home, "thread", str(public_id), "--clearance", "none", "--json"))
    assert [h["subject"] for h in reader["cited_by"]] == [REPLY_SUBJECT]
    text = _run(home, "thread", str(public_id))
    assert REPLY_SUBJECT in text and SECRET_REPLY_SUBJECT in text  # the operator sees all
