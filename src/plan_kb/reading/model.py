"""What the structure reader finds in a document: the notice, its plans, their headings and items.

Every element knows its span ``[start, end)`` in the normalised text of its document, so every fact read from it
can be traced back to the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from plan_kb.reading.normalize import Normalized


@dataclass
class Block:
    """A run of normalised text."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Heading:
    """``三、重点任务`` (level 1) or ``(一)强化水资源管控`` (level 2)."""

    level: int
    numeral: str  # 三 / 一
    title: str  # without its numeral
    label: str  # as printed, e.g. 三、重点任务
    key: str  # 3 / 3-1, unique in its plan
    start: int
    end: int
    parent: Heading | None = None
    kind: str = "section"  # section | goals | measures | preamble-like


@dataclass
class Item:
    """A numbered task (``1. …``) or a measure under 保障措施 (``(一)…``)."""

    kind: str  # task | measure
    plan_key: str
    number: int  # the task number, or the measure's ordinal (一 → 1)
    title: str
    text: str  # the whole item as normalised, paragraphs joined by newline
    start: int
    heading: Heading | None
    # where the plan's numbering restarts per section, the top-level section's key, so the IRI stays unique
    scope: str | None = None
    # a row of a task table: the kind of each of its cells, from the table's header row (number, task, lead,
    # support, responsible, deadline, goal, other)
    columns: tuple[str, ...] | None = None
    # rows of an annexed task table that give this task's roles and deadlines ("各项任务的牵头单位、责任单位和完成时限
    # 见附件"): each a row item (kind "row") with its own span and columns, joined to the task by its number
    annex: list[Item] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.scope}-{self.number}" if self.scope else f"{self.kind}/{self.number}"


@dataclass
class Plan:
    key: str
    title: str
    title_start: int
    start: int
    end: int
    period: tuple[int, int] | None
    preamble: Block | None = None
    headings: list[Heading] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    goal_blocks: list[Block] = field(default_factory=list)
    title_end: int | None = None  # where the printed title ends (a period on a line of its own is part of it)
    title_how: str = "title line"  # title line | title and period line | announced in the notice | guessed

    @property
    def tasks(self) -> list[Item]:
        return [i for i in self.items if i.kind == "task"]

    @property
    def measures(self) -> list[Item]:
        return [i for i in self.items if i.kind == "measure"]


@dataclass
class Notice:
    """The covering notice that publishes the plans (``晋政办发〔2022〕95号``)."""

    number: str | None
    issuer: str | None
    title: str | None
    title_start: int | None
    issued: date | None
    printed: date | None
    addressees: list[str] = field(default_factory=list)
    copy_to: list[str] = field(default_factory=list)
    cited_titles: list[Block] = field(default_factory=list)


@dataclass
class ReadingDoubt:
    """Something the reader could not fully read: it still goes in, and the build report says so."""

    kind: str  # title-guessed | title-from-notice | …
    message: str
    start: int
    end: int
    plan: str | None = None
    item: str | None = None


@dataclass
class Document:
    path: Path
    slug: str  # stable, ASCII, from the document number (or the file name)
    original: str
    normalized: Normalized
    notice: Notice
    plans: list[Plan] = field(default_factory=list)
    source_form: str = "text"  # how the text was got: text, gb18030, pdf, docx, html (reading.sources)
    source_note: str | None = None
    doubts: list[ReadingDoubt] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.normalized.text

    def span(self, start: int, end: int) -> str:
        return self.normalized.text[start:end]
