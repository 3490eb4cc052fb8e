"""The quality checks of ``shapes/*-violation.rq`` (ODK style: a SELECT whose every row is a violation), run on a
store. ``plan-kb build`` runs them on the new build's Oxigraph store and fails on any row; they are whole-base
checks (a shared entity described in two documents' graphs), which per-document SHACL cannot see."""

from __future__ import annotations

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


def run_checks(store: Store | ox.Store, files: list[Path] | None = None) -> list[Violation]:
    """Every row of every check, in file order (the default graph is the union of the named graphs)."""
    out = []
    for f in files if files is not None else check_files():
        sparql = sparql_prefixes() + f.read_text(encoding="utf-8")
        res = run_on_oxigraph(store, sparql) if isinstance(store, ox.Store) else store.query(sparql)
        name = f.name.removesuffix("-violation.rq")
        out += [Violation(name, {k: (str(v) if v is not None else None) for k, v in r.items()})
                for r in res.records()]
    return out
