"""What each page shows, as plain data (the same data answers ``?format=json``): the search with its facets, a task
with its facts marked in its text, an agency's responsibilities, a place, the deadlines by month."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from plan_kb.answers.search import FACETS, search
from plan_kb.answers.words import (
    STATUS_ZH,
    deadline_status,
    deadline_words,
    plan_period,
    plan_short_name,
    zh_date,
)
from plan_kb.base.resources import load_yaml
from plan_kb.service.deps import KnowledgeBase
from plan_kb.service.routes.entities import get_agency, get_place
from plan_kb.service.routes.rest import get_task
from plan_kb.service.web.marks import item_marks, segments
from plan_kb.service.web.render import KIND_ZH, ROLE_ORDER, ROLE_ZH, url
from plan_kb.store.queries import records

#: facets of the search page, in the order shown, with their Chinese names
FACET_ZH = {"plan": "计划", "kind": "类别", "agency": "单位", "role": "职责", "place": "地点", "year": "期限年份",
            "indicator": "指标", "jurisdiction": "管辖区域"}
PLACE_TYPE_ZH = {"AdministrativeRegion": "行政区", "WaterBody": "水体", "Area": "区域"}
QUDT = "http://qudt.org/vocab/unit/"
PKBUNIT = "https://w3id.org/plan-kb/unit/"


def _plain(result: Any) -> dict[str, Any]:
    """What a REST route function returned, as plain JSON data (it may return a dict, models or a JSON Response)."""
    if isinstance(result, Response):
        return json.loads(bytes(result.body))
    return jsonable_encoder(result)


def local_id(iri: str, kind: str) -> str:
    return iri.rsplit(f"/{kind}/", 1)[-1]


def task_href(plan: str, number: int | None) -> str:
    return f"/ui/tasks/{plan}/{number}"


def agency_href(iri: str) -> str:
    return f"/ui/agencies/{local_id(iri, 'agency')}"


def place_href(iri: str) -> str:
    return f"/ui/places/{local_id(iri, 'place')}"


@lru_cache(maxsize=1)
def unit_symbols() -> dict[str, str]:
    out = {}
    for u in load_yaml("units.yaml").get("units", []):
        iri = str(u.get("iri", "")).replace("unit:", QUDT, 1).replace("pkbunit:", PKBUNIT, 1)
        out[iri] = str(u.get("symbol") or (u.get("forms") or [""])[0])
    return out


def plan_titles(kb: KnowledgeBase) -> dict[str, str]:
    return {r["plan"]: r["title"] for r in records(kb.store, "plans")}


# -- search ---------------------------------------------------------------------------------------------------------

def _short(facet: str, value: str) -> str:
    """The value a facet link carries: an agency or place id instead of its IRI."""
    if facet in ("agency", "place") and f"/{facet}/" in value:
        return local_id(value, facet)
    if facet == "jurisdiction" and "/place/" in value:
        return local_id(value, "place")
    return value


def agency_pages(kb: KnowledgeBase) -> dict[str, str]:
    """Every agency's label → its page, so that a name anywhere on a page links to it (once per loaded KB)."""
    cached = getattr(kb, "_web_agency_pages", None)
    if cached is None:
        cached = {a["label"]: f"/ui/agencies/{a['id']}" for a in records(kb.store, "agencies")}
        kb._web_agency_pages = cached  # type: ignore[attr-defined]
    return cached


