"""``plan-kb build --explain FILE``: what the reader found where in one document, for a person who adds it; nothing
is built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).parents[1] / "documents"


def explain(path: Path, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plan_kb", "build", "--explain", str(path)], capture_output=True,
                          text=True, env={**os.environ, "PLAN_KB_DATA": str(data)}, timeout=120)


def test_explain_shows_title_headings_items_and_how_each_note_was_split(tmp_path: Path) -> None:
    r = explain(DOCS / "d2-nanjing-wuran-fangzhi.txt", tmp_path / "data")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "plan njssrdhwrfzgjzgzyd: 南京市2023年深入打好污染防治攻坚战工作要点" in out
    assert "title: title line" in out
    assert "二、重点任务  [section]" in out and "三、保障措施  [measures]" in out
    assert "task 2 (task/2)" in out
    # the shared level prefix, with the name as written
    assert "lead        市工信局 (written 工信局)  ← 牵头" in out
    # a positional rule with 下同 reaches the later bare lists
    assert "note 1 (bare note, first listed leads)" in out
    assert "standing note: 各区人民政府 负责 for later tasks" in out
    assert not (tmp_path / "data").exists()  # nothing built


def test_explain_of_restarting_numbers_and_notice_title(tmp_path: Path) -> None:
    r = explain(DOCS / "d4-qingpu-yiyang.txt", tmp_path / "data")
    assert r.returncode == 0, r.stderr
    assert "task 1 (task/2-1)" in r.stdout and "task 1 (task/3-1)" in r.stdout


def test_explain_of_a_document_with_no_plan_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_text("这是一封信。\n\n请查收。\n", encoding="utf-8")
    r = explain(bad, tmp_path / "data")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "looked for a title line" in r.stderr


SECTION_AND_SENTENCES = """某县2025年农村公路建设工作要点

为推进农村公路高质量发展，制定本要点。

一、重点任务

（一）提升路网质量。新改建农村公路50公里。（本部分任务均由县交通运输局牵头，县财政局配合）

1.实施窄路加宽。完成窄路加宽20公里。

2.推进危桥改造。完成危桥改造8座。

（二）改善路域环境

3.开展路域环境整治。此项工作由县住建局牵头，县水利局配合。

附件

第二项　县应急管理局参与
"""


def test_explain_shows_the_roles_the_build_writes_from_a_section_note_sentences_and_an_annex(
        tmp_path: Path) -> None:
    doc = tmp_path / "gonglu.txt"
    doc.write_text(SECTION_AND_SENTENCES, encoding="utf-8")
    r = explain(doc, tmp_path / "data")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    task1 = out[out.index("task 1 "):out.index("task 2 ")]
    assert "the roles of its section's note" in task1 and "lead        县交通运输局" in task1
    task2 = out[out.index("task 2 "):out.index("task 3 ")]
    assert "annex row 2" in task2 and "support     县应急管理局" in task2
    task3 = out[out.index("task 3 "):]
    assert "the roles its sentences state" in task3 and "lead        县住建局" in task3
