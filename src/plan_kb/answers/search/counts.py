"""Filters and facet counts over arrays: each facet's values held as pairs (document, value), worked out once per
opened index, so that a filter is a mask of the documents and a facet's counts one ``bincount`` over the hits that
pass the other filters, whatever the number of hits.

The same values as :func:`plan_kb.answers.search.facets._values`: an item's agencies are those of the roles
selected (of every role when none is), its roles those naming a selected agency (every role that names one when
none is); the other facets are the item's own values.
"""

from __future__ import annotations

import numpy as np

from plan_kb.answers.search.facets import FACETS, _values

_PAIRED = ("agency", "role")


class Facets:
    """The pairs of every facet of an opened index (``Arrays.size`` documents)."""

    def __init__(self, meta: dict[int, dict], size: int):
        self.size = size
        self.values: dict[str, list[str]] = {}
        self.index: dict[str, dict[str, int]] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for facet in FACETS:
            if facet in _PAIRED:
                continue
            docs, vals = [], []
            idx = self.index.setdefault(facet, {})
            for n, m in meta.items():
                for v in sorted(_values(m, facet, {})):
                    docs.append(n)
                    vals.append(idx.setdefault(v, len(idx)))
            self.values[facet] = list(idx)
            self.pairs[facet] = (np.array(docs, dtype=np.int64), np.array(vals, dtype=np.int64))
        roles = self.index.setdefault("role", {})
        agencies = self.index.setdefault("agency", {})
        t_doc, t_role, t_agency = [], [], []
        for n, m in meta.items():
            for r, ids in m["roles"].items():
                for a in dict.fromkeys(ids):
                    t_doc.append(n)
                    t_role.append(roles.setdefault(r, len(roles)))
                    t_agency.append(agencies.setdefault(a, len(agencies)))
        self.values["role"], self.values["agency"] = list(roles), list(agencies)
        self._paired: dict[tuple[str, frozenset[str]], tuple[np.ndarray, np.ndarray]] = {}
        self.triples = (np.array(t_doc, dtype=np.int64), np.array(t_role, dtype=np.int64),
                        np.array(t_agency, dtype=np.int64))

    def _ids(self, facet: str, values: set[str]) -> np.ndarray:
        idx = self.index[facet]
        return np.array(sorted(idx[v] for v in values if v in idx), dtype=np.int64)

    def _pairs(self, facet: str, selected: dict[str, set[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(document, value) of ``facet`` under the selection (which changes an item's agencies and roles)."""
        if facet not in _PAIRED:
            return self.pairs[facet]
        other = "role" if facet == "agency" else "agency"
        key = (facet, frozenset(selected.get(other, ())))
        got = self._paired.get(key)
        if got is None:
            got = self._paired[key] = self._pair(facet, other, selected)
            while len(self._paired) > 64:
                self._paired.pop(next(iter(self._paired)))
        return got

    def _pair(self, facet: str, other: str, selected: dict[str, set[str]]) -> tuple[np.ndarray, np.ndarray]:
        doc, role, agency = self.triples
        keep = np.isin(agency if other == "agency" else role, self._ids(other, selected[other])) \
            if other in selected else np.ones(len(doc), dtype=bool)
        vals = agency if facet == "agency" else role
        width = max(len(self.values[facet]), 1)
        both = np.unique(doc[keep] * width + vals[keep])
        return both // width, both % width

    def passing(self, selected: dict[str, set[str]], skip: str | None = None) -> np.ndarray:
        """The documents that pass every selected facet but ``skip``."""
        ok = np.ones(self.size, dtype=bool)
        for facet, values in selected.items():
            if facet == skip:
                continue
            docs, vals = self._pairs(facet, selected)
            mask = np.zeros(self.size, dtype=bool)
            mask[docs[np.isin(vals, self._ids(facet, values))]] = True
            ok &= mask
        return ok

    def counts(self, facet: str, among: np.ndarray, selected: dict[str, set[str]]) -> dict[str, int]:
        """Value → the number of documents of ``among`` (a mask) that have it, for the values some of them have."""
        docs, vals = self._pairs(facet, selected)
        got = np.bincount(vals[among[docs]], minlength=len(self.values[facet]))
        names = self.values[facet]
        return {names[i]: int(got[i]) for i in np.flatnonzero(got)}


def facet_counts(f: Facets, hit: np.ndarray, selected: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    """For each facet, its counts over the hits that pass every other filter."""
    out: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        among = hit & f.passing(selected, skip=facet) if selected else hit
        out[facet] = f.counts(facet, among, selected)
    return out
