"""`saraban search`, `saraban suggest`, `saraban thread`."""

from __future__ import annotations

import typer

from cli.main import app, emit_json, err, handle_errors, settings
from index.backend import SearchRequest, SuggestRequest
from index.facets import FACET_TITLES, LABELS
from index.service import SearchResponse
from index.service import search as run_search
from index.thread_service import thread_of
from ingest.archive import Archive
from schemas.enums import Secrecy
from store.records import get_record

SORTS = ("relevance", "date_desc", "date_asc")


def parse_filters(values: list[str]) -> dict[str, list[str]]:
    """`FIELD=VALUE` options into {field: [values]}."""
    filters: dict[str, list[str]] = {}
    for item in values:
        field, sep, value = item.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise typer.BadParameter(f"--filter needs FIELD=VALUE, got {item!r}")
        filters.setdefault(field.strip(), []).append(value.strip())
    return filters


def _print_facets(response: SearchResponse) -> None:
    for name, values in response.facets.items():
        if values:
            shown = ", ".join(f"{LABELS.get(name, {}).get(v.value, v.value)} ({v.count})"
                              for v in values[:8])
            err.print(f"  {FACET_TITLES.get(name, name)} ({name}): {shown}", markup=False)


@app.command()
@handle_errors
def search(
    query: str = typer.Argument("", help="คำค้น: words, \"phrase\", OR, -exclude, prefix*, "
                                "เรื่อง:/จาก:/ถึง:/ที่:, 2561..2563, ม.ค. 2565, ประเภท:คำสั่ง"),
    filters: list[str] = typer.Option([], "--filter", "-f", help="FIELD=VALUE, e.g. year=2559"),
    limit: int = typer.Option(10, min=1, max=1000),
    sort: str = typer.Option("relevance", help="relevance | date_desc | date_asc"),
    clearance: Secrecy = typer.Option(Secrecy.top_secret, help="ชั้นความลับสูงสุดที่เห็นได้"),
    facets: bool = typer.Option(False, "--facets", help="print facet counts (always in --json)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """ค้นหาหนังสือ (search letters)."""
    if sort not in SORTS:
        raise typer.BadParameter(f"--sort must be one of {', '.join(SORTS)}")
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
    if response.did_you_mean:
        err.print(f"หรือท่านหมายถึง (did you mean): {response.did_you_mean}")
    for hit in response.hits:
        typer.echo(f"#{hit.record_id}  {hit.number or '-'}  {hit.date or '-'}  {hit.subject or hit.file}")
    if facets:
        _print_facets(response)


@app.command()
@handle_errors
def suggest(
    text: str = typer.Argument(..., help="ข้อความที่พิมพ์ไว้ (what has been typed so far)"),
    limit: int = typer.Option(8, min=1, max=50),
    clearance: Secrecy = typer.Option(Secrecy.top_secret, help="ชั้นความลับสูงสุดที่เห็นได้"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """คำแนะนำขณะพิมพ์จากเรื่องและส่วนราชการในคลัง (type-ahead suggestions)."""
    archive = Archive.open(settings())
    found = archive.backend.suggest(SuggestRequest(text, clearance, limit))
    archive.close()
    if as_json:
        emit_json({"suggestions": [{"text": s.text, "kind": s.kind, "count": s.count}
                                   for s in found]})
        return
    for item in found:
        typer.echo(f"{item.text}  ({item.kind}, {item.count})")


@app.command()
@handle_errors
def thread(
    record_id: int = typer.Argument(..., help="เลขเอกสาร (record id)"),
    clearance: Secrecy = typer.Option(Secrecy.top_secret, help="ชั้นความลับสูงสุดที่เห็นได้"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """สายหนังสือ: หนังสือที่อ้างถึง และหนังสือที่อ้างถึงฉบับนี้ (correspondence thread)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        record = get_record(session, record_id, clearance)
        found = thread_of(archive.db, archive.backend, record, clearance)
        title = f"#{record.id}  {record.number or '-'}  {record.date or '-'}  {record.subject or ''}"
    archive.close()
    if as_json:
        emit_json(found.as_json())
        return
    typer.echo(title)
    typer.echo("อ้างถึง (cites):")
    for ref in found.cites:
        matches = ", ".join(f"#{h.record_id} {h.subject or h.file}" for h in ref.letters)
        typer.echo(f"  {ref.number or '-'}  {ref.date or '-'}  → {matches or 'ไม่มีในคลัง (not in the archive)'}")
    typer.echo(f"หนังสือที่อ้างถึงฉบับนี้ (cited by, {len(found.cited_by)}):")
    for hit in found.cited_by:
        typer.echo(f"  #{hit.record_id}  {hit.number or '-'}  {hit.date or '-'}  {hit.subject or hit.file}")
