"""One SPARQL query composed from the constraints a question states, from the parts in ``api/queries/ask/*.rq``.

    q = Query(agencies=[(iri, {"lead"})], plans=["water"], date=DateAsk(...))
    rows = run(store, q)             # one row per task and matching role / place / deadline

Every constraint narrows the same query: two agencies, an agency with a date, a plan with a place compose without
special cases. The frame (``select.rq``) lists every task with its plan and number; each constraint adds its part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from plan_kb.answers.ask.text import DateAsk
from plan_kb.base.namespaces import PKB, sparql_prefixes
from plan_kb.base.resources import QUERIES
from plan_kb.store import Store, escape_string

PARTS = QUERIES / "ask"
ROLE_PROPS = {"lead": "leadAgency", "support": "supportingAgency", "responsible": "responsibleAgency",
              "guide": "guidingAgency"}
ALL_ROLES = frozenset(ROLE_PROPS)


@dataclass
class Query:
    """The constraints of one question, as the composer takes them."""

    agencies: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (IRI, roles) — every one must hold
    plans: list[str] = field(default_factory=list)  # any of these plans
    places: list[str] = field(default_factory=list)  # every one must be concerned (or a place within it)
    named_places: bool = False  # the places themselves, not the places within them (点名忻州的)
    not_agencies: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (IRI, roles) none may hold
    no_place: bool = False  # only tasks that name no place
    date: DateAsk | None = None
    tasks: list[str] | None = None  # only these tasks (None: no such constraint)

    def empty(self) -> bool:
        return not (self.agencies or self.plans or self.places or self.date or self.tasks is not None
                    or self.not_agencies)


@cache
def part(name: str) -> str:
    """A part's text without its ``#+`` header lines."""
    text = (PARTS / f"{name}.rq").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+"))


def _iri(s: str) -> str:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", s):
        raise ValueError(f"not an IRI: {s!r}")
    return f"<{s}>"


def _str(s: str) -> str:
    return '"' + escape_string(s) + '"'


def _date(d: object) -> str:
    return f'"{d}"^^<http://www.w3.org/2001/XMLSchema#date>'


def _fill(text: str, **values: str) -> str:
    return re.sub(r"\$(\w+)", lambda m: values[m.group(1)] if m.group(1) in values else m.group(0), text)


def sparql(q: Query) -> str:
    """The composed query text (prefixes included)."""
    parts: list[str] = []
    out_vars: list[str] = []
    if q.plans:
        parts.append(_fill(part("plan"), plans=" ".join(_str(p) for p in q.plans)))
    for i, (agency, roles) in enumerate(q.agencies):
        pairs = " ".join(f'(<{PKB}{ROLE_PROPS[r]}> "{r}")' for r in sorted(roles or ALL_ROLES))
        parts.append(_fill(part("agency").replace("{i}", str(i)), roles=pairs, agency=_iri(agency)))
        out_vars += [f"?role{i}", f"?inherited{i}"]
    for i, (agency, roles) in enumerate(q.not_agencies):
        props = " ".join(f"<{PKB}{ROLE_PROPS[r]}>" for r in sorted(roles or ALL_ROLES))
        parts.append(_fill(part("agency_not").replace("{i}", str(i)), props=props, agency=_iri(agency)))
    for i, place in enumerate(q.places):
        name = "place_named" if q.named_places else "place"
        parts.append(_fill(part(name).replace("{i}", str(i)), place=_iri(place)))
        out_vars.append(f"?place{i}")
    if q.no_place:
        parts.append(part("no_place"))
    if q.date is not None:
        d = q.date
        parts.append(_fill(part("date"), mode=_str(d.mode), start=_date(d.start.isoformat()),
                           end=_date(d.end.isoformat())))
        out_vars += ["?kind", "?date", "?startDate"]
    if q.tasks is not None:
        parts.append(_fill(part("tasks"), tasks=" ".join(_iri(t) for t in q.tasks) or "<urn:plan-kb:none>"))
    body = _fill(part("select"), vars=" ".join(out_vars), parts="\n".join(parts))
    return sparql_prefixes() + body


def run(store: Store, q: Query) -> tuple[list[dict], str]:
    text = sparql(q)
    return store.query(text).records(), text
