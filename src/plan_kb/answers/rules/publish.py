"""``rules.ttl`` and ``rules.json`` of a build, written from each document's part.

Each document's rules (compiled per document, ``incremental``) are published once: their ``rules.json`` entries and
their shapes as Turtle statements (Oxigraph's serialiser, with the prefixes of :func:`shapes.bound_graph`), kept
with the document's compiled rules in ``rules.cache.pickle`` and reused while the document's unit key, this code and
the prefixes are unchanged. ``rules.ttl`` is the prefixes, the vocabularies (``shapes.rules_graph`` without the
shapes: the indicator scheme, the source kinds, the rules' local concepts) and every document's statements one after
the other; their blank nodes are rdflib's, unique to each shape, so the parts do not run into each other.
``rules.json`` lists every entry in the rules' canonical order (``compile.rule_order``), as a compile of the whole
base gives it. A build writes both files whole (they are the base's), but compiles and serialises only the new.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef

from plan_kb.answers.rules.compile import Compiled, Rule, rule_order
from plan_kb.answers.rules.shapes import bound_graph, describe, message, rule_shapes
from plan_kb.base.namespaces import PREFIXES


@cache
def prefixes() -> dict[str, str]:
    """The prefixes ``rules.ttl`` declares: the project's and the shapes' own."""
    names = {*PREFIXES, "chk", "sh", "ind", "src"}
    return {k: str(v) for k, v in bound_graph().namespaces() if k and k in names}


@cache
def version() -> str:
    """What a document's published part depends on besides its rules: this code, the shapes' and the prefixes."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(json.dumps(prefixes(), sort_keys=True).encode())
    for name in ("publish.py", "shapes.py", "vocab.py", "compile.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def entry(rule: Rule) -> dict[str, Any]:
    """A rule as ``rules.json`` lists it."""
    return rule.as_json() | {"text": describe(rule), "message": message(rule)}


class _Triples(dict):
    """The triples ``shapes.rule_shapes`` adds, each once, in order (an rdflib graph indexes every one)."""

    def add(self, triple: tuple) -> None:
        self[triple] = None


def _ox(t: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t))


def statements(triples: Any) -> str:
    """``triples`` (rdflib's terms) as Turtle statements without the ``@prefix`` lines (:func:`prefixes` are
    declared once at the top of the file); as N-Triples lines, which Turtle reads too, when Oxigraph refuses a
    term."""
    import pyoxigraph as ox

    try:
        text = ox.serialize([ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples], format=ox.RdfFormat.TURTLE,
                            prefixes=prefixes()).decode("utf-8")
    except (SyntaxError, ValueError):
        g = Graph()
        for t in triples:
            g.add(t)
        return g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = text.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("@prefix "):
        i += 1
    body = "\n".join(lines[i:])
    return body if not body or body.endswith("\n") else body + "\n"


def part(rules: list[Rule]) -> dict[str, Any]:
    """What a document's rules publish: their entries and their shapes' statements."""
    g = _Triples()
    for r in rules:
        rule_shapes(g, r)
    return {"version": version(), "entries": [entry(r) for r in rules], "ttl": statements(g)}


def _parts(compiled: Compiled) -> list[tuple[list[Rule], dict[str, Any]]]:
    """Each document's rules and published part (made for those that have none of this version), in the order of
    the build's documents; the whole base as one part when it was not compiled by document."""
    records = getattr(compiled, "extra_cache", {}).get("documents")
    if records is None:
        return [(compiled.rules, part(compiled.rules))]
    out = []
    for rec in records.values():
        rules = rec["compiled"].rules
        if rec.get("published", {}).get("version") != version():
            rec["published"] = part(rules)
        out.append((rules, rec["published"]))
    return out


def publish(folder: Path, compiled: Compiled, head: Graph) -> None:
    """Write ``folder/rules.ttl`` (``head``, the vocabularies, then every document's shapes) and
    ``folder/rules.json``."""
    parts = _parts(compiled)
    with (folder / "rules.ttl").open("w", encoding="utf-8") as out:
        out.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes().items()))
        out.write(statements(head))
        for _rules, p in parts:
            out.write(p["ttl"])
    pairs = [(rule_order(r), e) for rules, p in parts for r, e in zip(rules, p["entries"], strict=True)]
    pairs.sort(key=lambda x: x[0])
    doc = {"rules": [e for _k, e in pairs], "local_indicators": compiled.local_concepts,
           "not_compiled": compiled.skipped}
    (folder / "rules.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