def search_view(kb: KnowledgeBase, q: str, filters: dict[str, list[str]], sort: str, page: int) -> dict[str, Any]:
    """The search result, with a link for every facet value that adds or removes it (so a view is a URL)."""
    assert kb.folder is not None
    res = search(kb.folder, q, {k: v for k, v in filters.items() if v}, page=page, sort=sort, size=20).as_dict()
    state = {"q": q, **{k: list(v) for k, v in filters.items() if v}, "sort": sort if sort != "relevance" else None}
    facets = []
    for name in FACETS:
        values = []
        for fv in res["facets"].get(name, []):
            short = _short(name, fv["value"])
            chosen = list(state.get(name) or [])
            chosen = [c for c in chosen if c not in (short, fv["value"], fv["label"])] if fv["selected"] \
                else [*chosen, short]
            values.append({**fv, "href": url("/", {**state, name: chosen})})
        if values:
            facets.append({"name": name, "label": FACET_ZH.get(name, name), "values": values})
    pages_of = agency_pages(kb)
    for h in res["hits"]:
        h["href"] = task_href(h["plan"], h["number"]) if h["kind"] == "task" else None
        h["leadLinks"] = [{"label": n, "href": pages_of.get(n)} for n in h.get("roles", {}).get("lead", [])]
        h["deadlineWords"] = zh_date(h.get("deadline"))
    pages = res["pages"]
    return {**res, "facetList": facets,
            "sortLinks": {s: url("/", {**state, "sort": s if s != "relevance" else None}) for s in ("relevance",
                                                                                              "deadline")},
            "prev": url("/", {**state, "page": page - 1}) if page > 1 else None,
            "next": url("/", {**state, "page": page + 1}) if page < pages else None,
            "clear": url("/", {"q": q})}


# -- task -----------------------------------------------------------------------------------------------------------

def mark_href(m: dict[str, Any], plan: str) -> str | None:
    kind, target = m["kind"], m["target"]
    if kind == "agency" and target:
        return agency_href(target)
    if kind == "place" and target:
        return place_href(target)
    if kind == "date":
        d = m.get("detail")
        return url("/ui/deadlines", {"plan": plan}) + (f"#m-{d[:7]}" if d else "")
    if kind == "threshold" and m.get("detail"):
        return url("/", {"indicator": m["detail"]})
    if kind == "citation" and m.get("detail"):
        return url("/", {"q": f"\"{m['detail']}\""})
    return None


def describe_query(iri: str) -> str:
    return f"DESCRIBE <{iri}>"


def facts_query(iri: str) -> str:
    return f"SELECT ?property ?value WHERE {{\n  <{iri}> ?property ?value .\n}} ORDER BY ?property"


def task_view(kb: KnowledgeBase, plan: str, number: int) -> dict[str, Any]:
    detail = _plain(get_task(kb, plan, number))
    src = detail["source"]
    start = src["start"] if src["start"] is not None else 0
    text = detail["text"]
    marks = item_marks(kb, detail["iri"], text, start) if src["start"] is not None else []
    segs = segments(text, start, marks)
    for s in segs:
        if s["mark"]:
            s["mark"]["href"] = mark_href(s["mark"], plan)
    symbols = unit_symbols()
    quotes: dict[tuple[str, str | None], str] = {}  # (kind, target IRI) → the words of the text the fact was read from
    for m in marks:
        quotes.setdefault((m.kind, m.target), text[m.start - start:m.end - start])
    facts: list[dict[str, Any]] = []
    for a in detail["agencies"]:
        facts.append({"kind": "单位", "what": a["label"], "href": agency_href(a["iri"]),
                      "note": ("负责(据统一说明)" if a["inherited"] else None) or _role_zh(a["role"]),
                      "quote": "(统一说明)" if a["inherited"] else quotes.get(("agency", a["iri"]))})
    for d in detail["deadlines"]:
        kind = d.get("kind") or ""
        when = deadline_words({**d, "source": d.get("quote")}) or KIND_ZH.get(kind, "")
        facts.append({"kind": "期限", "what": when,
                      "note": KIND_ZH.get(kind, kind) + ("(约)" if d.get("approximate") else ""),
                      "quote": d.get("requirement"),
                      "href": mark_href({"kind": "date", "target": d["iri"], "detail": d.get("date")}, plan)})
    for p in detail["places"]:
        facts.append({"kind": "地点", "what": p["label"], "href": place_href(p["iri"]),
                      "note": "、".join(PLACE_TYPE_ZH.get(t, t) for t in p.get("types") or []),
                      "quote": quotes.get(("place", p["iri"]))})
    for t in detail["thresholds"]:
        value = "" if t.get("value") is None else f"{t['value']:g}"
        if t.get("maxValue") is not None:
            value += f"–{t['maxValue']:g}"
        cmp_ = "" if t.get("comparator") in (None, "=", "range") else t["comparator"]
        indicator = t.get("indicator")
        facts.append({"kind": "限值", "what": f"{indicator or ''} {cmp_} {value} {symbols.get(t.get('unit') or '', '')}"
                      .strip(), "note": t.get("subject"), "quote": t.get("quote"),
                      "href": url("/", {"indicator": indicator}) if indicator else None})
    for c in detail["citations"]:
        quote = next((q for (k, _t), q in quotes.items() if k == "citation" and c in q), None)
        facts.append({"kind": "引用", "what": f"《{c}》", "href": url("/", {"q": f"\"{c}\""}), "quote": quote})
    titles = plan_titles(kb)
    iri = detail["iri"]
    return {**detail, "planTitle": titles.get(plan, plan), "segments": segs, "factRows": facts,
            "links": {"json": f"/tasks/{plan}/{number}",
                      "turtle": url("/sparql", {"query": describe_query(iri), "format": "turtle"}),
                      "sparql": url("/ui/sparql", {"query": facts_query(iri)})},
            "breadcrumbs": [{"label": titles.get(plan, plan), "href": url("/", {"plan": plan})},
                            *({"label": s, "href": None} for s in detail["section"]),
                            {"label": f"任务{number}", "href": None}]}


