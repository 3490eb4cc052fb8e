"""The indicators thresholds and goals measure: the SKOS scheme of ``extraction/indicators.ttl`` and the look-up of
its labels in text (any spelling: PM₂.₅ = PM2.5, NOₓ = NOx). Extra knowledge of the environmental field: a value
whose indicator is not in the scheme is read all the same, with the words the text uses."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import Graph
from rdflib.namespace import SKOS

from plan_kb.base.resources import EXTRACTION


@lru_cache(maxsize=1)
def indicator_scheme() -> Graph:
    """The SKOS scheme of indicators (``extraction/indicators.ttl``)."""
    return Graph().parse(EXTRACTION / "indicators.ttl", format="turtle")


def label_key(s: str) -> str:
    """Labels compare after NFKC (PM₂.₅ = PM2.5, NOₓ = NOx), without spaces, case-insensitively; Ⅴ = V."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).casefold()


@lru_cache(maxsize=1)
def _concept_labels() -> list[tuple[str, str]]:
    g = indicator_scheme()
    out = {(label_key(str(lab)), str(c)) for p in (SKOS.prefLabel, SKOS.altLabel) for c, lab in g.subject_objects(p)}
    return sorted(out, key=lambda lc: -len(lc[0]))


def concept_for(name: str) -> str | None:
    """The concept whose label is ``name`` (any spelling), else None."""
    key = label_key(name)
    return next((c for lab, c in _concept_labels() if lab == key), None)


def find_concepts(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping mentions of indicator labels in ``text``, longest first at each place: (start, end, IRI)."""
    folded = "".join(_fold_char(ch) for ch in text)  # one character for one, so offsets stay those of text
    taken: list[tuple[int, int, str]] = []
    for lab, concept in _concept_labels():
        if len(lab) < 1:
            continue
        for m in re.finditer(re.escape(lab), folded):
            s, e = m.span()
            if lab.isascii() and ((s > 0 and folded[s - 1].isascii() and folded[s - 1].isalnum()) or
                                  (e < len(folded) and folded[e].isascii() and folded[e].isalnum())):
                continue
            if any(s < te and ts < e for ts, te, _ in taken):
                continue
            taken.append((s, e, concept))
    return sorted(taken)


def _fold_char(ch: str) -> str:
    f = unicodedata.normalize("NFKC", ch).casefold()
    return f if len(f) == 1 else ch
