"""`saraban extract`, `saraban ingest`, `saraban reindex`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import tempfile
import uuid
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.main import app, emit_json, err, handle_errors, settings
from index.sync import reindex as rebuild_index
from ingest.archive import Archive
from ingest.intake import FileOutcome, add_file, walk
from schemas.letter import ExtractResult
from schemas.tables import Record

if TYPE_CHECKING:  # heavy (Haystack): imported where a command needs it
    from ingest.runner import JobOutcome


@app.command()
@handle_errors
def extract(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="สแกนหรือไฟล์เอกสาร"),
    as_json: bool = typer.Option(False, "--json", help="พิมพ์ผลเป็น JSON"),
) -> None:
    """อ่านข้อมูลหนังสือจากไฟล์ โดยไม่บันทึก (extract metadata; stores nothing)."""
    from ingest.pipeline import TextPipeline

    pipeline = TextPipeline(settings(), jobs_per_file=settings().workers())
    with tempfile.TemporaryDirectory(prefix="saraban-extract-") as work:
        found = pipeline.run(file, Path(work))
    result = ExtractResult(**found.metadata.model_dump(), text=found.text, warnings=found.warnings)
    data = result.model_dump(mode="json")
    if as_json:
        emit_json(data)
        return
    for name in ("kind", "number", "date", "subject", "to", "from_org", "secrecy", "urgency"):
        conf = result.confidence.get(name, 0.0)
        typer.echo(f"{name:>10}: {data.get(name)}  ({conf:.2f})")


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=False)


@app.command()
@handle_errors
def ingest(
    paths: list[Path] = typer.Argument(..., help="ไฟล์หรือโฟลเดอร์ (folders are walked)"),
    as_json: bool = typer.Option(False, "--json", help="one JSON line per file"),
    actor: str = typer.Option("cli", help="who is ingesting (for the audit log)"),
) -> None:
    """นำเข้าไฟล์: เก็บ, OCR, อ่านข้อมูล, ทำดัชนี (ingest files and folders)."""
    from ingest.runner import Runner

    archive = Archive.open(settings())
    batch = uuid.uuid4().hex
    files = list(walk(paths))
    outcomes: list[FileOutcome] = []
    with _progress() as progress:
        task = progress.add_task("รับไฟล์ (storing)", total=len(files))
        for path in files:
            outcomes.append(add_file(archive, path, actor=actor, batch=batch))
            progress.advance(task)
        queued = sum(1 for o in outcomes if o.status == "stored")
        task = progress.add_task("อ่านข้อความ (OCR)", total=queued)
        by_job = Runner(archive).run(expected=queued,
                                     on_done=lambda _o: progress.advance(task))
    finished = {o.record_id: o for o in by_job}
    _complete(archive, outcomes, finished)
    for outcome in outcomes:
        if as_json:
            emit_json(outcome.as_json())
        else:
            colour = {"stored": "green", "duplicate": "yellow", "failed": "red"}[outcome.status]
            err.print(f"[{colour}]{outcome.status:9}[/{colour}] {outcome.file} "
                      f"{'#' + str(outcome.record_id) if outcome.record_id else ''} {outcome.error}")
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("stored", "duplicate", "failed")}
    err.print(f"เก็บแล้ว {counts['stored']} · ซ้ำ {counts['duplicate']} · ล้มเหลว {counts['failed']}")
    archive.close()
    if counts["failed"]:
        raise typer.Exit(2)


def _complete(archive: Archive, outcomes: list[FileOutcome],
              finished: dict[int, JobOutcome]) -> None:
    """Fill each stored file's outcome with its record's final status and metadata."""
    with archive.db.session() as session:
        for outcome in outcomes:
            if outcome.record_id is None:
                continue
            record = session.get(Record, outcome.record_id)
            if record is None:
                continue
            job = finished.get(outcome.record_id)
            if outcome.status == "stored" and (record.status == "failed" or
                                               (job and job.status == "failed")):
                outcome.status, outcome.error = "failed", record.error or (job.error if job else "")
            outcome.metadata = _metadata(record)


def _metadata(record: Record) -> dict[str, object]:
    return {
        "kind": record.kind, "number": record.number, "circular": record.circular,
        "date": record.date.isoformat() if record.date else None, "subject": record.subject,
        "to": record.to, "from_org": record.from_org,
        "secrecy": getattr(record.secrecy, "value", record.secrecy), "urgency": record.urgency,
        "references": record.references, "enclosures": record.enclosures,
        "confidence": record.confidence, "status": getattr(record.status, "value", record.status),
    }


@app.command()
@handle_errors
def reindex() -> None:
    """สร้างดัชนีค้นหาใหม่จากฐานข้อมูล (rebuild the search index from the store)."""
    archive = Archive.open(settings())
    with _progress() as progress:
        task = progress.add_task("ทำดัชนี (indexing)", total=None)
        done = rebuild_index(archive.db, archive.backend,
                             lambda n, total: progress.update(task, completed=n, total=total))
    err.print(f"ทำดัชนีแล้ว {done} ฉบับ (indexed {done} records)")
    archive.close()


@app.command()
@handle_errors
def resume() -> None:
    """ทำงานที่ค้างในคิวต่อให้เสร็จ (finish queued or interrupted ingest jobs)."""
    from ingest.runner import Runner

    archive = Archive.open(settings())
    with _progress() as progress:
        task = progress.add_task("อ่านข้อความ (OCR)", total=None)
        done = Runner(archive).run(on_done=lambda _o: progress.advance(task))
    err.print(f"ทำต่อเสร็จ {len(done)} งาน (resumed {len(done)} jobs)")
    archive.close()
