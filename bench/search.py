"""Search benchmark: corpus, full reindex, query latency with facets, web server memory.

Usage::

    nice .venv/bin/python bench/search.py --records 100000 [--home DIR] [--queries 300]
        [--search embedded|opensearch] [--heap 2g]

Writes `--records` realistic records (bench/search_corpus.py) straight into a
fresh archive's SQLite store, runs `saraban reindex`'s code path (index.sync
.reindex) and times it, then times searches as a reader (clearance none) with
facets, first through the backend alone and then through the search service
(hits read from the store, snippets highlighted), and finally starts
`saraban serve` on that archive, sends it searches over HTTP and reads its
resident memory from /proc. Prints figures; asserts nothing.

With `--search opensearch` the same store is reindexed into a local
single-node OpenSearch that the script starts (the test suite's
tests/servers.py, `--heap`), through the same `saraban reindex` path (a new
versioned index, bulk-loaded, swapped in behind the alias), and the same
queries are timed against it. Run it on the same `--home` with `--reuse` to
compare both backends on one corpus. The node uses every core, as a
production node would (the test suite's nodes keep to one); `--node-dir`
keeps it, and a later `--reuse` run searches its index without reindexing.
`--slowest N` lists the first pass's slowest queries.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from sqlalchemy import insert  # noqa: E402

from bench.search_corpus import letter_pool, records  # noqa: E402
from cli.samples import search_word  # noqa: E402
from index.analysis import segment  # noqa: E402
from index.backend import SearchRequest  # noqa: E402
from index.service import search  # noqa: E402
from index.sync import reindex  # noqa: E402
from ingest.archive import Archive  # noqa: E402
from schemas.enums import Role, Secrecy  # noqa: E402
from schemas.settings import Settings  # noqa: E402
from schemas.tables import Record, StoredFile  # noqa: E402
from schemas.text import to_thai_digits  # noqa: E402
from store.users import add_user  # noqa: E402

PASSWORD = "bench-password-2567"
INSERT_BATCH = 5000
WARM_UP = 50


def fill_store(archive: Archive, n: int, pool: list[dict]) -> float:
    """Insert `n` records (and a file row each); return seconds taken."""
    started = time.perf_counter()
    files, rows = [], []
    with archive.db.engine.begin() as conn:
        for row in records(n, pool):
            files.append({"id": row["id"], "sha256": f"{row['id']:064x}", "size": len(row["text"]),
                          "mime": "application/pdf", "original_name": f"{row['id']}.pdf"})
            rows.append(row | {"file_id": row["id"], "version": 1, "indexed_version": 0,
                               "raw_text": "", "confidence": {}, "warnings": []})
            if len(rows) >= INSERT_BATCH:
                conn.execute(insert(StoredFile), files)
                conn.execute(insert(Record), rows)
                files, rows = [], []
        if rows:
            conn.execute(insert(StoredFile), files)
            conn.execute(insert(Record), rows)
    return time.perf_counter() - started


def query_set(pool: list[dict], n: int, seed: int = 11) -> list[tuple[str, dict[str, list[str]]]]:
    """Clerk-style queries: subject words, phrases, names, numbers, with and without filters."""
    rng = random.Random(seed)
    sample = list(records(2000, pool, seed=7))  # the first records of the corpus
    out: list[tuple[str, dict[str, list[str]]]] = []
    while len(out) < n:
        letter = rng.choice(pool)
        row = rng.choice(sample)
        kind = rng.randrange(8)
        if kind == 0:
            query = search_word(letter)
        elif kind == 1:  # the first words of a subject, whole, as a quoted phrase
            query = f'"{"".join(segment(letter["subject"].split()[0])[:3])}"'
        elif kind == 2:
            query = letter["signer"].split(" ", 1)[-1] if " " in letter["signer"] else "ครู"
        elif kind == 3:
            query = to_thai_digits(row["number"]) if rng.random() < 0.5 else row["number"]
        elif kind == 4:
            query = f"{search_word(letter)} {rng.randint(2550, 2568)}..{rng.randint(2560, 2569)}"
        elif kind == 5:
            query = f"{search_word(letter)} OR ประชุม -อบรม"
        elif kind == 6:
            query = f"เรื่อง:{search_word(letter)} จาก:{row['from_org'][-12:].split()[0]}"
        else:
            query = rng.choice(("ประชุม", "ขอความอนุเคราะห์", "โรงเรียน", "ครู*", "ราชพัสดุ",
                                "งบประมาณ", "ม.ค. 2560", "นักเรียน"))
        filters: dict[str, list[str]] = {}
        if rng.random() < 0.3:
            filters["kind"] = [rng.choice(("external", "memo", "order"))]
        if rng.random() < 0.2:
            filters["year"] = [str(rng.randint(2548, 2568))]
        out.append((query, filters))
    return out


def percentiles(samples: list[float]) -> str:
    """p50 / p95 / max in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"max {ordered[-1] * 1000:.1f} ms")


