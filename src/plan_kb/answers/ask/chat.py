"""Conversations: what the last question established (its task, agency, plan, places, date), kept under a
conversation id so that a follow-up ("那配合单位呢?", "2023年底前的呢?", "它还牵头哪些?") can lean on it.

The service keeps conversations in memory (the oldest are dropped past a cap); the command line keeps them as small
JSON files in the data folder, so ``plan-kb ask --conversation ID`` continues across runs.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from plan_kb.errors import PlanKBError

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class BadConversation(PlanKBError):
    """A conversation id that is not a short name of letters, digits, ``_ . -`` (HTTP 422)."""

    status = 422


@dataclass
class State:
    """What a conversation's last answered question established."""

    intent: str | None = None
    tasks: list[str] = field(default_factory=list)  # task IRIs, best first
    agency: str | None = None  # the agency the conversation is about
    plan: str | None = None  # the plan the question named
    places: list[str] = field(default_factory=list)
    date: dict | None = None  # {"mode", "start", "end"}
    roles: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # the agencies the question's constraints named
    plans: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # the words that said what the question was about
    indicators: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # what it asked for (keys of ask.yaml's asks)
    heading: str | None = None  # the part of a plan the answer covered (攻坚战有几项: its heading's title)
    updated: float = 0.0


def check_id(cid: str) -> str:
    if not _ID.fullmatch(cid):
        raise BadConversation("a conversation id is 1–64 letters, digits, '_', '.' or '-'")
    return cid


def new_id() -> str:
    return uuid.uuid4().hex[:16]


class MemoryConversations:
    """Conversations of a running service, at most ``cap`` of them, each forgotten after ``ttl`` seconds."""

    def __init__(self, cap: int = 10000, ttl: float = 6 * 3600):
        self.cap, self.ttl = cap, ttl
        self._d: OrderedDict[str, State] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cid: str) -> State:
        with self._lock:
            s = self._d.get(cid)
            if s is None or time.time() - s.updated > self.ttl:
                return State()
            return s

    def put(self, cid: str, state: State) -> None:
        state.updated = time.time()
        with self._lock:
            self._d[cid] = state
            self._d.move_to_end(cid)
            while len(self._d) > self.cap:
                self._d.popitem(last=False)


class FileConversations:
    """Conversations of the command line: one JSON file per id under ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, cid: str) -> State:
        p = self.folder / f"{check_id(cid)}.json"
        if not p.exists():
            return State()
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            return State(**{k: v for k, v in data.items() if k in State.__dataclass_fields__})
        except (ValueError, TypeError):
            return State()

    def put(self, cid: str, state: State) -> None:
        state.updated = time.time()
        self.folder.mkdir(parents=True, exist_ok=True)
        p = self.folder / f"{check_id(cid)}.json"
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state), ensure_ascii=False), encoding="utf-8")
        tmp.replace(p)