def _role_zh(role: str | None) -> str:
    return ROLE_ZH.get(role or "", role or "")


# -- agency ---------------------------------------------------------------------------------------------------------

def agency_view(kb: KnowledgeBase, agency_id: str, today: date) -> dict[str, Any]:
    detail = _plain(get_agency(kb, agency_id))
    titles = plan_titles(kb)
    matrix: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for role, items in detail["tasks"].items():
        for it in items:
            row = matrix.setdefault(it["plan"], {r: [] for r in ROLE_ORDER})
            it = {**it, "href": task_href(it["plan"], it["number"]) if it["kind"] == "task" else None}
            row.setdefault(role, []).append(it)
    rows = [{"plan": p, "title": titles.get(p, p), "cells": matrix[p]} for p in titles if p in matrix]
    iso = today.isoformat()
    upcoming, past, undated = [], [], []
    for d in detail["deadlines"]:
        d = {**d, "href": task_href(d["plan"], d["number"]) if d.get("number") else None,
             "status": deadline_status(d["kind"], d["date"], today), "words": deadline_words(d)}
        (undated if not d["date"] else upcoming if d["date"] >= iso else past).append(d)
    past.sort(key=lambda d: d["date"], reverse=True)
    return {**detail, "today": iso, "asOf": iso, "matrix": rows, "roles": list(ROLE_ORDER),
            "bodies": _bodies(kb, detail["iri"]),
            "upcoming": upcoming, "past": past, "undated": undated, "counts": _counts(detail["deadlines"], today),
            "periods": plan_periods(kb, today, {r["plan"] for r in rows}),
            "calendar": url("/calendar.ics", {"agency": agency_id}),
            "deadlinesPage": url("/ui/deadlines", {"agency": agency_id, "as_of": iso})}


def _counts(rows: list[dict[str, Any]], as_of: date) -> dict[str, int]:
    """How many deadlines stand where on ``as_of`` (已逾期, 即将到期, 未到期 …)."""
    out = dict.fromkeys(STATUS_ZH, 0)
    for r in rows:
        out[deadline_status(str(r.get("deadlineKind") or r.get("kind") or ""), r.get("date"), as_of)] += 1
    return out


def plan_periods(kb: KnowledgeBase, as_of: date, plans: set[str] | None = None) -> list[dict[str, Any]]:
    """For each plan (of ``plans``), its period as its title gives it and whether it ended before ``as_of``."""
    out = []
    for key, title in plan_titles(kb).items():
        period = plan_period(title)
        if period and (plans is None or key in plans):
            end = date(period[1], 12, 31)
            out.append({"plan": key, "title": title, "name": plan_short_name(title), "start": period[0],
                        "end": end.isoformat(), "ended": end < as_of,
                        "note": (f"《{title}》的实施期已于{zh_date(end)}结束" if end < as_of else
                                 f"《{title}》实施期至{zh_date(end)}")})
    return out


