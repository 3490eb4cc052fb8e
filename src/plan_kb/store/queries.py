"""Named queries: the competency questions as SPARQL files in ``api/queries/*.rq``, run with typed parameters.

A file is headed by grlc-style decorators::

    #+ summary: Who leads a task (plan key + task number)
    #+ description: … (optional, may repeat)
    #+ param: plan | string | the plan key (water, air, soil, groundwater) | water
    #+ param: number | integer | the task number within the plan | 1
    #+ param: role? | role | only this role (optional) | lead

A required parameter's ``?_name`` in the body is replaced by its value written as an RDF term (validated by its
type). An optional parameter (``name?``) that is given adds ``VALUES ?_name { term }`` at the start of the WHERE
body; one not given leaves ``?_name`` unbound, so a query tests it as ``FILTER(!BOUND(?_name) || …)``. The PREFIX
lines of :func:`plan_kb.base.namespaces.sparql_prefixes` are prepended.

``run_named(store, name, **params)`` is what the service, the benchmark and an ask module call.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from plan_kb.base.namespaces import ID, PKB, sparql_prefixes
from plan_kb.base.resources import QUERIES
from plan_kb.errors import NotFound, PlanKBError
from plan_kb.reading.dates import typed_date
from plan_kb.store import Result, Store, escape_string

#: role names of the API -> contract property
ROLES: dict[str, str] = {
    "lead": str(PKB.leadAgency),
    "support": str(PKB.supportingAgency),
    "responsible": str(PKB.responsibleAgency),
    "guiding": str(PKB.guidingAgency),
}
Role = Literal["lead", "support", "responsible", "guiding"]
TYPES = ("string", "integer", "date", "iri", "agency", "place", "plan", "role")


class BadParameter(PlanKBError):
    """A parameter value that does not fit its type (HTTP 400)."""

    status = 400


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    example: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    body: str  # the SPARQL text without the decorators
    path: Path = field(compare=False)
    title_zh: str = ""  # the query's Chinese title (``#+ title_zh:``), shown beside the summary on the SPARQL page

    def sparql(self, **values: Any) -> str:
        """The runnable query text with ``values`` substituted (prefixes included)."""
        given = {p.name: values.get(p.name) for p in self.params}
        unknown = set(values) - set(given)
        if unknown:
            raise BadParameter(f"query {self.name} has no parameter {', '.join(sorted(unknown))}; "
                               f"it takes {', '.join(p.name for p in self.params) or 'none'}")
        text = self.body
        values_blocks = []
        for p in self.params:
            v = given[p.name]
            if v is None or v == "":
                if not p.optional:
                    raise BadParameter(f"query {self.name} needs the parameter {p.name} ({p.description})")
                continue
            term = to_term(p, v)
            if p.optional:
                values_blocks.append(f"VALUES ?_{p.name} {{ {term} }}")
            else:
                text = re.sub(rf"\?_{re.escape(p.name)}\b", lambda _m, t=term: t, text)
        if values_blocks:
            i = _where_brace(text)
            text = text[:i + 1] + "\n  " + "\n  ".join(values_blocks) + text[i + 1:]
        return sparql_prefixes() + text

    def example_params(self) -> dict[str, str]:
        return {p.name: p.example for p in self.params if p.example is not None and not p.optional}


def _where_brace(text: str) -> int:
    m = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if not m:
        raise PlanKBError("a named query with optional parameters needs an explicit WHERE {")
    return m.end() - 1


def to_term(p: Param, value: Any) -> str:
    """``value`` written as a SPARQL term for a parameter of type ``p.type``; a bad value raises BadParameter."""
    s = str(value).strip()
    t = p.type
    if t == "integer":
        if not re.fullmatch(r"[+-]?\d{1,12}", s):
            raise BadParameter(f"{p.name} must be an integer, not {s!r}")
        return str(int(s))
    if t == "date":
        try:
            return f'"{typed_date(s).isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
        except ValueError as exc:
            raise BadParameter(f"{p.name}: {exc}") from None
    if t == "role":
        if s not in ROLES:
            raise BadParameter(f"{p.name} must be one of {', '.join(ROLES)}, not {s!r}")
        return f"<{ROLES[s]}>"
    if t in ("agency", "place"):
        return f"<{entity_iri(t, s)}>"
    if t == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", s):
            raise BadParameter(f"{p.name} must be an http(s) IRI, not {s!r}")
        return f"<{s}>"
    if t == "plan" and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", s):
        raise BadParameter(f"{p.name} must be a plan key (lower-case letters, digits, hyphens), not {s!r}")
    return '"' + escape_string(s) + '"'


def entity_iri(kind: str, value: str) -> str:
    """``id:<kind>/<value>`` for an id, or the IRI itself when a full IRI under ``id:<kind>/`` is given."""
    base = f"{ID}{kind}/"
    if value.startswith(base):
        value = value[len(base):]
    if not value or not re.fullmatch(r"[^\s<>\"{}|\\^`]+", value) or value.startswith(("http:", "https:")):
        raise BadParameter(f"not an {kind} id: {value!r} (an id is the part of the IRI after {base})")
    return base + value


_DECOR = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")


def parse_file(path: Path) -> NamedQuery:
    summary, title_zh, desc, params, body = "", "", [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _DECOR.match(line)
        if m and not body:
            key, val = m.group(1), m.group(2).strip()
            if key == "summary":
                summary = val
            elif key == "title_zh":
                title_zh = val
            elif key == "description":
                desc.append(val)
            elif key == "param":
                bits = [b.strip() for b in val.split("|")]
                if len(bits) < 3:
                    raise PlanKBError(f"{path.name}: a param line is 'name | type | description [| example]'")
                name, typ = bits[0], bits[1]
                optional = name.endswith("?")
                name = name.rstrip("?")
                if typ not in TYPES:
                    raise PlanKBError(f"{path.name}: parameter {name} has unknown type {typ!r}")
                params.append(Param(name, typ, bits[2], bits[3] if len(bits) > 3 and bits[3] else None, optional))
            continue
        body.append(line)
    if not summary:
        raise PlanKBError(f"{path.name}: a named query needs a '#+ summary:' line")
    return NamedQuery(path.stem, summary, " ".join(desc), tuple(params), "\n".join(body).strip() + "\n", path,
                      title_zh)


@lru_cache(maxsize=4)
def _load(folder: Path) -> dict[str, NamedQuery]:
    return {p.stem: parse_file(p) for p in sorted(folder.glob("*.rq"))}


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (the file stem)."""
    return _load(folder or QUERIES)


