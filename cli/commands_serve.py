"""`saraban serve` and `saraban demo`."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.main import app, err, handle_errors, settings
from ingest.archive import Archive
from ingest.intake import add_file, walk
from schemas.enums import Role, Secrecy
from store.users import add_user, find_user

DEMO_USERS = (
    ("admin", "admin-demo-2567", Role.admin, Secrecy.top_secret, "ผู้ดูแลระบบ"),
    ("clerk", "clerk-demo-2567", Role.clerk, Secrecy.confidential, "เจ้าหน้าที่สารบรรณ"),
    ("reader", "reader-demo-2567", Role.reader, Secrecy.none, "ผู้อ่านทั่วไป"),
)
SAMPLE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif"}


def serve_archive(archive: Archive, host: str, port: int) -> None:
    """Serve the web UI until interrupted."""
    import uvicorn

    from web.app import create_app

    err.print(f"เปิดเว็บที่ http://{host}:{port}/ (web UI is up; Ctrl+C to stop)")
    uvicorn.run(create_app(archive), host=host, port=port, log_level="warning")


@app.command()
@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on (0.0.0.0 for the office LAN)"),
    port: int = typer.Option(8000),
) -> None:
    """เปิดเว็บ (serve the web UI)."""
    from cli.commands_index import start_outbox_thread
    from store.jobs import counts

    archive = Archive.open(settings())
    start_outbox_thread(archive)  # keeps the index in step with the store (issue 5)
    with archive.db.session() as session:
        left = counts(session)
    if left["queued"] or left["running"]:  # finish jobs a crash or restart left in the queue
        from ingest.runner import Runner  # Haystack and OCR: only when there is work

        Runner(archive).run()
    serve_archive(archive, host, port)


def find_samples() -> Path | None:
    """The shared sample letters beside the checkout, when present."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here.parent / "shared" / "letters", here / "shared" / "letters"):
        if candidate.is_dir():
            return candidate
    return None


def ensure_demo_users(archive: Archive) -> None:
    """Create the demo users once (development only)."""
    with archive.db.session() as session:
        for username, password, role, clearance, name in DEMO_USERS:
            if find_user(session, username) is None:
                add_user(session, username, password, role=role, clearance=clearance,
                         display_name=name)


@app.command()
@handle_errors
def demo(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    samples: Path | None = typer.Option(None, help="folder of letters (default: shared/letters"
                                        " beside the checkout, else generated ones)"),
    count: int = typer.Option(12, help="letters to generate when no sample folder is found"),
    no_serve: bool = typer.Option(False, "--no-serve", help="ingest only, do not serve"),
) -> None:
    """ตัวอย่าง: นำเข้าหนังสือตัวอย่างแล้วเปิดเว็บ (ingest sample letters, serve the web UI)."""
    from ingest.runner import Runner

    conf = settings()
    archive = Archive.open(conf)
    ensure_demo_users(archive)
    folder = samples or find_samples()
    if folder is None:
        from cli.samples import make_corpus

        folder = conf.home / "samples"
        if not any(folder.glob("*.pdf")):
            err.print(f"สร้างหนังสือตัวอย่าง {count} ฉบับ (generating {count} sample letters)")
            make_corpus(folder, count, seed=2567)
    files = [p for p in walk([folder]) if p.suffix.lower() in SAMPLE_SUFFIXES]
    err.print(f"นำเข้าหนังสือตัวอย่าง {len(files)} ไฟล์จาก {folder}")
    outcomes = [add_file(archive, path, actor="demo", batch="demo") for path in files]
    stored = sum(1 for o in outcomes if o.status == "stored")
    from rich.progress import Progress

    with Progress(console=err) as progress:
        task = progress.add_task("อ่านข้อความ (OCR)", total=stored)
        Runner(archive).run(expected=stored, on_done=lambda _o: progress.advance(task))
    for username, password, role, clearance, _ in DEMO_USERS:
        err.print(f"  ผู้ใช้ {username} / รหัสผ่าน {password}  ({role.value}, {clearance.value})")
    if not no_serve:
        serve_archive(archive, host, port)
