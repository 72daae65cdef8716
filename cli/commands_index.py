"""`saraban worker` and `saraban index status` (issue 5): the outbox and the ingest queue."""

from __future__ import annotations

import signal
import threading

import typer
from sqlalchemy import func, select

from cli.main import app, emit_json, err, handle_errors, settings
from index.outbox import OutboxWorker
from ingest.archive import Archive
from schemas.errors import SearchUnavailable
from schemas.tables import Record
from store.outbox import lag

index_app = typer.Typer(help="ดัชนีค้นหา (search index)", no_args_is_help=True)
app.add_typer(index_app, name="index")


@app.command()
@handle_errors
def worker(
    poll: float = typer.Option(1.0, min=0.05, help="seconds between looks at an idle queue"),
) -> None:
    """ส่งการเปลี่ยนแปลงเข้าดัชนีค้นหาและอ่านไฟล์ที่ค้างในคิว (index outbox + ingest queue)."""
    from ingest.runner import Runner

    archive = Archive.open(settings())
    delivery = OutboxWorker(archive.db, archive.backend, poll_seconds=poll)
    stopping = delivery.stopping

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    thread = delivery.start()
    err.print(f"worker: ดัชนี {archive.settings.search} (index outbox and ingest queue; "
              "Ctrl+C to stop)")
    runner = Runner(archive)
    while not stopping.is_set():
        runner.run()
        stopping.wait(poll)
    thread.join()
    archive.close()


def start_outbox_thread(archive: Archive) -> threading.Thread:
    """The outbox delivery loop `saraban serve` runs beside the web app."""
    return OutboxWorker(archive.db, archive.backend).start()


@index_app.command("status")
@handle_errors
def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """ดัชนีตามฐานข้อมูลทันหรือไม่ (how far the search index lags behind the store)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        behind = lag(session)
        records = session.scalar(select(func.count()).select_from(Record)) or 0
    try:
        documents: int | None = archive.backend.count()
        reachable, problem = True, ""
    except SearchUnavailable as exc:
        documents, reachable, problem = None, False, exc.message
    archive.close()
    report = {
        "backend": archive.settings.search, "reachable": reachable, "documents": documents,
        "records": records, "pending": behind.pending, "failing": behind.failing,
        "lag_seconds": round(behind.seconds(), 1), "last_error": behind.last_error or problem,
        "next_try": behind.next_try.isoformat() if behind.next_try else None,
        "degraded": not reachable or behind.failing > 0,
    }
    if as_json:
        emit_json(report)
        return
    state = "ปกติ (ok)" if not report["degraded"] else "ทำงานไม่เต็มที่ (degraded)"
    err.print(f"ดัชนี {report['backend']}: {state}")
    typer.echo(f"documents in index: {documents if documents is not None else 'unreachable'}")
    typer.echo(f"records in store:   {records}")
    typer.echo(f"changes waiting:    {behind.pending} (failing {behind.failing}), "
               f"oldest {report['lag_seconds']} s")
    if report["last_error"]:
        typer.echo(f"last error:         {report['last_error']}")
