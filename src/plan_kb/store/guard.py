"""Read-only guard for SPARQL text a user sends: a lexer for the SPARQL 1.1 grammar's terminals.

Strings, IRIs, comments, variables and prefixed names are read as whole tokens, so a keyword only counts where the
grammar sees a keyword (``"SERVICE"``, ``<http://x/LOAD>``, ``?insert`` and ``ex:drop`` are not keywords). The full
grammar is then checked by Oxigraph's parser when the query runs; the guard decides, before anything runs, what
kind of request it is and refuses updates, ``LOAD`` and ``SERVICE``, and it bounds what the store's parser is given:
at most :data:`MAX_SIZE` characters, nested at most :data:`MAX_DEPTH` levels. The lexer reads the text once (its work
is linear in the length), so the check itself cannot be made to take long.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from plan_kb.errors import PlanKBError


class QueryRefused(PlanKBError):
    """A well-formed request this read-only service will not run (HTTP 403)."""

    status = 403


class QuerySyntaxError(PlanKBError):
    """Text that is not a SPARQL query (HTTP 400)."""

    status = 400


class QueryTooLarge(PlanKBError):
    """A query longer than this service reads (HTTP 413)."""

    status = 413


class QueryTooDeep(PlanKBError):
    """A query nested deeper than this service reads (HTTP 400)."""

    status = 400


#: Most characters of a query, and how deep its groups, brackets and parentheses may nest (the service's settings
#: ``PLAN_KB_QUERY_SIZE`` and ``PLAN_KB_QUERY_DEPTH`` override them).
MAX_SIZE = 50_000
MAX_DEPTH = 100


_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
# Every alternative is read in one pass: none can scan ahead and give the characters back (a name is read as one
# run of name characters and cut into words, prefixed names and dots afterwards), so the lexer's work is bounded by
# the length of the text, whatever the text.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u0300-\u036f\u203f-\u2040""" + _PN_CHARS_BASE[6:] + r"""]+)
  | (?P<bnode>_:[\w\-.]+)
  | (?P<run>(?:[""" + _PN_CHARS_BASE + r"""_:]|\\[_~.\-!$&'()*+,;=/?\#@%])
             (?:[\w\-.:%\u00b7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^@?])
    """,
    re.VERBOSE,
)

QUERY_FORMS = ("select", "construct", "describe", "ask")
UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"}


class Token(NamedTuple):
    kind: str
    text: str
    pos: int


def tokens(sparql: str) -> list[Token]:
    """The significant tokens of ``sparql`` (whitespace and comments dropped), in one pass over the text."""
    out: list[Token] = []
    pos = 0
    n = len(sparql)
    match = _TOKEN.match
    while pos < n:
        m = match(sparql, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(f"the query does not parse: unexpected {sparql[pos:pos + 20]!r} at "
                                   f"character {pos}")
        kind = m.lastgroup or "punct"
        if kind == "run":
            out += _cut_run(m.group(), pos)
        elif kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), pos))
        pos = m.end()
    return out


def _cut_run(run: str, pos: int) -> list[Token]:
    """A run of name characters as the grammar reads it: one prefixed name (``ex:a.b``; a name does not end with a
    dot), or keywords and dots (``a.``), with the dots at its end as punctuation."""
    core = run.rstrip(".")
    out: list[Token] = []
    colon = core.find(":")
    words = core if colon < 0 else core[:colon]
    if colon >= 0 and not words.endswith("."):
        out.append(Token("pname", core, pos))
    else:
        at = pos
        for i, part in enumerate(words.split(".")):
            if i:
                out.append(Token("punct", ".", at))
                at += 1
            if part:
                out.append(Token("word", part, at))
                at += len(part)
        if colon >= 0:
            out.append(Token("pname", core[colon:], pos + colon))
    out += [Token("punct", ".", pos + i) for i in range(len(core), len(run))]
    return out


def depth(toks: list[Token]) -> int:
    """How deep groups, brackets and parentheses nest."""
    deepest = level = 0
    for t in toks:
        if t.kind == "punct":
            if t.text in "{([":
                level += 1
                deepest = max(deepest, level)
            elif t.text in "})]":
                level -= 1
    return deepest


#: queries up to this long have their verdict kept (:func:`read`), the last :data:`KEPT` of them
KEEP_BELOW = 8192
KEPT = 512


def read(sparql: str, max_size: int = MAX_SIZE, max_depth: int = MAX_DEPTH) -> tuple[str, str]:
    """:func:`read_query`, whose verdict on a query that passes is kept for the next time the same text comes (a
    client sends the same queries again and again; reading one of 2,000 characters takes about a millisecond)."""
    if sparql and len(sparql) < KEEP_BELOW:
        return _read_kept(sparql, max_size, max_depth)
    return read_query(sparql, max_size, max_depth)


@lru_cache(maxsize=KEPT)
def _read_kept(sparql: str, max_size: int, max_depth: int) -> tuple[str, str]:
    return read_query(sparql, max_size, max_depth)


def read_query(sparql: str, max_size: int = MAX_SIZE, max_depth: int = MAX_DEPTH) -> tuple[str, str]:
    """``(query, form)``: the query as the store should see it (without a leading byte order mark) and its form
    (select, construct, describe, ask), for a read-only query within the limits; raise for anything else.

    The size is checked before the text is read, and the nesting depth before the store parses it (Oxigraph's
    parser recurses on nesting)."""
    sparql = sparql.removeprefix("\ufeff") if sparql else sparql
    if not sparql or not sparql.strip():
        raise QuerySyntaxError("no query given: send a SPARQL query in the 'query' parameter or as the body")
    if len(sparql) > max_size:
        raise QueryTooLarge(f"the query has {len(sparql)} characters; this service reads queries of at most "
                            f"{max_size}")
    toks = tokens(sparql)
    deep = depth(toks)
    if deep > max_depth:
        raise QueryTooDeep(f"the query nests groups, brackets or parentheses {deep} levels deep; this service "
                           f"reads at most {max_depth}")
    words = [t.text.lower() for t in toks if t.kind == "word"]
    if "service" in words:
        raise QueryRefused("SERVICE is refused: this endpoint does not query other endpoints (no federation)")
    form = next((w for w in words if w in QUERY_FORMS), None)
    updates = sorted({w for w in words if w in UPDATE_WORDS})
    if updates and (form is None or words.index(updates[0]) < words.index(form)):
        raise QueryRefused(f"updates are refused ({updates[0].upper()}): this endpoint is read-only; "
                           "the knowledge base changes only by rebuilding it")
    if updates:
        # a query form first, then an update keyword: not a query; say so rather than run it
        raise QueryRefused(f"{updates[0].upper()} is refused: this endpoint is read-only")
    if form is None:
        raise QuerySyntaxError("the query does not parse: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return sparql, form


def check(sparql: str, max_size: int = MAX_SIZE, max_depth: int = MAX_DEPTH) -> str:
    """The query form (select, construct, describe, ask) of a read-only query; raise for anything else (read each
    time: nothing kept)."""
    return read_query(sparql, max_size, max_depth)[1]


def query_form(sparql: str) -> str:
    """The query form, or ``select`` when the text cannot be read (the store's parser will then say why)."""
    try:
        return check(sparql)
    except PlanKBError:
        return "select"
