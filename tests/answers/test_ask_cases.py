"""The question cases of tests/answers/ask_cases.yaml and ask_cases_voices.yaml (questions in users' own voices),
asked of the bundled corpus's knowledge base."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from plan_kb.answers.ask import Asker
from plan_kb.answers.ask.text import fold

CASE_FILES = ("ask_cases.yaml", "ask_cases_voices.yaml", "ask_cases_s3.yaml", "ask_cases_s4.yaml", "ask_cases_s5.yaml",
              "ask_cases_s6.yaml")
CASES = [c for f in CASE_FILES
         for c in yaml.safe_load((Path(__file__).parent / f).read_text(encoding="utf-8"))["cases"]]
_ids = itertools.count()
OUT_OF_SCOPE = "超出了知识库的范围"


def _name(case: dict) -> str:
    turns = case.get("conversation") or [case]
    return f"{next(_ids):02d}-" + "→".join(t["q"] for t in turns)


def _agency(asker: Asker, name: str) -> str:
    iris = {i for i in asker.lex.names.get(fold(name), ()) if asker.lex.entities[i].kind == "agency"}
    assert len(iris) == 1, f"the case names {name!r}, which is not one agency of the graph"
    return iris.pop()


def check(asker: Asker, turn: dict, out: dict[str, Any]) -> None:
    where = f"{turn['q']} -> {out['intent']}: {out['answer']}"
    assert out["intent"] == turn["intent"], where
    refs = [f"{t['plan']}#{t['number']}" for t in out["tasks"]]
    if turn["intent"] == "unknown":
        assert not out["agencies"] and not out["tasks"] and not out["values"], where
    if "agencies" in turn:
        want = sorted(_agency(asker, n) for n in turn["agencies"])
        assert sorted(a["iri"] for a in out["agencies"]) == want, where
    if "tasks" in turn:
        assert sorted(refs) == sorted(turn["tasks"]), where
    if "top" in turn:
        assert refs and refs[0] == turn["top"], where
    for value, unit in turn.get("values", []):
        have = {(round(float(v["value"]), 6), (v["unit"] or "").rsplit("/", 1)[-1]) for v in out["values"]}
        assert (round(float(value), 6), unit) in have, where
    for word in turn.get("answer_has", []):
        assert word in out["answer"], where
    for t in out["tasks"]:  # every cited task quotes its own text
        assert t["quote"] and t["quote"] in asker.lex.task_by_iri[t["iri"]].text, where
    if turn["intent"] != "unknown":  # an in-scope question is never called out of scope
        assert OUT_OF_SCOPE not in out["answer"], where
    for c in out["constraints"]:  # a constraint the answer did not use is said, never dropped silently
        if not c["used"] and c["kind"] in ("agency", "place", "date", "plan", "role") and c["text"] != "(上文)" \
                and out["intent"] != "unknown":
            assert c["text"] in out["answer"], f"{where} — unused: {c}"
        if c["kind"] == "slip":  # a corrected slip is shown
            assert c["note"] in out["answer"], where


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_case(asker: Asker, case: dict) -> None:
    turns = case.get("conversation") or [case]
    conversation = f"case{id(case)}" if "conversation" in case else None
    for turn in turns:
        today = turn.get("today")
        out = asker.ask(turn["q"], today=date.fromisoformat(str(today)) if today else date(2022, 12, 1),
                        conversation=conversation)
        check(asker, turn, out)