def time_queries(archive: Archive, queries, through_service: bool) -> list[float]:
    """Latency of each query as a reader with facets (page of 20, relevance order)."""
    times = []
    for query, filters in queries:
        request = SearchRequest(query=query, filters=filters, clearance=Secrecy.none, limit=20)
        started = time.perf_counter()
        if through_service:
            search(archive.db, archive.backend, request)
        else:
            archive.backend.search(request)
        times.append(time.perf_counter() - started)
    return times


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kb(pid: int) -> tuple[int, int, int, int]:
    """VmRSS, VmHWM (peak), RssAnon (heap) and RssFile (mapped files: code, index) in kB."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return tuple(int(fields[name].split()[0])  # type: ignore[return-value]
                 for name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"))


def measure_server(home: Path, settings: Settings, queries) -> str:
    """Serve the archive with `saraban serve`, search over HTTP, read the server's memory."""
    import httpx

    port = _free_port()
    env = dict(os.environ, SARABAN_HOME=str(home), PYTHONPATH=str(ROOT),
               SARABAN_SEARCH=settings.search, SARABAN_OPENSEARCH_URL=settings.opensearch_url,
               SARABAN_OPENSEARCH_INDEX=settings.opensearch_index)
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    return "server did not start: " + (proc.stderr.read() or b"").decode()[-500:]
                time.sleep(0.5)
        idle = _rss_kb(proc.pid)[0]
        with httpx.Client(base_url=base, timeout=60) as client:
            client.post("/login", data={"username": "bench", "password": PASSWORD})
            times = []
            for query, filters in queries:
                params = [("q", query)] + [("f", f"{k}:{v}") for k, vs in filters.items()
                                           for v in vs]
                started = time.perf_counter()
                client.get("/", params=params).raise_for_status()
                times.append(time.perf_counter() - started)
            client.get("/api/suggest", params={"q": "การ"})
        rss, peak, anon, mapped = _rss_kb(proc.pid)
        return (f"web server RSS: idle {idle / 1024:.0f} MB, after {len(queries)} search pages "
                f"{rss / 1024:.0f} MB (peak {peak / 1024:.0f} MB; heap {anon / 1024:.0f} MB, "
                f"mapped files incl. the index {mapped / 1024:.0f} MB); search page over HTTP "
                f"{percentiles(times)}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="the store (and the embedded index) already in --home")
    parser.add_argument("--search", choices=("embedded", "opensearch"), default="embedded")
    parser.add_argument("--heap", default="2g", help="OpenSearch heap")
    parser.add_argument("--node-dir", type=Path, default=None,
                        help="keep the OpenSearch node here; with --reuse, an index that "
                             "already holds the store is searched without reindexing")
    parser.add_argument("--node-cpus", type=int, default=None,
                        help="CPUs the OpenSearch JVM may use (default: all, as in production)")
    parser.add_argument("--slowest", type=int, default=0,
                        help="also list the N slowest queries of the first pass")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="saraban-search-bench-"))
    node = None
    settings = Settings(home=home)
    if args.search == "opensearch":
        from servers import OpenSearchNode, server_root

        root = args.node_dir or server_root("bench")
        root.mkdir(parents=True, exist_ok=True)
        # All cores, as a production node (the test suite's nodes keep to one).
        node = OpenSearchNode(root, heap=args.heap, processors=args.node_cpus).start()
        settings = Settings(home=home, search="opensearch", opensearch_url=node.url,
                            opensearch_index="bench", opensearch_timeout=300)
    try:
        run(args, home, settings)
    finally:
        if node is not None:
            node.stop()
            if args.node_dir is None:
                shutil.rmtree(node.root, ignore_errors=True)


