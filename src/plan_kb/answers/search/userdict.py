"""The words jieba must keep whole, and the synonym groups of the queries, gathered at build time.

Sources, all data: the labels of the agencies, places and indicator concepts in the graph; the ``pkb:indicator``
literals; the SKOS indicator vocabulary ``extraction/indicators.ttl`` when it exists; the terms of
``extraction/search-synonyms.yaml``; and the plans' own key terms — words they put in quotation marks (“海绵城市”,
“老窑水”) and the object of each task title (建设重要湖库消落带生态环状屏障 → 湖库消落带生态环状屏障).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SKOS

from plan_kb.answers.search.documents import Corpus, Entry, union_view
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.resources import EXTRACTION, load_yaml

SYNONYMS_FILE = "search-synonyms.yaml"
INDICATORS_FILE = "indicators.ttl"
MAX_WORD = 12

_OK = re.compile(r"^[\u3400-\u9fffA-Za-z0-9][\u3400-\u9fffA-Za-z0-9.+#\-]*$")
_QUOTED = re.compile(r"[“「\"]([^”」\"\n]{2,16})[”」\"]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FORMULA = re.compile(r"[A-Za-z0-9.₀-₉+\-]{1,10}")

Q_ENTITY_LABELS = sparql_prefixes() + """
SELECT DISTINCT ?l WHERE {
  VALUES ?cls { pkb:Agency pkb:AdministrativeRegion pkb:WaterBody pkb:Area skos:Concept }
  ?x a ?cls ; skos:prefLabel|skos:altLabel|rdfs:label ?l .
}"""

def search_config() -> tuple[list[list[str]], list[str]]:
    """Synonym groups and query stop words from ``extraction/search-synonyms.yaml``."""
    data = load_yaml(SYNONYMS_FILE) or {}
    groups = [[str(t).strip() for t in g["terms"] if str(t).strip()] for g in data.get("synonyms") or []]
    return [g for g in groups if len(g) > 1], [str(w) for w in data.get("stopwords") or []]


def indicator_vocabulary(path: Path | None = None) -> list[list[str]]:
    """Label groups of the SKOS indicator vocabulary (one group per concept), if the file exists."""
    path = path or EXTRACTION / INDICATORS_FILE
    if not path.exists():
        return []
    g = Graph()
    g.parse(path, format="turtle")
    groups: dict = {}
    for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
        for s, o in g.subject_objects(p):
            if isinstance(o, Literal) and _term_label(o):
                groups.setdefault(s, set()).add(str(o).strip())
    return [sorted(v) for _k, v in sorted(groups.items())]


def _term_label(o: Literal) -> bool:
    """A Chinese label, or a formula or abbreviation (SO2, NOx, PM2.5), not an English description."""
    s = str(o).strip()
    if not s:
        return False
    if o.language in (None, "zh") or (o.language or "").startswith("zh"):
        return True
    return bool(_FORMULA.fullmatch(s)) and any(c.isupper() or c.isdigit() for c in s)


def entity_labels(dataset: Dataset) -> set[str]:
    return {str(r.l).strip() for r in union_view(dataset).query(Q_ENTITY_LABELS) if str(r.l).strip()}


def quoted_terms(texts: Iterable[str]) -> set[str]:
    """Terms a plan puts in quotation marks, split at 、 (“吃得放心、住得安心” → two terms)."""
    out = set()
    for t in texts:
        for m in _QUOTED.finditer(t):
            out.update(p.strip() for p in re.split(r"[、,;]", m.group(1)))
    return out


def title_objects(titles: Iterable[str], tagger) -> set[str]:
    """Noun phrases of task titles: runs of two or three nouns, 3 to 6 characters in all, that jieba would otherwise
    cut apart (建设重要湖库消落带生态环状屏障 → 生态环状屏障; 提升饮用水水源保护水平 → 饮用水水源)."""
    out = set()
    for title in titles:
        run: list[str] = []
        for p in [*tagger.cut(title), None]:
            if p is not None and p.flag.startswith("n") and len(p.word) > 1:
                run.append(p.word)
                continue
            term = "".join(run)
            if 2 <= len(run) <= 3 and 3 <= len(term) <= 6:
                out.add(term)
            run = []
    return out


def vocabulary(corpus: Corpus, dataset: Dataset, synonym_groups: list[list[str]], tagger) -> list[str]:
    return merge_vocabulary(entity_labels(dataset), synonym_groups, [entry_words(corpus.entries, tagger)])


def entry_words(entries: Iterable[Entry], tagger) -> set[str]:
    """The words that some items themselves bring: their indicators, quoted terms and title objects."""
    entries = list(entries)
    words: set[str] = set()
    for e in entries:
        words |= e.indicators
    words |= quoted_terms(e.text for e in entries)
    words |= title_objects((e.title for e in entries if e.kind == "task"), tagger)
    return {w for w in words if _fits(w)}


def merge_vocabulary(labels: set[str], synonym_groups: list[list[str]], parts: Iterable[Iterable[str]]) -> list[str]:
    """The user dictionary: the entities' labels, the synonyms and the words of every part of the items."""
    words = set(labels)
    for g in synonym_groups:
        words.update(g)
    for part in parts:
        words.update(part)
    return sorted(w for w in words if _fits(w))


def _fits(w: str) -> bool:
    return 2 <= len(w) <= MAX_WORD and bool(_OK.match(w)) and (bool(_CJK.search(w)) or len(w) >= 2)


def write_userdict(path: Path, words: Iterable[str]) -> None:
    """jieba's user dictionary format: one word a line (jieba works out a frequency that keeps it whole)."""
    path.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
