"""CSV cells a spreadsheet will not run as a formula (OWASP, "CSV Injection"): every CSV plan-kb writes passes its
cells through :func:`inert`."""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def inert(value: str) -> str:
    """Text starting with ``= + - @``, a tab or a carriage return gets a leading ``'`` (as OWASP recommends);
    numbers (``-3.5``) stay as they are."""
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    """A value for ``csv.writer``: ``None`` as an empty cell, text made inert, numbers as they are."""
    if value is None:
        return ""
    return inert(value) if isinstance(value, str) else value
