"""Questions in Chinese, answered from the graph: ``POST /ask`` and ``plan-kb ask`` both call :class:`Asker`.

    asker = Asker.open(folder)                  # the build folder (kb.nq and the search folder's jieba dictionary)
    asker.ask("汾河流域横向生态补偿谁牵头?")      # -> the contract's JSON object

The question is read as constraints plus what it asks for (:mod:`understand`, with :mod:`slips` for pinyin slips and
:mod:`relate` for how its names stand to the asker and to each other),
the constraints compose one query (:mod:`compose`), and the answer is shaped by what is asked (:mod:`answer`,
:mod:`shapes`, :mod:`who`, :mod:`values`); a conversation id lets a follow-up keep the last question's
constraints (:mod:`chat`).
"""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

from plan_kb.answers.ask.answer import Answerer
from plan_kb.answers.ask.chat import FileConversations, MemoryConversations, State, check_id, new_id
from plan_kb.answers.ask.lexicon import Lexicon
from plan_kb.answers.ask.understand import understand
from plan_kb.errors import PlanKBError
from plan_kb.store import Store

#: Longest question accepted, in characters.
MAX_QUESTION = 2000


class QuestionTooLong(PlanKBError):
    """A question past MAX_QUESTION characters (HTTP 413)."""

    status = 413


class EmptyQuestion(PlanKBError):
    """A question with nothing in it (HTTP 422)."""

    status = 422


def check_question(question: Any) -> str:
    """The question, or a clear error: not text, empty, or longer than MAX_QUESTION characters."""
    if not isinstance(question, str):
        raise EmptyQuestion("the question must be a string")
    if len(question) > MAX_QUESTION:
        raise QuestionTooLong(f"the question has {len(question)} characters; at most {MAX_QUESTION} are accepted")
    if not question.strip():
        raise EmptyQuestion("the question is empty")
    bad = _SURROGATE.search(question)
    if bad:
        raise EmptyQuestion(f"the question is not text: it holds a lone surrogate (U+{ord(bad.group()):04X}) at "
                            f"character {bad.start()}")
    return question


_SURROGATE = re.compile("[\ud800-\udfff]")


class Asker:
    """One knowledge base ready for questions: its store, what the reader knows of it, and conversations."""

    def __init__(self, store: Store, folder: Path | None, conversations: Any = None):
        self.store = store
        self.folder = folder
        self.lex = Lexicon.load(store)
        self.answerer = Answerer(store, self.lex, folder)
        self.conversations = conversations or MemoryConversations()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path, conversations: Any = None) -> Asker:
        """The embedded store of a build folder (loaded from its kb.nq)."""
        from plan_kb.store import EmbeddedStore

        return cls(EmbeddedStore(folder, workers=1), folder, conversations)

    def ask(self, question: str, today: date | None = None, conversation: str | None = None) -> dict[str, Any]:
        """The contract's answer object for ``question`` (``conversation``: an id to continue, or None)."""
        question = check_question(question)
        if conversation is not None:
            check_id(conversation)
        prev = self.conversations.get(conversation) if conversation else State()
        today = today or date.today()
        u = understand(question, self.lex, today, self.folder)
        reply = self.answerer.answer(u, prev, today)
        if conversation and reply.state is not None:
            self.conversations.put(conversation, reply.state)
        out: dict[str, Any] = {
            "question": question,
            "intent": reply.intent,
            "answer": reply.answer,
            "agencies": reply.agencies if reply.intent != "unknown" else [],
            "tasks": reply.tasks if reply.intent != "unknown" else [],
            "values": reply.values if reply.intent != "unknown" else [],
            "sparql": reply.sparql if reply.intent != "unknown" else "",
            "constraints": reply.constraints,
        }
        if conversation:
            out["conversation"] = conversation
        return out


__all__ = ["MAX_QUESTION", "Asker", "EmptyQuestion", "FileConversations", "MemoryConversations", "QuestionTooLong",
           "check_question", "new_id"]
