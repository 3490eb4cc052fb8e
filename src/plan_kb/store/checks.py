"""The quality checks of ``shapes/*-violation.rq`` (ODK style: a SELECT whose every row is a violation), run on a
store. ``plan-kb build`` runs them on the new build's Oxigraph store and fails on any row; they are whole-base
checks (a shared entity described in two documents' graphs), which per-document SHACL cannot see.

On a base that passed them, only what a build adds can make a row: a check whose rows name an ``?entity`` and
that is monotone (no ``NOT EXISTS``, ``MINUS``, ``OPTIONAL``: removing statements never makes a row) runs, after
the base changed, for the entities the new statements are about (``VALUES ?entity { … }`` at the start of its
outermost WHERE), in milliseconds where the whole base takes seconds. That holds for a check whose every pattern
on ``?entity`` has it as subject (a new row needs a new statement about it) — as both checks here do. Any other
check runs on the whole base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.resources import SHAPES
from plan_kb.store.engine import Store
from plan_kb.store.results import run_on_oxigraph


@dataclass(frozen=True)
class Violation:
    check: str  # the file's name without -violation.rq
    row: dict[str, str]

    def line(self) -> str:
        cells = ", ".join(f"{k}={v}" for k, v in self.row.items() if v is not None)
        return f"Violation: {self.check}: {cells}"


def check_files(folder: Path = SHAPES) -> list[Path]:
    return sorted(folder.glob("*-violation.rq"))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NOT_MONOTONE = re.compile(r"\bNOT\s+EXISTS\b|\bMINUS\b|\bOPTIONAL\b", re.IGNORECASE)
#: More entities than this and the whole base is checked (a VALUES block that long is no faster).
MAX_ENTITIES = 50_000


def restricted(sparql: str, entities: set[ox.NamedNode]) -> str | None:
    """``sparql`` run for ``entities`` only, or None when the check cannot be restricted (see the module)."""
    m = _WHERE.search(sparql)
    if m is None or "?entity" not in sparql or _NOT_MONOTONE.search(sparql):
        return None
    values = "VALUES ?entity { " + " ".join(str(e) for e in sorted(entities, key=str)) + " }"
    return sparql[:m.end()] + " " + values + " " + sparql[m.end():]


def run_checks(store: Store | ox.Store, files: list[Path] | None = None,
               entities: set[ox.NamedNode] | None = None) -> list[Violation]:
    """Every row of every check, in file order (the default graph is the union of the named graphs). With
    ``entities`` (what a change to a base that passed the checks added statements about), a check that can be
    restricted to them is (module docstring)."""
    out = []
    for f in files if files is not None else check_files():
        sparql = sparql_prefixes() + f.read_text(encoding="utf-8")
        narrow = restricted(sparql, entities) if entities is not None and len(entities) <= MAX_ENTITIES else None
        if narrow is not None and not entities:
            continue  # nothing new: nothing this check could find
        sparql = narrow or sparql
        res = run_on_oxigraph(store, sparql) if isinstance(store, ox.Store) else store.query(sparql)
        name = f.name.removesuffix("-violation.rq")
        out += [Violation(name, {k: (str(v) if v is not None else None) for k, v in r.items()})
                for r in res.records()]
    return out
