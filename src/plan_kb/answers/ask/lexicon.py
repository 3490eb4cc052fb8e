"""What the question reader knows of one knowledge base, read once from its store through named queries: the plans,
the names of agencies, places and indicators (every label the graph gives them), which place lies within which, and
every task (for references by number and by what it is about).

Nothing here is about one plan: the everyday names of plans are data (``extraction/ask.yaml``), everything else comes
from the graph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from plan_kb.answers.ask.slips import Vocabulary
from plan_kb.answers.ask.text import _CJK_RUN, CJK, config, fold
from plan_kb.store import Store
from plan_kb.store.queries import records

#: Beginnings a person may add or leave out of an official name: 省生态环境厅 = 生态环境厅 = 山西省生态环境厅.
LEVEL_PREFIXES = ("山西省", "省")


@dataclass
class Task:
    iri: str
    plan: str
    number: int
    title: str
    text: str
    start: int = 0
    headings: str = ""  # titles of the headings it stands under, one a line

    @property
    def ref(self) -> str:
        return f"{self.plan}#{self.number}"


@dataclass
class Entity:
    iri: str
    kind: str  # agency | place | indicator
    label: str  # the official name (skos:prefLabel), else the longest other label
    labels: set[str] = field(default_factory=set)


@dataclass
class Plan:
    iri: str
    key: str
    title: str
    names: list[str] = field(default_factory=list)  # folded forms that name the plan


@dataclass
class Lexicon:
    plans: dict[str, Plan]
    entities: dict[str, Entity]
    names: dict[str, set[str]]  # folded label → entity IRIs
    within: dict[str, set[str]]  # place → its parents
    tasks: list[Task]
    weak: dict[str, set[str]] = field(default_factory=dict)  # agency names without their ending (住建): need context
    collectives: dict[str, list[str]] = field(default_factory=dict)  # collective → its group (ask.yaml), in order

    # -- reading ---------------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, store: Store) -> Lexicon:
        plans: dict[str, Plan] = {}
        cfg = config()
        for r in records(store, "ask-plans"):
            title = r["title"] or r["key"]
            p = Plan(r["plan"], r["key"], title)
            core = re.sub(r"^(山西省|山西|省)", "", fold(title))
            core_noyear = re.sub(r"\d{4}(—|-|–|~|至)?(\d{4})?年?", "", core)
            p.names = sorted({fold(title), core, core_noyear} - {""}, key=len, reverse=True)
            plans[p.key] = p
        for key, aliases in (cfg.get("plans") or {}).items():
            if key in plans:
                plans[key].names = sorted(set(plans[key].names) | {fold(a) for a in aliases}, key=len, reverse=True)

        entities: dict[str, Entity] = {}
        prefs: dict[str, str] = {}
        for r in records(store, "ask-names"):
            e = entities.setdefault(r["entity"], Entity(r["entity"], r["kind"], ""))
            if e.kind != r["kind"] and r["kind"] == "agency":
                e.kind = "agency"
            e.labels.add(r["label"])
            if r["pref"] is True and r["entity"] not in prefs:
                prefs[r["entity"]] = r["label"]
        names: dict[str, set[str]] = defaultdict(set)
        weak: dict[str, set[tuple[str, str]]] = defaultdict(set)  # stem -> (agency, the form it was cut from)
        forms = [(fold(a), fold(b)) for a, b in cfg.get("name_forms") or ()]
        endings = sorted((fold(x) for x in cfg.get("name_endings") or ()), key=len, reverse=True)
        for e in entities.values():
            e.label = prefs.get(e.iri) or max(e.labels, key=len)
            for lab in e.labels:
                for v in _variants(lab, e.kind, forms):
                    if len(v) >= 2:
                        names[v].add(e.iri)
                        if e.kind == "agency":
                            for end in endings:
                                if v.endswith(end) and len(v) - len(end) >= 2 and not v.startswith("省"):
                                    weak[v[:-len(end)]].add((e.iri, fold(lab)))
                                    break
        by_label = {fold(lab): e.iri for e in entities.values() if e.kind == "agency" for lab in e.labels}
        for spec in cfg.get("agency_names") or ():
            iri = by_label.get(fold(spec["label"]))
            if iri and fold(spec["name"]) not in names:
                names[fold(spec["name"])].add(iri)
        within: dict[str, set[str]] = defaultdict(set)
        for r in records(store, "ask-within"):
            within[r["place"]].add(r["parent"])
        tasks = [Task(r["item"], r["plan"], int(r["number"]), r["title"] or "", r["text"] or "",
                      int(r["start"] or 0), r.get("headings") or "") for r in records(store, "ask-tasks")]
        lex = cls(plans, entities, dict(names), dict(within), tasks)
        # a stem counts only when cut from a form of a name the plans write (住建 from 省住建厅, 发改 from the 发改委
        # of 省发展改革委; not 建设 from a former 建设厅)
        written = "\n".join(f"{t}\n{x}" for t, x in lex.folded)
        lex.weak = {w: {i for i, v in pairs if v in written} for w, pairs in weak.items() if w not in names}
        # and only when the plans write it as a name more than as a word of their own (环境 of 水环境, 生态 of 生态修复,
        # 应急 of 应急管控 are no names; 住建, 水利, 发改 are)
        ends = "|".join(map(re.escape, endings))
        lex.weak = {w: iris for w, iris in lex.weak.items() if iris and not _common_word(w, written, ends)}
        for a, b in cfg.get("ending_swaps") or ():  # 应急局 → 应急厅, 能源厅 → 能源局
            for name, iris in list(lex.names.items()):
                if any(entities[i].kind == "agency" for i in iris):
                    for x, y in ((a, b), (b, a)):
                        if name.endswith(x) and len(name) > 2 and name[:-1] + y not in lex.names:
                            lex.names[name[:-1] + y] = {i for i in iris if entities[i].kind == "agency"}
        for group in cfg.get("collectives") or ():
            iris = [by_label[fold(x)] for x in group if fold(x) in by_label]
            lex.collectives.update({i: iris for i in iris})
        return lex

    # -- look-ups --------------------------------------------------------------------------------------------------

    @cached_property
    def task_by_iri(self) -> dict[str, Task]:
        return {t.iri: t for t in self.tasks}

    def task(self, plan: str, number: int) -> Task | None:
        return next((t for t in self.tasks if t.plan == plan and t.number == number), None)

    def label(self, iri: str) -> str:
        e = self.entities.get(iri)
        return e.label if e else iri.rsplit("/", 1)[-1]

    def place_ancestors(self, iri: str) -> set[str]:
        out: set[str] = set()
        todo = [iri]
        while todo:
            for p in self.within.get(todo.pop(), ()):
                if p not in out:
                    out.add(p)
                    todo.append(p)
        return out

    # -- words of the tasks, for finding a task by what it is about ------------------------------------------------

    @cached_property
    def folded(self) -> list[tuple[str, str]]:
        """(folded title, folded text) of every task; the text ends with the titles of its headings, for a task is
        about them too."""
        return [(fold(t.title), fold(t.text) + "。" + fold(t.headings.replace("\n", "。"))) for t in self.tasks]

    @cached_property
    def _folded_by_iri(self) -> dict[str, tuple[str, str]]:
        return {t.iri: f for t, f in zip(self.tasks, self.folded, strict=True)}

    def folded_of(self, task: Task) -> tuple[str, str]:
        """(folded title, folded text) of one task."""
        return self._folded_by_iri[task.iri]

    @cached_property
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of the character bigrams of the tasks' texts."""
        df: dict[str, int] = defaultdict(int)
        for title, text in self.folded:
            for g in set(grams(title + "。" + text)):
                df[g] += 1
        n = len(self.tasks) or 1
        return {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}

    def says(self, words: str) -> bool:
        """Whether some task's text or heading uses ``words`` (海绵城市 is a word of the plans, not a city)."""
        return any(words in text or words in title for title, text in self.folded)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The character pairs of the tasks' texts, headings and every name (for correcting slips)."""
        texts = [t + "。" + x for t, x in self.folded] + [fold(p.title) for p in self.plans.values()]
        texts += [fold(lab) for e in self.entities.values() for lab in e.labels]
        texts += [fold(w) for w in config().get("question_forms") or ()]  # 使不是 → 是不是: the question's own words
        return Vocabulary(texts)

    @cached_property
    def long_names(self) -> dict[str, list[tuple[str, frozenset[str]]]]:
        """Names of six characters or more of places and agencies, by their first two characters (for names typed
        with their middle left out: 太原及周边1+30区域, 审批局)."""
        out: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for name, iris in self.names.items():
            kinds = {self.entities[i].kind for i in iris if i in self.entities}
            if len(name) >= 6 and kinds and kinds <= {"place", "agency"}:
                out[name[:2]].append((name, frozenset(iris)))
        return dict(out)

    def shortened(self, q: str, i: int) -> tuple[int, frozenset[str]] | None:
        """The longest stretch of ``q`` from ``i`` that is one long name with characters of its middle left out
        (its first two and its last character kept, at least 40% of it and 3 characters or more), and what it names
        (None unless exactly one thing)."""
        best: tuple[int, set[str]] | None = None
        for name, iris in self.long_names.get(q[i:i + 2], ()):
            k, j, end = 0, i, None
            while j < len(q) and k < len(name):
                k = name.find(q[j], k)
                if k < 0:
                    break
                k += 1
                j += 1
                if q[j - 1] == name[-1] and k == len(name):
                    end = j
            if end is None or end - i < max(3, 0.4 * len(name)) or end - i >= len(name):
                continue
            if best is None or end > best[0]:
                best = (end, set(iris))
            elif end == best[0]:
                best[1].update(iris)
        if best is None or len(best[1]) != 1:
            return None
        return best[0], frozenset(best[1])

    @cached_property
    def max_idf(self) -> float:
        return math.log((len(self.tasks) + 1) / 0.5)