def run(args: argparse.Namespace, home: Path, settings: Settings) -> None:
    """Build (or reuse) the corpus, index it, time searches and the web server."""
    archive = Archive.open(settings)
    print(f"records {args.records:,}  home {home}  search {args.search}  cores {os.cpu_count()}")
    started = time.perf_counter()
    pool = letter_pool()
    print(f"letter pool: {len(pool)} letters in {time.perf_counter() - started:.1f} s")
    if not args.reuse:
        with archive.db.session() as session:
            add_user(session, "bench", PASSWORD, role=Role.reader, clearance=Secrecy.none)
        print(fill(archive, args.records, pool))
    if not args.reuse or (args.search == "opensearch" and not _index_holds_store(archive)):
        print(timed_reindex(archive))
    queries = query_set(pool, args.queries)
    # A server starts cold (OpenSearch's JIT, the first facet counts): 50 other
    # queries first, so the first pass measures the queries, not the start-up.
    time_queries(archive, query_set(pool, WARM_UP, seed=99), through_service=False)
    first = time_queries(archive, queries, through_service=False)
    print(f"backend search, facets on ({len(queries)} queries after {WARM_UP} others), "
          f"first pass: {percentiles(first)}")
    for took, (query, filters) in sorted(zip(first, queries), key=lambda x: -x[0])[:args.slowest]:
        print(f"  {took * 1000:7.1f} ms  {query}  {filters or ''}")
    print(f"backend search, facets on, same queries again (warm): "
          f"{percentiles(time_queries(archive, queries, through_service=False))}")
    print(f"search service incl. store rows and snippets (warm): "
          f"{percentiles(time_queries(archive, queries, through_service=True))}")
    archive.close()
    if not args.no_server:
        print(measure_server(home, settings, query_set(pool, 200, seed=12)))


def fill(archive: Archive, n: int, pool: list[dict]) -> str:
    """Fill the store with `n` records."""
    took = fill_store(archive, n, pool)
    sample = min(n, 2000)
    chars = sum(len(r["text"]) for r in records(sample, pool)) / sample
    return (f"store filled: {took:.1f} s ({n / took:,.0f} records/s), "
            f"mean text {chars:,.0f} characters")


def _index_holds_store(archive: Archive) -> bool:
    """Whether the backend already has every record of the store (a kept node)."""
    from sqlalchemy import func, select

    with archive.db.session() as session:
        stored = session.scalar(select(func.count()).select_from(Record))
    try:
        return archive.backend.count() == stored
    except Exception:  # noqa: BLE001 - no index yet: reindex
        return False


def timed_reindex(archive: Archive) -> str:
    """Time a full `saraban reindex` into the archive's backend."""
    started = time.perf_counter()
    done = reindex(archive.db, archive.backend)
    took = time.perf_counter() - started
    return (f"full reindex: {done:,} records in {took:.1f} s = {done / took:,.0f} records/s; "
            f"index {index_megabytes(archive):,.0f} MB")


def index_megabytes(archive: Archive) -> float:
    """The index's size on disk: Tantivy's folder, or OpenSearch's primary store."""
    if archive.settings.search == "opensearch":
        from index.opensearch_client import connect

        client = connect(archive.settings)
        stats = client.indices.stats(index=archive.settings.opensearch_index, metric="store")
        return float(stats["_all"]["primaries"]["store"]["size_in_bytes"]) / 2**20
    return sum(p.stat().st_size for p in archive.settings.index_dir.iterdir()) / 2**20


if __name__ == "__main__":
    main()
