"""Read-only guard for SPARQL text a user sends: a lexer for the SPARQL 1.1 grammar's terminals.

Strings, IRIs, comments, variables and prefixed names are read as whole tokens, so a keyword only counts where the
grammar sees a keyword (``"SERVICE"``, ``<http://x/LOAD>``, ``?insert`` and ``ex:drop`` are not keywords). The full
grammar is then checked by Oxigraph's parser when the query runs; the guard decides, before anything runs, what
kind of request it is and refuses updates, ``LOAD`` and ``SERVICE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan_kb.errors import PlanKBError


class QueryRefused(PlanKBError):
    """A well-formed request this read-only service will not run (HTTP 403)."""

    status = 403


class QuerySyntaxError(PlanKBError):
    """Text that is not a SPARQL query (HTTP 400)."""

    status = 400


_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u0300-\u036f\u203f-\u2040""" + _PN_CHARS_BASE[6:] + r"""]+)
  | (?P<pname>(?:[""" + _PN_CHARS_BASE + r"""][\w\-.\u00b7]*)?:(?:[\w\-.:%\\\u00b7]*[\w\-:%])?)
  | (?P<bnode>_:[\w\-.]+)
  | (?P<word>[""" + _PN_CHARS_BASE + r"""_][\w\-]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^@a?])
    """,
    re.VERBOSE,
)

QUERY_FORMS = ("select", "construct", "describe", "ask")
UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokens(sparql: str) -> list[Token]:
    """The significant tokens of ``sparql`` (whitespace and comments dropped)."""
    out: list[Token] = []
    pos = 0
    n = len(sparql)
    while pos < n:
        m = _TOKEN.match(sparql, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(f"the query does not parse: unexpected {sparql[pos:pos + 20]!r} at "
                                   f"character {pos}")
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), pos))
        pos = m.end()
    return out


def check(sparql: str) -> str:
    """The query form (select, construct, describe, ask) of a read-only query; raise for anything else."""
    if not sparql or not sparql.strip():
        raise QuerySyntaxError("no query given: send a SPARQL query in the 'query' parameter or as the body")
    toks = tokens(sparql)
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
    return form


def query_form(sparql: str) -> str:
    """The query form, or ``select`` when the text cannot be read (the store's parser will then say why)."""
    try:
        return check(sparql)
    except PlanKBError:
        return "select"