def get(name: str) -> NamedQuery:
    qs = named_queries()
    if name not in qs:
        raise NotFound(f"no named query {name!r}; known: {', '.join(qs)}")
    return qs[name]


def run_named(store: Store, name: str, **params: Any) -> Result:
    """Run the named query ``name`` with ``params`` on ``store``."""
    return store.query(get(name).sparql(**params))


_LIMITED = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+\s*(?:(?:LIMIT|OFFSET)\s+\d+\s*)?$", re.IGNORECASE)


def run_named_page(store: Store, name: str, limit: int, offset: int, **params: Any) -> tuple[Result, int]:
    """One page of the named query ``name`` (``LIMIT`` and ``OFFSET`` sent to the store, so that only the page's rows
    are read out of it) and the number of rows of the whole answer (a ``COUNT`` of it, computed by the store). A
    query that sets its own LIMIT or OFFSET is run whole and cut here."""
    q = get(name)
    text = q.sparql(**params)
    body = text[len(sparql_prefixes()):]
    if _LIMITED.search(re.sub(r"#[^\n]*", "", body).rstrip()):
        res = store.query(text)
        return dataclasses.replace(res, rows=res.rows[offset:offset + limit]), len(res.rows)
    res = store.query(f"{text}\nLIMIT {limit}\nOFFSET {offset}")
    if len(res.rows) < limit and (res.rows or offset == 0):
        return res, offset + len(res.rows)
    counted = store.query(sparql_prefixes() + f"SELECT (COUNT(*) AS ?n) WHERE {{\n{{\n{body}\n}}\n}}")
    return res, int(counted.records()[0]["n"])


