"""Per-document build units (issue 19): a build reuses every document whose text, reading resources and code are
unchanged, says so, and gives the same base as a build from nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from plan_kb.bench.corpus import first_of, make_copies
from plan_kb.build import build

pytestmark = pytest.mark.slow


def _quads(folder: Path) -> set:
    """The quads of a build's ``kb.nq``, which are those of its Oxigraph store."""
    quads = set(ox.parse(path=str(folder / "kb.nq"), format=ox.RdfFormat.N_QUADS))
    assert quads == set(ox.Store.read_only(str(folder / "oxigraph")))
    return quads


def _two_of_three(tmp_path: Path):
    """Three distinct copies of the corpus, a corpus of the first two, and its build: (three, two, data, build)."""
    three = make_copies(3, tmp_path / "three")
    two = first_of(three, 2, tmp_path / "two")
    data = tmp_path / "data"
    return three, two, data, build(two, data)


def test_a_document_added_reuses_the_others_and_equals_a_cold_build(tmp_path: Path) -> None:
    three, two, data, first = _two_of_three(tmp_path)
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


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _shapes(folder: Path) -> ox.Dataset:
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object)
                    for t in ox.parse(path=str(folder / "rules.ttl"), format=ox.RdfFormat.TURTLE))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


def test_an_added_document_updates_index_words_and_rules_as_a_cold_build_makes_them(tmp_path: Path) -> None:
    """Adding a document starts from copies of the served build's store and search index (updated with what
    changed, the served folder left byte for byte as it was) and gives the same search answers, question words,
    rules and shapes as a build from nothing."""
    three, two, data, first = _two_of_three(tmp_path)
    served = _files(first.folder)
    shutil.copy(sorted(three.glob("*.txt"))[2], two)
    added = build(two, data)
    assert _files(first.folder) == served
    assert added.report["reuse"]["store"].startswith("the served build's store, 1 unit")
    assert added.report["search"]["indexed"] < added.report["search"]["documents"]
    assert added.report["search"]["read"] == 1  # the items of the other documents are reused
    cold = build(three, tmp_path / "cold")
    assert cold.report["reuse"]["store"] == "loaded from every unit"
    assert cold.report["search"]["indexed"] == cold.report["search"]["documents"]
    _same_as_cold(added, cold)


def _same_as_cold(built, cold) -> None:
    """The quads, report, rules, shapes, question words and search answers of ``built`` are ``cold``'s."""
    from plan_kb.answers.search import search

    assert _quads(built.folder) == _quads(cold.folder)
    assert built.report["documents"] == cold.report["documents"]
    for name in ("rules.json", "ask/words.txt", "search/userdict.txt"):
        assert (built.folder / name).read_bytes() == (cold.folder / name).read_bytes(), name
    assert _shapes(built.folder) == _shapes(cold.folder)
    plan = next(iter(cold.report["documents"][-1]["plans"]))
    for q, filters, sort in (("生态流量", {}, "relevance"), ("", {"plan": plan}, "deadline"),
                             ("", {}, "relevance"), ("水利厅", {"role": "lead"}, "relevance")):
        a, c = (search(b.folder, q, filters, sort=sort, size=50) for b in (built, cold))
        assert a.total == c.total and [h.iri for h in a.hits] == [h.iri for h in c.hits], (q, filters)
        assert a.facets == c.facets


def _from_the_units(corpus: Path, data: Path, where: Path):
    """A build of ``corpus`` from nothing but copies of ``data``'s units: its store, index, words and rules made
    whole, as a cold build makes them (the units are the same either way)."""
    shutil.copytree(data / "units", where / "units")
    return build(corpus, where)


def test_a_document_removed_or_changed_leaves_what_a_cold_build_makes(tmp_path: Path) -> None:
    """Removing or changing a document starts from the served build's store too: the document's graph goes, and
    those of its statements about shared entities that no other document makes (a removed copy's cited plan)."""
    three, two, data, _first = _two_of_three(tmp_path)
    shutil.copy(sorted(three.glob("*.txt"))[2], two)
    served = build(two, data)
    before = _files(served.folder)
    first_file = sorted(two.glob("*.txt"))[0]
    text = first_file.read_text(encoding="utf-8")
    first_file.write_text(text.replace("保障重点河流生态流量", "保障重点河流的生态流量"), encoding="utf-8")
    changed = build(two, data)
    assert changed.report["units"]["made"] == [first_file.name]
    assert changed.report["reuse"]["store"] == "the served build's store, 1 unit(s) added, 1 removed"
    assert _files(served.folder) == before
    cold = _from_the_units(two, data, tmp_path / "cold-changed")
    assert cold.report["reuse"]["store"] == "loaded from every unit"
    _same_as_cold(changed, cold)
    gone = sorted(two.glob("*.txt"))[1]
    cited = {q for q in _quads(changed.folder) if q.graph_name.value.endswith("/graph/works")}
    gone.unlink()
    removed = build(two, data)
    assert removed.report["units"]["made"] == []
    assert removed.report["reuse"]["store"] == "the served build's store, 0 unit(s) added, 1 removed"
    assert removed.report["search"]["read"] == 0  # its cited plan going from the works' registry changes no item
    assert {q for q in _quads(removed.folder) if q.graph_name.value.endswith("/graph/works")} < cited
    _same_as_cold(removed, _from_the_units(two, data, tmp_path / "cold-removed"))