def _common_word(stem: str, written: str, endings: str) -> bool:
    """Whether the tasks' text uses ``stem`` more than twice as often as a word of its own (not followed by one of
    ``endings``) as at the start of a name (after no other Chinese character than 省, and followed by an ending)."""
    total = written.count(stem)
    as_end = len(re.findall(re.escape(stem) + f"(?:{endings})", written))
    as_name = len(re.findall(f"(?:^|(?<=[^{CJK}])|(?<=省)|(?<=、)){re.escape(stem)}(?:{endings})", written, re.M))
    return total - as_end > 2 * as_name


def grams(s: str) -> list[str]:
    """Character bigrams of the Chinese runs of ``s`` (a lone character stands for itself) and its ASCII words."""
    out = []
    for m in _CJK_RUN.finditer(s):
        run = m.group()
        out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
    out += re.findall(r"[a-z0-9][a-z0-9.]*[a-z0-9]|[a-z]", s)
    return out


def _variants(label: str, kind: str, forms: list[tuple[str, str]] | None = None) -> set[str]:
    """The folded label, and for an agency the label with and without 省 / 山西省, and with the short forms of
    ``forms`` (住房和城乡建设厅 → 住建厅, 发展改革委 → 发改委)."""
    n = fold(label)
    out = {n}
    if kind == "agency":
        bases = {n}
        for long, short in forms or ():
            for b in list(bases):
                if long in b:
                    bases.add(b.replace(long, short))
        for b in bases:
            base = b
            for p in LEVEL_PREFIXES:
                if b.startswith(p) and len(b) > len(p) + 1:
                    base = b[len(p):]
                    break
            out |= {b, base} | {p + base for p in LEVEL_PREFIXES}
    return out
