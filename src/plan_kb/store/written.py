"""SELECT and ASK answers written by Oxigraph itself (its Rust writers of SPARQL results JSON and XML), under the row
and byte caps, so a user's result goes from the store to the client as bytes, with no Python object per row or term
on the way (the query workers write them; the service sends them as they come).

The caps are checked while Oxigraph writes, on what it writes: the byte cap on the bytes written (at least the bytes
of the terms; so a JSON or XML answer reaches it a little before a CSV one of the same rows would), the row cap first
by the size alone — a solution takes at least 3 bytes in JSON (``{}`` and a comma) and 9 in XML (``<result/>``), so
an answer of at most 3 (9) bytes per row of the cap is within it, and nothing is counted (most answers) — then by
counting what marks a row in the text written, which no term's text can hold:

* XML: each solution is one ``<result>`` element (a ``<`` in a value is written ``&lt;``): the count is exact;
* JSON: each bound term is one ``{"type":"`` (a ``"`` in a string is written ``\\"``, and a variable named ``type``
  is followed by ``{``, not ``"``), so the terms over the number of variables bound a solution is a lower bound of
  the rows, passed as soon as it exceeds the cap; the terms plus the ``{}`` (solutions that bind nothing; the
  string ``{}`` inside a value only adds to it) an upper bound, within the cap for every ordinary answer. Between
  the two (a result of many unbound solutions near the cap, or triple terms), the rows are counted by reading the
  answer back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from plan_kb.store.results import ResultTooLarge, RowLimitExceeded, _too_large

#: the formats Oxigraph writes here: name -> its format
WRITTEN = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_TERM = b'{"type":"'
_ROW = b"<result>"


@dataclass(frozen=True, slots=True)
class Written:
    """An answer already in its results format: ``kind`` select or ask, ``format`` json or xml."""

    kind: str
    format: str
    data: bytes


def _too_many(row_limit: int) -> RowLimitExceeded:
    return RowLimitExceeded(f"the result has more than {row_limit} rows, the cap of this service; add a LIMIT (and "
                            "OFFSET to page)")


class _Capped:
    """A file Oxigraph writes into: raises as soon as the byte cap or (for certain) the row cap is passed."""

    def __init__(self, fmt: str, variables: int, row_limit: int | None, byte_limit: int | None):
        self.parts: list[bytes] = []
        self.size = 0
        self.fmt = fmt
        self.mark = _ROW if fmt == "xml" else _TERM
        self.per_row = 1 if fmt == "xml" else max(1, variables)
        self.row_limit = row_limit
        self.byte_limit = byte_limit
        self.marks = 0
        self.empty = 0  # JSON: '{}' seen (solutions binding nothing, or the text '{}' in a value)
        self.nested = False  # JSON: a triple term (its inner terms are terms too)
        self._tail = b""
        #: the bytes an answer may hold and be within the row cap, whatever it says (nothing counted up to there)
        self.uncounted = -1 if row_limit is None else 3 * row_limit - 1 if fmt == "json" else 9 * row_limit + 8
        self.counting = False

    def write(self, chunk: Any) -> int:
        b = chunk if type(chunk) is bytes else bytes(chunk)
        self.size += len(b)
        if self.byte_limit is not None and self.size > self.byte_limit:
            raise _too_large(self.byte_limit)
        self.parts.append(b)
        if self.row_limit is None or self.size <= self.uncounted:
            return len(b)
        if not self.counting:  # past the size that is within the cap for sure: count from the start
            self.counting = True
            b = b"".join(self.parts)
        seam = self._tail + b  # a mark may straddle two chunks: count it in the chunk where it ends
        keep = len(self.mark) - 1
        self.marks += seam.count(self.mark) - self._tail.count(self.mark)
        if self.fmt == "json":
            self.empty += seam.count(b"{}") - self._tail.count(b"{}")
            self.nested = self.nested or b'"triple"' in seam
        self._tail = seam[-keep:]
        if not self.nested and self.marks > self.row_limit * self.per_row:
            raise _too_many(self.row_limit)
        return len(chunk)

    def flush(self) -> None:
        return None

    def rows_at_most(self) -> int:
        if not self.counting:
            return 0 if self.row_limit is None else self.row_limit  # the size says so
        return self.marks if self.fmt == "xml" else self.marks + self.empty

    def exact_rows(self) -> int | None:
        return self.marks if self.fmt == "xml" and self.counting else None


def write_on_oxigraph(answer: Any, fmt: str, row_limit: int | None = None,
                      byte_limit: int | None = None) -> Written:
    """A SELECT or ASK answer of pyoxigraph written in ``fmt`` (a key of :data:`WRITTEN`) within the caps."""
    if isinstance(answer, ox.QueryBoolean):
        return Written("ask", fmt, answer.serialize(format=WRITTEN[fmt]))
    out = _Capped(fmt, len(answer.variables), row_limit, byte_limit)
    answer.serialize(out, format=WRITTEN[fmt])
    data = b"".join(out.parts)
    if row_limit is not None and out.rows_at_most() > row_limit:
        rows = out.exact_rows()
        if rows is None:
            rows = sum(1 for _ in ox.parse_query_results(data, format=WRITTEN[fmt]))
        if rows > row_limit:
            raise _too_many(row_limit)
    return Written("select", fmt, data)


__all__ = ["WRITTEN", "ResultTooLarge", "Written", "write_on_oxigraph"]
