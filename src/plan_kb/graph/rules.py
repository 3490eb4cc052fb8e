"""Rules a reviewer can read: every ``extraction/rules/*.rq`` (a SPARQL UPDATE) runs on each document's graph
after the readers, in file-name order. The inheritance of responsibility from standing notes is one of them."""

from __future__ import annotations

from pathlib import Path

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.resources import EXTRACTION
from plan_kb.graph.writer import GraphWriter


def rule_files() -> list[Path]:
    return sorted((EXTRACTION / "rules").glob("*.rq"))


def apply_rules(w: GraphWriter) -> None:
    for path in rule_files():
        w.g.update(sparql_prefixes() + path.read_text(encoding="utf-8"))
