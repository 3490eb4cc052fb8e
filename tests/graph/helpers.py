"""Small helpers of the graph tests."""

from __future__ import annotations

from rdflib import Dataset, Graph

from plan_kb.graph.dataset import build_dataset
from plan_kb.reading.structure import read_text


def built(text: str, name: str) -> tuple[Dataset, Graph]:
    """The document's dataset and its union graph."""
    ds, _report = build_dataset([read_text(text, name)])
    g = Graph()
    for s_, p_, o_, _ctx in ds.quads():
        g.add((s_, p_, o_))
    return ds, g
