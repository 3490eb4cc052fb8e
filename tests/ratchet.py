"""The dev-gold score as a ratchet: score the water plan with ../shared/eval/score.py and compare each field with
tests/score_floor.json, which holds for each field the higher of what the issues ask for and what was reached.
Documents of other house styles are scored the same way, each built alone in a knowledge base of its own: the
shared documents (../shared/documents/A, B, C) and the test documents (tests/documents/*.txt with a gold *.json);
their floors are under "documents" in the same file.

    python tests/ratchet.py            print the score and the floors
    python tests/ratchet.py --raise    raise the floors to the score reached now (never lowers them)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
GOLD = SHARED / "gold" / "water.json"
FLOOR = ROOT / "tests" / "score_floor.json"
TEST_DOCUMENTS = ROOT / "tests" / "documents"
SHARED_DOCUMENTS = SHARED / "documents"


def documents() -> dict[str, tuple[Path, Path]]:
    """Every document with a gold reading: ``shared/A`` … from ../shared/documents (where present) and the test
    documents by file stem; name → (text, gold)."""
    out = {}
    for folder, prefix in ((SHARED_DOCUMENTS, "shared/"), (TEST_DOCUMENTS, "")):
        for txt in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            gold = txt.with_suffix(".json")
            if gold.exists():
                out[prefix + txt.stem] = (txt, gold)
    return out


def score_document(txt: Path, gold: Path) -> dict:
    """Build ``txt`` alone into a knowledge base of its own and score its export against ``gold`` (fields only: the
    question command is scored on the bundled corpus)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus, data = Path(tmp) / "corpus", Path(tmp) / "data"
        corpus.mkdir()
        (corpus / txt.name).write_bytes(txt.read_bytes())
        env = dict(os.environ, PLAN_KB_DATA=str(data))
        subprocess.run([sys.executable, "-m", "plan_kb", "build", "--corpus", str(corpus)], env=env, check=True,
                       capture_output=True, timeout=300)
        nq = Path(tmp) / "kb.nq"
        with nq.open("wb") as f:
            subprocess.run([sys.executable, "-m", "plan_kb", "export", "--format", "nquads"], stdout=f, env=env,
                           check=True, timeout=300)
        out = subprocess.run([sys.executable, str(SCORE), "--graph", str(nq), "--gold", str(gold), "--json"],
                             capture_output=True, text=True, check=True, timeout=300)
    result = json.loads(out.stdout)
    result["flat"] = {k: v["f1"] for k, v in result["fields"].items()}
    return result


def has_ask() -> bool:
    return importlib.util.find_spec("plan_kb.cli.ask") is not None


def score(data: Path) -> dict:
    """Export the knowledge base in ``data`` and score it (with the question command where it exists)."""
    env = dict(os.environ, PLAN_KB_DATA=str(data))
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "kb.nt"
        with nt.open("wb") as f:
            subprocess.run([sys.executable, "-m", "plan_kb", "export", "--format", "ntriples"], stdout=f, env=env,
                           check=True, timeout=300)
        cmd = [sys.executable, str(SCORE), "--graph", str(nt), "--gold", str(GOLD), "--json"]
        if has_ask():
            cmd += ["--ask", f"{shlex.quote(sys.executable)} -m plan_kb ask --json", "--timeout", "20"]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=900)
    result = json.loads(out.stdout)
    fields = {k: v["f1"] for k, v in result["fields"].items()}
    if has_ask():
        fields["qa"] = sum(x["ok"] for x in result["qa_summary"].values())
    result["flat"] = fields
    return result


def floors() -> dict:
    return json.loads(FLOOR.read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raise", dest="raise_", action="store_true")
    ap.add_argument("--documents-only", action="store_true", help="only the documents of other house styles")
    args = ap.parse_args()
    if not SCORE.exists():
        print(f"no {SCORE}: nothing to score against")
        return 0
    fl = floors()
    got: dict = {}
    if not args.documents_only:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "plan_kb", "build"], env=dict(os.environ, PLAN_KB_DATA=tmp),
                           check=True, capture_output=True)
            got = score(Path(tmp))["flat"]
        for k in sorted(set(got) | set(fl["floor"])):
            print(f"{k:<18} now {got.get(k)!s:<8} floor {fl['floor'].get(k)!s:<8} asked {fl['asked'].get(k, '')}")
    if args.raise_:
        for k, v in got.items():
            fl["floor"][k] = max(v, fl["floor"].get(k, 0))
    docs = fl.setdefault("documents", {})
    for name, (txt, gold) in documents().items():
        flat = score_document(txt, gold)["flat"]
        entry = docs.setdefault(name, {"floor": {}})
        print(f"{name}: " + " ".join(f"{k}={v}(floor {entry['floor'].get(k)})" for k, v in sorted(flat.items())))
        if args.raise_:
            for k, v in flat.items():
                if k not in entry.get("unscored", ()):
                    entry["floor"][k] = max(v, entry["floor"].get(k, 0))
    if args.raise_:
        FLOOR.write_text(json.dumps(fl, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"floors written to {FLOOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
