"""Per-document build units (issue 19): a build reuses every document whose text, reading resources and code are
unchanged, says so, and gives the same base as a build from nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from plan_kb.bench.corpus import make_copies
from plan_kb.build import build

pytestmark = pytest.mark.slow


def _quads(folder: Path) -> set:
    return set(ox.parse(path=str(folder / "kb.nq"), format=ox.RdfFormat.N_QUADS))


def test_a_document_added_reuses_the_others_and_equals_a_cold_build(tmp_path: Path) -> None:
    three = make_copies(3, tmp_path / "three")
    two = tmp_path / "two"
    two.mkdir()
    for f in sorted(three.glob("*.txt"))[:2]:
        shutil.copy(f, two / f.name)
    data = tmp_path / "data"
    first = build(two, data)
    assert first.report["units"]["made"] == sorted(f.name for f in two.glob("*.txt"))
    again = build(two, data)
    assert again.report["units"]["made"] == [] and len(again.report["units"]["reused"]) == 2
    assert _quads(again.folder) == _quads(first.folder)
    shutil.copy(sorted(three.glob("*.txt"))[2], two)
    added = build(two, data)
    assert added.report["units"]["made"] == [sorted(three.glob("*.txt"))[2].name]
    cold = build(three, tmp_path / "cold")
    assert _quads(added.folder) == _quads(cold.folder)
    assert added.report["documents"] == cold.report["documents"]
    # a changed text is read again; the documents after it keep their units while the plan keys before them stay
    first_file = sorted(two.glob("*.txt"))[0]
    text = first_file.read_text(encoding="utf-8")
    first_file.write_text(text.replace("保障重点河流生态流量", "保障重点河流的生态流量"), encoding="utf-8")
    changed = build(two, data)
    assert changed.report["units"]["made"] == [first_file.name]
    assert len(changed.report["units"]["reused"]) == 2
    assert len(list((data / "units").iterdir())) <= 6  # units of the builds kept, nothing else
