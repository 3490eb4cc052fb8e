"""Builds that once replaced a good knowledge base with a bad one, or ended in a traceback: a build that loses most
of the plan, a corpus holding a document twice, a data folder that cannot be written; and what old builds leave."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plan_kb.base.resources import CORPUS
from plan_kb.build import BuildRefused, build, prune
from plan_kb.store.folders import current_dir

pytestmark = pytest.mark.slow

DOC = CORPUS / "shanxi-2022-four-plans.txt"


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plan_kb", "build", *args],
                          env={**os.environ, "PLAN_KB_DATA": str(data)}, capture_output=True, text=True, timeout=600)


@pytest.fixture
def data(tmp_path: Path, built) -> Path:
    """A data folder whose current knowledge base is (a copy of) the session's build of the bundled corpus."""
    d = tmp_path / "data"
    shutil.copytree(built.folder, d / "builds" / built.folder.name, symlinks=True)
    (d / "current").symlink_to(Path("builds") / built.folder.name)
    return d


def test_a_build_without_tasks_is_not_made_current(tmp_path: Path, data: Path) -> None:
    """A file holding only a title (and its preamble) built with exit 0 ('0 tasks') and replaced a knowledge base of
    9,357 triples."""
    before = current_dir(data)
    corpus = tmp_path / "title"
    corpus.mkdir()
    (corpus / "title.txt").write_text("山西省人民政府办公厅文件\n\n晋政办发〔2022〕95号\n\n"
                                      "山西省水环境质量再提升2022—2023年行动计划\n\n"
                                      "为持续改善全省水环境质量,制定本行动计划。\n", encoding="utf-8")
    r = _cli(data, "--corpus", str(corpus))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "no task" in r.stderr and "--force" in r.stderr
    assert current_dir(data) == before
    assert not list((data / "builds").glob("*.partial"))


def test_a_build_losing_most_tasks_of_a_document_needs_force(tmp_path: Path, data: Path) -> None:
    before = current_dir(data)
    corpus = tmp_path / "cut"
    corpus.mkdir()
    text = DOC.read_text(encoding="utf-8")
    cut = text[: text.index("\n山西省空气质量再提升 2022—2023 年 行动计划")]  # the notice and the water plan
    (corpus / "cut.txt").write_text(cut, encoding="utf-8")
    with pytest.raises(BuildRefused, match=r"晋政办发〔2022〕95号: \d+ tasks, the current one has 75"):
        build(corpus, data)
    assert current_dir(data) == before
    result = build(corpus, data, force=True)
    assert current_dir(data) == result.folder != before


def test_a_document_twice_is_named_once(tmp_path: Path) -> None:
    corpus = tmp_path / "twice"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(DOC, corpus / name)
    r = _cli(tmp_path / "data", "--corpus", str(corpus))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
    line = r.stderr.strip().splitlines()[-1]
    assert line.count("晋政办发〔2022〕95号") == 1 and "a.txt, b.txt, c.txt" in line
    assert not (tmp_path / "data" / "current").exists()


def test_a_data_folder_that_cannot_be_written_is_found_first(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    t0 = time.monotonic()
    r = _cli(tmp_path / "file" / "data")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "cannot write the knowledge base into" in r.stderr and "PLAN_KB_DATA" in r.stderr
    assert "reading" not in r.stdout + r.stderr.split("cannot write")[0]
    assert time.monotonic() - t0 < 60


def test_old_builds_and_leftovers_are_pruned(tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    names = [f"2026010{i}T000000-{40000 + i}-1" for i in range(1, 6)]
    for i, n in enumerate(names):
        (builds / n).mkdir(parents=True)
        os.utime(builds / n, (1_700_000_000 + i, 1_700_000_000 + i))
    (tmp_path / "current").symlink_to(Path("builds") / names[0])  # the oldest is served: it stays
    dead = builds / "20260101T000000-999999999-1.partial"  # no such process
    live = builds / f"20260101T000000-{os.getpid()}-1.partial"  # a build still running
    dead.mkdir()
    live.mkdir()
    removed = prune(builds, keep=2)
    assert sorted(p.name for p in builds.iterdir()) == sorted([names[0], names[3], names[4], live.name])
    assert dead in removed
