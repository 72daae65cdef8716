"""`saraban search`."""

from __future__ import annotations

import typer

from cli.main import app, emit_json, err, handle_errors, settings
from index.backend import SearchRequest
from index.service import search as run_search
from ingest.archive import Archive
from schemas.enums import Secrecy


def parse_filters(values: list[str]) -> dict[str, list[str]]:
    """`FIELD=VALUE` options into {field: [values]}."""
    filters: dict[str, list[str]] = {}
    for item in values:
        field, sep, value = item.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise typer.BadParameter(f"--filter needs FIELD=VALUE, got {item!r}")
        filters.setdefault(field.strip(), []).append(value.strip())
    return filters


@app.command()
@handle_errors
def search(
    query: str = typer.Argument("", help="คำค้น (words, \"phrases\", -exclude, OR, ที่/number)"),
    filters: list[str] = typer.Option([], "--filter", "-f", help="FIELD=VALUE, e.g. year=2559"),
    limit: int = typer.Option(10, min=1, max=1000),
    sort: str = typer.Option("relevance", help="relevance | date_desc | date_asc"),
    clearance: Secrecy = typer.Option(Secrecy.top_secret, help="ชั้นความลับสูงสุดที่เห็นได้"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """ค้นหาหนังสือ (search letters)."""
    archive = Archive.open(settings())
    request = SearchRequest(query=query, filters=parse_filters(filters), clearance=clearance,
                            limit=limit, sort=sort)
    response = run_search(archive.db, archive.backend, request)
    archive.close()
    if response.degraded:
        err.print(f"[yellow]{response.degraded}[/yellow]")
    if as_json:
        emit_json(response.as_json())
        return
    err.print(f"พบ {response.total} ฉบับ (found {response.total})")
    for hit in response.hits:
        typer.echo(f"#{hit.record_id}  {hit.number or '-'}  {hit.date or '-'}  {hit.subject or hit.file}")