def records(store: Store, name: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of a named SELECT query as plain values."""
    return run_named(store, name, **params).records()


def task_filters(plan: str | None = None, agency: str | None = None, role: str | None = None,
                 place: str | None = None, due_before: date | None = None, due_after: date | None = None,
                 indicator: str | None = None) -> list[str]:
    """The graph patterns of the filters of :func:`tasks_query`, each a pattern with bound terms the store answers
    from its indexes (an agency, a place and the places within it, a plan key), not a FILTER over every task; a date
    window is a range over the deadlines' dates, an indicator words of its name."""
    f: list[str] = []
    if plan:
        f.append(f"?p pkb:planKey {to_term(Param('plan', 'plan', 'plan key'), plan)} .")
    if role and role not in ROLES:
        raise BadParameter(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    props = f"<{ROLES[role]}>" if role else " ".join(f"<{v}>" for v in ROLES.values())
    if agency:
        f.append(f"{{ SELECT DISTINCT ?item WHERE {{ VALUES ?rp {{ {props} }} "
                 f"?item ?rp <{entity_iri('agency', agency)}> }} }}")
    elif role:
        f.append(f"{{ SELECT DISTINCT ?item WHERE {{ ?item {props} ?anyAgency }} }}")
    if place:
        f.append(f"{{ SELECT DISTINCT ?item WHERE {{ ?pl pkb:within* <{entity_iri('place', place)}> . "
                 "?item pkb:concernsPlace ?pl } }")
    if due_before or due_after:
        cond = []
        if due_before:
            cond.append(f'?date <= "{due_before.isoformat()}"^^xsd:date')
        if due_after:
            cond.append(f'?date >= "{due_after.isoformat()}"^^xsd:date')
        # "due by": a By or During date (a From date is when a duty starts, not a deadline), as due-by.rq and /ask
        f.append("{ SELECT DISTINCT ?item WHERE { ?dl pkb:date ?date . "
                 f"FILTER({' && '.join(cond)}) ?dl pkb:deadlineKind ?dk . VALUES ?dk {{ pkb:By pkb:During }} "
                 "?item pkb:hasDeadline ?dl } }")
    if indicator:
        f.append("{ SELECT DISTINCT ?item WHERE { ?th pkb:indicator ?ind "
                 f'FILTER(CONTAINS(STR(?ind), "{escape_string(indicator)}")) ?item pkb:hasThreshold ?th }} }}')
    return f


def task_items_query(**filters: Any) -> str:
    """The IRIs of the tasks that pass the filters of :func:`tasks_query` (no order: the caller has it)."""
    body = "\n  ".join(task_filters(**filters))
    return sparql_prefixes() + f"SELECT DISTINCT ?item WHERE {{\n  {body}\n  ?item a pkb:Task ; pkb:inPlan ?p .\n}}"


def tasks_query(plan: str | None = None, agency: str | None = None, role: str | None = None,
                place: str | None = None, due_before: date | None = None, due_after: date | None = None,
                indicator: str | None = None) -> str:
    """The tasks that pass every given filter, in document order, with their lead agencies' labels.

    ``agency`` and ``place`` are ids (or IRIs) of id:agency/ and id:place/; ``place`` rolls up through pkb:within;
    ``role`` alone keeps tasks that have an agency in that role; ``due_*`` compare the dates of their deadlines.
    """
    filters = "\n  ".join(task_filters(plan, agency, role, place, due_before, due_after, indicator))
    return sparql_prefixes() + f"""SELECT ?item ?plan ?number ?title
       (GROUP_CONCAT(DISTINCT ?leadLabel; separator="; ") AS ?leads) WHERE {{
  ?item a pkb:Task ; pkb:inPlan ?p ; pkb:number ?number ; dcterms:title ?t .
  ?p pkb:planKey ?plan ; pkb:sourceStart ?ps .
  {filters}
  BIND(STR(?t) AS ?title)
  OPTIONAL {{ ?item pkb:leadAgency ?la . OPTIONAL {{ ?la skos:prefLabel ?lal }}
             BIND(STR(COALESCE(?lal, STRAFTER(STR(?la), "/agency/"))) AS ?leadLabel) }}
}}
GROUP BY ?item ?plan ?number ?title ?ps
ORDER BY ?ps ?number ?item
"""
