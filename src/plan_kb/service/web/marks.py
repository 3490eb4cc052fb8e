"""The facts of an item marked in its own text: agencies by role, dates, places, thresholds and cited documents,
each at the span the reader took it from (``pkb:sourceStart``/``pkb:sourceEnd`` of its role, mention, deadline,
threshold or citation node, narrowed to the time expression or the written value when the node records one)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from plan_kb.service.deps import KnowledgeBase

ROLE_KEYS = {"leadAgency": "lead", "supportingAgency": "support", "responsibleAgency": "responsible",
             "guidingAgency": "guiding"}


@dataclass
class Mark:
    kind: str  # agency | place | date | threshold | citation
    start: int  # offsets in the document's normalised text
    end: int
    target: str | None  # the IRI the mark stands for
    role: str | None = None
    detail: str | None = None  # date, indicator or title


def _narrow(text: str, base: int, s: int, e: int, inner: str | None) -> tuple[int, int]:
    """The span of ``inner`` inside [s, e) of the item text (which starts at ``base``), or [s, e) itself."""
    if inner:
        i = text.find(inner, max(0, s - base), max(0, e - base))
        if i >= 0:
            return base + i, base + i + len(inner)
    return s, e


def item_marks(kb: KnowledgeBase, iri: str, text: str, start: int) -> list[Mark]:
    """Non-overlapping marks inside the item's text (narrowest spans win), in text order."""
    rows = kb.select(f"""SELECT ?kind ?s ?e ?target ?rp ?inner ?detail WHERE {{
      {{ ?node pkb:roleItem <{iri}> ; pkb:roleAgency ?target ; pkb:roleProperty ?rp ; pkb:sourceStart ?s ;
               pkb:sourceEnd ?e . OPTIONAL {{ ?node pkb:agencyName ?inner }} BIND("agency" AS ?kind) }}
      UNION {{ <{iri}> pkb:hasPlaceMention ?node . ?node pkb:mentionOf ?target ; pkb:sourceStart ?s ;
               pkb:sourceEnd ?e . BIND("place" AS ?kind) }}
      UNION {{ <{iri}> pkb:hasDeadline ?target . ?target pkb:sourceStart ?s ; pkb:sourceEnd ?e .
               OPTIONAL {{ ?target pkb:timeExpression ?inner }} OPTIONAL {{ ?target pkb:date ?dd }}
               BIND(STR(?dd) AS ?detail) BIND("date" AS ?kind) }}
      UNION {{ <{iri}> pkb:hasThreshold ?target . ?target pkb:sourceStart ?s ; pkb:sourceEnd ?e .
               OPTIONAL {{ ?target pkb:valueText ?inner }} OPTIONAL {{ ?target pkb:indicator ?ind }}
               BIND(STR(?ind) AS ?detail) BIND("threshold" AS ?kind) }}
      UNION {{ <{iri}> pkb:citation ?node . ?node pkb:citedWork ?target ; pkb:sourceStart ?s ; pkb:sourceEnd ?e .
               OPTIONAL {{ ?target dcterms:title ?ct }} BIND(STR(?ct) AS ?detail) BIND("citation" AS ?kind) }}
    }}""")
    end = start + len(text)
    found = []
    for r in rows:
        s, e = r["s"], r["e"]
        if not isinstance(s, int) or not isinstance(e, int) or s < start or e > end or s >= e:
            continue  # e.g. a responsibility a standing note outside the item gives
        inner = str(r["inner"]) if r["inner"] is not None else None
        s, e = _narrow(text, start, s, e, inner)
        role = ROLE_KEYS.get(str(r["rp"]).rsplit("#", 1)[-1]) if r["rp"] else None
        found.append(Mark(r["kind"], s, e, r["target"], role, r["detail"]))
    kept: list[Mark] = []
    for m in sorted(found, key=lambda m: (m.end - m.start, m.start, m.kind)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def segments(text: str, start: int, marks: list[Mark]) -> list[dict[str, Any]]:
    """The text cut into plain runs and marked runs: ``{"text": …, "mark": Mark-as-dict or None}``."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in marks:
        a, b = m.start - start, m.end - start
        if a > pos:
            out.append({"text": text[pos:a], "mark": None})
        out.append({"text": text[a:b], "mark": asdict(m)})
        pos = b
    if pos < len(text):
        out.append({"text": text[pos:], "mark": None})
    return out
