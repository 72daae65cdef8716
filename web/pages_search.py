"""The search page: query box, facets that toggle filters, sorted and paged hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from index.backend import SearchRequest
from index.facets import FACET_FIELDS, FACET_TITLES, LABELS
from index.service import SearchResponse, search
from schemas.enums import Secrecy
from web.auth import ArchiveDep, CurrentUser, RendererDep
from web.render import Renderer, kind_thai, secrecy_thai, urgency_thai

router = APIRouter()

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper than 10,000 hits nobody pages; refine the query instead
MAX_FILTERS = 30
SORTS = {"relevance": "ตรงที่สุด", "date_desc": "ใหม่สุดก่อน", "date_asc": "เก่าสุดก่อน"}


@dataclass(frozen=True)
class FacetLink:
    """One facet value as a link that adds or removes its filter."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


def parse_filters(raw: list[str]) -> dict[str, list[str]]:
    """``["kind:external", "year:2559"]`` → ``{"kind": ["external"], "year": ["2559"]}``.

    Unknown fields and malformed items are ignored; a value is kept once.
    """
    filters: dict[str, list[str]] = {}
    for item in raw[:MAX_FILTERS]:
        name, sep, value = item.partition(":")
        value = value.strip()
        if sep and name in FACET_FIELDS and value and value not in filters.get(name, []):
            filters.setdefault(name, []).append(value)
    return filters


def build_request(q: str, filters: dict[str, list[str]], clearance: Secrecy, sort: str,
                  page: int) -> SearchRequest:
    """The backend request for one page; an empty query lists newest letters first."""
    sort = sort if sort in SORTS else "relevance"
    if not q.strip() and sort == "relevance":
        sort = "date_desc"
    page = min(max(page, 1), MAX_PAGE)
    return SearchRequest(query=q.strip(), filters=filters, clearance=Secrecy(clearance),
                         limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort)


def search_url(q: str, filters: dict[str, list[str]], sort: str, page: int = 1) -> str:
    """The search page's URL for these parameters."""
    params: list[tuple[str, str]] = [("q", q)] if q else []
    params += [("f", f"{name}:{value}") for name, values in filters.items() for value in values]
    if sort != "relevance":
        params.append(("sort", sort))
    if page > 1:
        params.append(("page", str(page)))
    return "/?" + urlencode(params) if params else "/"


def _toggled(filters: dict[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    changed = {k: list(v) for k, v in filters.items()}
    values = changed.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return {k: v for k, v in changed.items() if v}


def facet_label(renderer: Renderer, name: str, value: str) -> str:
    """How a facet value reads on screen (Thai names, BE years in the office's digits)."""
    labels = {"year": renderer.digits, "kind": kind_thai, "secrecy": secrecy_thai,
              "urgency": urgency_thai, "status": renderer.env.filters["status_thai"]}
    if name in labels:
        return str(labels[name](value))
    return LABELS.get(name, {}).get(value, value)


def facet_links(renderer: Renderer, response: SearchResponse, q: str,
                filters: dict[str, list[str]], sort: str) -> dict[str, list[FacetLink]]:
    """Facet values with counts; a selected value stays listed even at zero hits."""
    groups: dict[str, list[FacetLink]] = {}
    for name in FACET_FIELDS:
        counts = {fv.value: fv.count for fv in response.facets.get(name, [])}
        for value in filters.get(name, []):
            counts.setdefault(value, 0)
        ordered = sorted(counts.items(), key=lambda kv: _facet_order(name, kv[0], kv[1]))
        groups[name] = [
            FacetLink(value, facet_label(renderer, name, value), count,
                      value in filters.get(name, []),
                      search_url(q, _toggled(filters, name, value), sort))
            for value, count in ordered
        ]
    return groups


def _facet_order(name: str, value: str, count: int) -> tuple[int, str]:
    """Years newest first, months in calendar order, anything else by count."""
    if name == "year" and value.isdigit():
        return (-int(value), "")
    if name == "month" and value.isdigit():
        return (int(value), "")
    return (-count, value)


def page_numbers(page: int, last: int, around: int = 2) -> list[int | None]:
    """Page links to show: first, last and a window round `page`; None marks a gap."""
    shown = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@router.get("/")
def search_page(request: Request, user: CurrentUser, archive: ArchiveDep,
                renderer: RendererDep, q: str = "",
                f: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI's idiom
                sort: str = "relevance", page: int = 1) -> Response:
    """Search within the signed-in user's clearance and show one page of hits."""
    q = q[:500]
    sort = sort if sort in SORTS else "relevance"
    filters = parse_filters(f)
    search_request = build_request(q, filters, user.clearance, sort, page)
    response = search(archive.db, archive.backend, search_request)
    page = search_request.offset // PAGE_SIZE + 1
    last = max(1, min(MAX_PAGE, -(-response.total // PAGE_SIZE)))
    active = [(FACET_TITLES[name], facet_label(renderer, name, value),
               search_url(q, _toggled(filters, name, value), sort))
              for name, values in filters.items() for value in values]
    context = {
        "nav": "search", "q": q, "sort": sort, "sorts": SORTS, "filters": filters,
        "page": page, "last": last,
        "total": response.total, "hits": response.hits, "first_shown": search_request.offset + 1,
        "facets": facet_links(renderer, response, q, filters, sort),
        "facet_titles": FACET_TITLES, "active": active,
        "pages": [(n, search_url(q, filters, sort, n) if n else "")
                  for n in page_numbers(page, last)],
        "prev_url": search_url(q, filters, sort, page - 1) if page > 1 else None,
        "next_url": search_url(q, filters, sort, page + 1) if page < last else None,
        "clear_url": search_url(q, {}, sort),
        "degraded": response.degraded,  # issue 5: the index is unreachable or behind
        "did_you_mean": response.did_you_mean,
        "did_you_mean_url": search_url(response.did_you_mean, filters, sort)
        if response.did_you_mean else None,
    }
    return renderer.page(request, "search.html", context)
