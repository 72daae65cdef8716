"""Search benchmark on both backends (issue 5): bulk indexing rate and p95 latency with facets.

    python bench/search_backends.py --records 100000 --backend both

Builds N synthetic letters (cli.samples_records, fixed seed), analyses them
once (PyThaiNLP, as index.documents does), bulk-indexes the same documents
into the embedded Tantivy index and into a local single-node OpenSearch that
this script starts (the test suite's tests/servers.py, 1 GB heap), then runs
a fixed mix of queries with facets at reader clearance and prints figures:
plain words, phrases, OR, exclusion, field terms (เรื่อง: จาก: ถึง: ที่:),
Buddhist-Era date ranges, prefixes, letter numbers in Arabic and Thai digits,
filters on every facet (month, addressee, attachments, register too), the
OCR-tolerant pass (misspelt words) and type-ahead. With `--backend both` it
also counts the searches on which the two backends' totals differ.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cli.samples_records import sample_records  # noqa: E402
from index.backend import (FACET_FIELDS, IndexDoc, SearchBackend, SearchRequest,  # noqa: E402
                           SuggestRequest)
from index.documents import index_doc  # noqa: E402
from schemas.enums import RecordStatus, Secrecy  # noqa: E402
from schemas.settings import Settings  # noqa: E402
from schemas.tables import Record, StoredFile  # noqa: E402

QUERIES = ["ประชุม", "สถานศึกษา", "อนุเคราะห์", "ลูกเสือ", "ยาเสพติด", '"ผู้อำนวยการโรงเรียน"',
           "ครู OR นักเรียน", "งบประมาณ -ประชุม", "เรื่อง:เงินเดือน", "ศธ 04049/508", "ราชพสดุ",
           "การศึกษา", "๒๕๖๓", "ไข้เลือดออก สถานศึกษา", "", "ขอความร่วมมือ",
           "จาก:สพป", "ถึง:โรงเรียน", "ที่:ศธ 04049/508", "ศธ ๐๔๐๔๙/๕๐๘", "2562..2563",
           "ประชุม ม.ค. 2563", "ราชพัส*", "ประเภท:คำสั่ง", "ยุทธศาสตร", "สถานศกษา"]
FILTERS: list[dict[str, list[str]]] = [
    {}, {}, {"year": ["2563"]}, {"kind": ["memo"]}, {"month": ["1", "2", "3"]},
    {"addressee": ["schools"]}, {"attachments": ["yes"], "register": ["incoming"]}]
TYPED = ["ขอ", "การ", "ประชุม", "สพป", "ขอความร่วม", "โครงการ", "แจ้ง", "ศธ"]
ADDRESSEES = ["ผู้อำนวยการโรงเรียนทุกโรงเรียน",
              "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา", "ศึกษาธิการจังหวัด", "ผู้ว่าราชการจังหวัด", "ปลัดกระทรวงศึกษาธิการ", "หัวหน้าส่วนราชการ"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def make_docs(count: int) -> tuple[list[IndexDoc], float]:
    """Index documents of `count` letters, and the seconds the analysis took."""
    started = time.perf_counter()
    docs = []
    for i, letter in enumerate(sample_records(count, seed=2567), start=1):
        # every seventh number printed in Thai digits (loose-number keys), addressees
        # for the addressee facet, enclosures on every third letter
        number = letter.number.translate(THAI_DIGITS) if i % 7 == 0 else letter.number
        record = Record(id=i, status=RecordStatus.ok, subject=letter.subject, text=letter.text,
                        number=number, date=letter.date, from_org=letter.from_org,
                        kind=letter.kind, secrecy=letter.secrecy, urgency=letter.urgency,
                        version=1, to=ADDRESSEES[i % len(ADDRESSEES)],
                        enclosures=["สำเนาหนังสือ จำนวน 1 ฉบับ"] if i % 3 == 0 else [])
        record.file = StoredFile(original_name=letter.name)
        docs.append(index_doc(record))
    return docs, time.perf_counter() - started


def bulk_index(backend: SearchBackend, docs: list[IndexDoc], batch: int) -> float:
    """Seconds to upsert every document in batches (each batch searchable on return)."""
    started = time.perf_counter()
    for start in range(0, len(docs), batch):
        backend.upsert(docs[start:start + batch])
    return time.perf_counter() - started


def requests(rounds: int) -> list[SearchRequest]:
    """The query mix, each query with a filter set in turn, at reader clearance."""
    return [SearchRequest(query=query, filters=FILTERS[(i + r) % len(FILTERS)],
                          clearance=Secrecy.none, limit=10)
            for r in range(rounds) for i, query in enumerate(QUERIES)]


def latencies(backend: SearchBackend, rounds: int,
              totals: dict[int, int] | None = None) -> list[float]:
    """Milliseconds per search (with every facet) over the query mix; totals kept by request."""
    out = []
    for n, request in enumerate(requests(rounds)):
        started = time.perf_counter()
        result = backend.search(request)
        out.append((time.perf_counter() - started) * 1000)
        assert set(result.facets) == set(FACET_FIELDS)
        if totals is not None:
            totals[n] = result.total
    return out


def suggest_latencies(backend: SearchBackend, rounds: int) -> list[float]:
    """Milliseconds per type-ahead at reader clearance."""
    out = []
    for _ in range(rounds):
        for typed in TYPED:
            started = time.perf_counter()
            backend.suggest(SuggestRequest(typed, Secrecy.none))
            out.append((time.perf_counter() - started) * 1000)
    return out


def report(name: str, count: int, seconds: float, times: list[float]) -> None:
    """One line of figures."""
    times = sorted(times)
    p95 = times[max(0, int(0.95 * len(times)) - 1)]
    print(f"{name:10s} records={count:>8,d}  bulk={count / seconds:8.0f} rec/s ({seconds:6.1f} s)"
          f"  search p50={statistics.median(times):6.1f} ms  p95={p95:6.1f} ms"
          f"  max={times[-1]:6.1f} ms  ({len(times)} searches with facets)", flush=True)


def report_suggest(name: str, times: list[float]) -> None:
    """One line of type-ahead figures."""
    times = sorted(times)
    p95 = times[max(0, int(0.95 * len(times)) - 1)]
    print(f"{name:10s} suggest p50={statistics.median(times):6.1f} ms  p95={p95:6.1f} ms"
          f"  max={times[-1]:6.1f} ms  ({len(times)} completions)", flush=True)


def main() -> None:
    """Parse options, run the chosen backends, print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--backend", choices=["embedded", "opensearch", "both"], default="both")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--heap", default="1g", help="OpenSearch heap")
    args = parser.parse_args()

    docs, analysis = make_docs(args.records)
    print(f"analysis   records={len(docs):>8,d}  {len(docs) / analysis:8.0f} rec/s "
          f"({analysis:.1f} s, PyThaiNLP words + grams, done once for both)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="saraban-bench-"))
    totals: dict[str, dict[int, int]] = {"embedded": {}, "opensearch": {}}
    try:
        if args.backend in ("embedded", "both"):
            from index.tantivy_backend import TantivyBackend

            embedded = TantivyBackend(work / "tantivy")
            seconds = bulk_index(embedded, docs, args.batch)
            latencies(embedded, 1)  # warm up
            report("embedded", len(docs), seconds,
                   latencies(embedded, args.rounds, totals["embedded"]))
            report_suggest("embedded", suggest_latencies(embedded, args.rounds))
        if args.backend in ("opensearch", "both"):
            from index.opensearch_backend import OpenSearchBackend
            from servers import OpenSearchNode, server_root

            root = server_root("bench")
            node = OpenSearchNode(root, heap=args.heap).start()
            try:
                backend = OpenSearchBackend(Settings(home=work, search="opensearch",
                                                     opensearch_url=node.url,
                                                     opensearch_index="bench",
                                                     opensearch_timeout=120))
                started = time.perf_counter()
                with backend.rebuild() as target:  # the path `saraban reindex` takes
                    bulk_index(target, docs, args.batch)
                seconds = time.perf_counter() - started
                latencies(backend, 1)  # warm up
                report("opensearch", len(docs), seconds,
                       latencies(backend, args.rounds, totals["opensearch"]))
                report_suggest("opensearch", suggest_latencies(backend, args.rounds))
            finally:
                node.stop()
                shutil.rmtree(root, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.backend == "both":
        differ = [n for n, total in totals["embedded"].items()
                  if totals["opensearch"].get(n) != total]
        print(f"agreement  {len(totals['embedded']) - len(differ)} of {len(totals['embedded'])}"
              f" searches with equal totals on both backends", flush=True)
        for n in differ[: len(QUERIES)]:
            request = requests(args.rounds)[n]
            print(f"  differs: {request.query!r} {request.filters} embedded="
                  f"{totals['embedded'][n]} opensearch={totals['opensearch'].get(n)}", flush=True)


if __name__ == "__main__":
    main()
