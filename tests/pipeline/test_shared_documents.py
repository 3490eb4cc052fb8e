"""The shared documents of other house styles (../shared/documents A, B, C: a city plan of Guangdong and two
provincial plans of Zhejiang and Guangdong), each built in a knowledge base of its own and scored with
../shared/eval/score.py, reach what issue 14 asks: tasks 1.0, roles and deadlines ≥ 0.95, places and thresholds
≥ 0.90. Skips where ../shared is absent, as on a user's clone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plan_kb.build import build
from tests.conftest import SHARED

pytestmark = pytest.mark.slow

DOCUMENTS = SHARED / "documents"
SCORE = SHARED / "eval" / "score.py"
ASKED = {"tasks": 1.0, "role.lead": 0.95, "role.support": 0.95, "role.responsible": 0.95, "deadlines": 0.95,
         "places": 0.90, "thresholds": 0.90}


@pytest.mark.parametrize("name", ["A", "B", "C"])
def test_a_shared_document_reads_as_the_issue_asks(name: str, tmp_path: Path) -> None:
    text, gold = DOCUMENTS / f"{name}.txt", DOCUMENTS / f"{name}.json"
    if not (text.exists() and gold.exists() and SCORE.exists()):
        pytest.skip(f"../shared is absent ({DOCUMENTS}): the shared documents cannot be scored here")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(text, corpus)
    data = tmp_path / "kb"
    build(corpus, data)
    nt = tmp_path / "kb.nt"
    with nt.open("wb") as f:
        subprocess.run([sys.executable, "-m", "plan_kb", "export", "--format", "ntriples"], stdout=f, check=True,
                       env=dict(os.environ, PLAN_KB_DATA=str(data)), timeout=300)
    out = subprocess.run([sys.executable, str(SCORE), "--graph", str(nt), "--gold", str(gold), "--json"],
                         capture_output=True, text=True, check=True, timeout=300)
    fields = json.loads(out.stdout)["fields"]
    below = {k: (fields.get(k, {}).get("f1"), need) for k, need in ASKED.items()
             if fields.get(k, {}).get("f1", 0.0) < need}
    assert not below, f"{name}: below what issue 14 asks: {below}"
