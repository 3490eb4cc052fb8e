"""A role note at the end of a section heading's paragraph that covers the section's items: "(一)织密监管网络。…。
(本部分任务均由省医保局牵头,省卫健委配合,各州、市人民政府负责落实)". Its roles are those of every item under the
heading that has no note of its own (an item's own note replaces it). The words that open such a note are data in
``extraction/roles.yaml`` (``section_note_lead``). Pure: text in, a reading with spans out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.reading.model import Heading
from plan_kb.reading.role_words import rules
from plan_kb.reading.roles import RoleContext, RoleReading, read_roles


@lru_cache(maxsize=1)
def _lead() -> re.Pattern[str]:
    return re.compile(rules()["section_note_lead"])


def section_note(text: str, heading: Heading | None, context: RoleContext | None = None) -> RoleReading | None:
    """The roles a note closing ``heading``'s paragraph (or the paragraph of a heading above it) gives the items under
    it, read with their spans in ``text`` (the document's normalised text); None when no such note is there."""
    r = rules()
    while heading is not None:
        para = text[heading.start:heading.end].rstrip()
        close = para[-1:] if para else ""
        if close in r["closes"]:
            a = para.rfind(r["closes"][close])
            inner = para[a + 1:-1]
            m = _lead().match(inner)
            if a > 0 and m:
                # read the rest as a note of its own: "(省医保局牵头,…)", its spans where the names stand
                start = heading.start + a + 1 + m.end()
                reading = read_roles("(" + text[start:heading.start + len(para) - 1] + ")", offset=start - 1,
                                     context=context)
                if reading.mentions:
                    return reading
        heading = heading.parent
    return None
