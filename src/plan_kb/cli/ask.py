"""``plan-kb ask "…"``: a question in Chinese, answered from the knowledge base (the same JSON as ``POST /ask``)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from plan_kb.errors import PlanKBError

HELP = "ask a question in Chinese (e.g. 汾河流域横向生态补偿谁牵头?) and get the answer with the tasks it rests on"


class BadDate(PlanKBError):
    """A --today that is not YYYY-MM-DD."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="+", help="the question (several words are joined)")
    p.add_argument("--json", action="store_true", help="print the answer object as JSON (as POST /ask returns it)")
    p.add_argument("--today", help="the date relative phrases (今年, 明年) are read against, YYYY-MM-DD")
    p.add_argument("--conversation", help="a conversation id: a follow-up question reuses what the last one "
                   "established (kept in the data folder)")


def run(args: argparse.Namespace) -> int:
    question = "".join(args.question) if len(args.question) > 1 else args.question[0]
    # the length check comes before anything is loaded, so an oversized question fails at once
    from plan_kb.answers.ask import Asker, FileConversations, check_question

    check_question(question)
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise BadDate(f"--today must be a date YYYY-MM-DD, not {args.today!r}") from None
    from plan_kb.store.folders import current_dir, data_dir

    folder = current_dir()
    asker = Asker.open(folder, FileConversations(data_dir() / "conversations"))
    out = asker.ask(question, today=today, conversation=args.conversation)
    if args.json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return 0
    print(out["answer"])
    if out["tasks"]:
        print("依据:")
    for t in out["tasks"]:
        print(f"  · {t['plan']} 第{t['number']}项 {t['title']}:{t['quote']}")
    for v in out["values"]:
        print(f"  = {v['comparator'] or ''} {v['value']} {v['unit'] or ''} ({v['indicator'] or ''})")
    return 0 if out["intent"] != "unknown" else 1
