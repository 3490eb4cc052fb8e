"""Read the documents a text cites: titles in 《》 (conventions.md; page breaks are already healed).

A title may hold parentheses ("《黄河流域(山西)水生态环境建设规划(2022—2025年)》") and, rarely, an inner 《》 or 〈〉
("《关于印发〈…〉的通知》"): the outermost pair is the citation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    title: str  # without 《》
    start: int  # of 《
    end: int  # after 》


def read_citations(text: str) -> list[Citation]:
    """Every 《…》 in ``text`` in order, outermost pairs only; an unclosed 《 is left out."""
    out: list[Citation] = []
    depth, open_at = 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                title = text[open_at + 1:i].strip()
                if title:
                    out.append(Citation(title, open_at, i + 1))
        elif ch == "\n" and depth:  # a title never spans a paragraph: the 《 was stray
            depth = 0
    return out
