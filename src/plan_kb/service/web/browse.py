"""The ways in for people who do not know an id: every agency grouped by the government it belongs to and by kind,
with its count per role; every place grouped by kind (divisions under their city, waters, zones), with how many items
concern it; every document with its plans and what the build found doubtful in it."""

from __future__ import annotations

from functools import cache
from typing import Any

from plan_kb.answers.words import plan_short_name
from plan_kb.service.deps import KnowledgeBase
from plan_kb.service.web.render import ROLE_ORDER, ui_href
from plan_kb.store.queries import records

_PLACE_KINDS = {"AdministrativeRegion": "行政区划", "WaterBody": "河流湖库", "Area": "区域、流域与园区"}


@cache
def _kind_labels() -> dict[str, str]:
    """Agency kind IRI → its Chinese name, from the registry's kinds."""
    from plan_kb.base.namespaces import PKB
    from plan_kb.reading.registry import registry

    return {str(PKB[k.iri_name]): k.zh for k in registry().kinds.values()}


def agencies_index(kb: KnowledgeBase) -> dict[str, Any]:
    counts = {a["agency"]: a for a in records(kb.store, "agencies")}
    facts = kb.select("""SELECT DISTINCT ?agency ?kind ?parent ?parentLabel ?jurisdiction WHERE {
      ?agency a pkb:Agency .
      OPTIONAL { ?agency pkb:agencyKind ?kind }
      OPTIONAL { ?agency org:subOrganizationOf ?parent . OPTIONAL { ?parent skos:prefLabel ?pl } }
      OPTIONAL { ?agency pkb:jurisdiction ?j . ?j skos:prefLabel ?jl }
      BIND(STR(?pl) AS ?parentLabel) BIND(STR(?jl) AS ?jurisdiction) }""")
    kinds = _kind_labels()
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for f in facts:
        a = counts.get(f["agency"])
        if not a:
            continue
        total = sum(int(a[r] or 0) for r in ROLE_ORDER)
        owner = f["jurisdiction"] or f["parentLabel"] or "其他"
        kind = kinds.get(str(f["kind"]), "其他") if f["kind"] else "其他"
        groups.setdefault(owner, {}).setdefault(kind, []).append(
            {**a, "href": ui_href(a["agency"]), "total": total})
    out = []
    for owner in sorted(groups, key=lambda o: (-sum(len(v) for v in groups[o].values()), o)):
        kinds_of = [{"kind": k, "agencies": sorted(v, key=lambda a: (-a["total"], a["label"]))}
                    for k, v in sorted(groups[owner].items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        out.append({"owner": owner, "kinds": kinds_of, "count": sum(len(k["agencies"]) for k in kinds_of)})
    return {"groups": out, "total": len(counts), "roles": list(ROLE_ORDER)}


def places_index(kb: KnowledgeBase) -> dict[str, Any]:
    rows = kb.select("""SELECT ?place ?label ?type ?parent ?parentLabel ?code (COUNT(DISTINCT ?item) AS ?items) WHERE {
      ?place a ?t ; skos:prefLabel ?l . VALUES ?t { pkb:AdministrativeRegion pkb:WaterBody pkb:Area }
      OPTIONAL { ?place pkb:within ?parent . OPTIONAL { ?parent skos:prefLabel ?pl } }
      OPTIONAL { ?place pkb:adminCode ?c }
      OPTIONAL { ?item pkb:concernsPlace ?place }
      BIND(STRAFTER(STR(?t), "#") AS ?type) BIND(STR(?l) AS ?label) BIND(STR(?pl) AS ?parentLabel)
      BIND(STR(?c) AS ?code)
    } GROUP BY ?place ?label ?type ?parent ?parentLabel ?code ORDER BY ?code ?label""")
    kinds: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in _PLACE_KINDS}
    for r in rows:
        where = r["parentLabel"] or "" if r["type"] == "AdministrativeRegion" else ""
        kinds[r["type"]].setdefault(where, []).append({**r, "href": ui_href(r["place"]), "items": int(r["items"])})
    return {"kinds": [{"kind": _PLACE_KINDS[k], "groups": [{"within": w, "places": v} for w, v in groups.items()]}
                      for k, groups in kinds.items() if groups], "total": len(rows)}


def documents_index(kb: KnowledgeBase) -> list[dict[str, Any]]:
    plans = kb.select("""SELECT ?doc ?plan ?title (COUNT(DISTINCT ?t) AS ?tasks) WHERE {
      ?p pkb:planKey ?plan ; dcterms:title ?tt ; pkb:sourceStart ?s . ?p dcterms:isPartOf|pkb:inDocument ?doc .
      OPTIONAL { ?t a pkb:Task ; pkb:inPlan ?p } BIND(STR(?tt) AS ?title)
    } GROUP BY ?doc ?plan ?title ?s ORDER BY ?doc ?s""")
    docs = kb.select("""SELECT ?doc ?title ?number WHERE { ?doc a pkb:Document .
      OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc pkb:documentNumber ?n }
      BIND(STR(?t) AS ?title) BIND(STR(?n) AS ?number) } ORDER BY ?number ?doc""")
    out = []
    for d in docs:
        slug = d["doc"].rstrip("/").rsplit("/", 1)[-1]
        mine = [{**p, "name": plan_short_name(p["title"]), "tasks": int(p["tasks"])} for p in plans
                if p["doc"] == d["doc"]]
        out.append({**d, "slug": slug, "href": f"/ui/documents/{slug}", "plans": mine})
    return out


def document_view(kb: KnowledgeBase, slug: str) -> dict[str, Any]:
    """One document: its notice, its plans with their headings and counts, and what the build found doubtful."""
    from plan_kb.errors import NotFound

    doc = next((d for d in documents_index(kb) if d["slug"] == slug), None)
    if doc is None:
        raise NotFound(f"no document {slug!r}")
    heads = kb.select(f"""SELECT ?plan ?h ?title ?parent ?s WHERE {{
      ?p dcterms:isPartOf <{doc['doc']}> ; pkb:planKey ?plan .
      ?h pkb:inPlan ?p ; dcterms:title ?t ; pkb:sourceStart ?s .
      FILTER NOT EXISTS {{ ?h a ?c VALUES ?c {{ pkb:Task pkb:Measure pkb:Goal }} }}
      ?h dcterms:isPartOf ?parent . BIND(STR(?t) AS ?title) }} ORDER BY ?s""")
    counts = {(r["plan"], r["kind"]): int(r["n"]) for r in kb.select(f"""SELECT ?plan ?kind (COUNT(?i) AS ?n) WHERE {{
      ?p dcterms:isPartOf <{doc['doc']}> ; pkb:planKey ?plan . ?i pkb:inPlan ?p ; a ?c .
      VALUES (?c ?kind) {{ (pkb:Task "task") (pkb:Measure "measure") (pkb:Goal "goal") }} }} GROUP BY ?plan ?kind""")}
    for p in doc["plans"]:
        p["headings"] = [h for h in heads if h["plan"] == p["plan"]]
        p["counts"] = {k: counts.get((p["plan"], k), 0) for k in ("task", "measure", "goal")}
    report: dict[str, Any] = {}
    if kb.folder is not None and (kb.folder / "report.json").exists():
        from plan_kb.store.folders import load_report

        full = load_report(kb.folder)
        files = {d["file"] for d in full.get("documents", []) if d.get("slug") == slug}
        for key in ("doubts", "healings", "unregistered_agencies", "unresolved_places", "warnings", "sources"):
            mine = [x for x in full.get(key, []) if not isinstance(x, dict) or x.get("file") in files
                    or x.get("document") == slug or not (x.get("file") or x.get("document"))]
            if mine:
                report[key] = mine
    return {**doc, "report": report}