def _bodies(kb: KnowledgeBase, iri: str) -> list[dict[str, Any]]:
    """The bodies that belong to this one (a government's departments), with how many items each carries per role:
    a city government's bodies only, never another city's same-named ones."""
    rows = kb.select(f"""SELECT DISTINCT ?body WHERE {{ ?body org:subOrganizationOf <{iri}> }}""")
    mine = {str(r["body"]) for r in rows}
    if not mine:
        return []
    counts = {r["agency"]: r for r in records(kb.store, "agencies") if r["agency"] in mine}
    out = [{"label": c["label"], "href": agency_href(a), "counts": {r: c.get(k, 0) for r, k in (
        ("lead", "lead"), ("support", "support"), ("responsible", "responsible"), ("guiding", "guiding"))}}
        for a, c in counts.items()]
    return sorted(out, key=lambda b: (-sum(b["counts"].values()), b["label"]))


# -- place ----------------------------------------------------------------------------------------------------------

def place_view(kb: KnowledgeBase, place_id: str) -> dict[str, Any]:
    detail = _plain(get_place(kb, place_id))
    titles = plan_titles(kb)
    items = [{**i, "href": task_href(i["plan"], i["number"]) if i["kind"] == "task" else None,
              "planTitle": titles.get(i["plan"], i["plan"])} for i in detail["items"]]
    return {**detail, "within": [{**p, "href": place_href(p["iri"])} for p in detail["within"]],
            "contains": [{**p, "href": place_href(p["iri"])} for p in detail["contains"]],
            "items": items, "search": url("/", {"place": place_id})}


# -- deadlines ------------------------------------------------------------------------------------------------------

def deadlines_view(kb: KnowledgeBase, agency: str | None, plan: str | None, today: date) -> dict[str, Any]:
    """Deadlines month by month; the dated ones before ``today`` apart as overdue, the undated kinds last."""
    rows = records(kb.store, "deadlines", plan=plan)
    agency_label = None
    if agency:
        info = _plain(get_agency(kb, agency))
        agency_label = info["label"]
        mine = {t["item"] for items in info["tasks"].values() for t in items}
        rows = [r for r in rows if r["item"] in mine]
    iso = today.isoformat()
    months: dict[str, list[dict[str, Any]]] = {}
    overdue, undated = [], []
    for r in rows:
        r = {**r, "date": None if r["date"] is None else str(r["date"]),
             "href": task_href(r["plan"], r["number"]) if r["kind"] == "task" and r.get("number") else None}
        r["status"] = deadline_status(r["deadlineKind"], r["date"], today)
        r["words"] = deadline_words(r)
        if not r["date"]:
            undated.append(r)
        elif r["status"] == "overdue":
            overdue.append(r)
        else:
            months.setdefault(r["date"][:7], []).append(r)
    titles = plan_titles(kb)
    agencies = [{"id": a["id"], "label": a["label"]} for a in records(kb.store, "agencies")
                if a["lead"] or a["support"] or a["responsible"] or a["guiding"]]
    return {"today": iso, "asOf": iso, "counts": _counts(rows, today), "periods": plan_periods(kb, today),
            "agency": agency, "agencyLabel": agency_label, "plan": plan,
            "planTitle": titles.get(plan) if plan else None, "overdue": overdue,
            "months": [{"month": m, "anchor": f"m-{m}", "label": f"{m[:4]}年{int(m[5:])}月", "items": v}
                       for m, v in sorted(months.items())],
            "undated": undated, "plans": [{"plan": k, "title": v} for k, v in titles.items()],
            "agencies": agencies, "total": len(rows),
            "calendar": url("/calendar.ics", {"agency": agency, "plan": plan})}
