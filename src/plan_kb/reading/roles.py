"""Who acts on an item: the role notes of a task or measure, read as conventions.md "Roles" says.

    (省生态环境厅牵头,省水利厅、省财政厅配合,各市人民政府负责。以下各项任务和专项行动均需各市人民政府负责,不再列出)

The parenthetical is split into parts at , ; 。; a part ends with its role word (牵头 lead, 配合 support, 负责 /
负责落实 responsible, 督促指导 guide, optionally after 按职责分工 / 加强); a part without a role word takes the role of
the next part ("省交通厅,中国铁路…等相关单位按职责分工负责"). The names of a part are split at 、 and at 和 / 及
only where both sides are whole names; 等 / 等相关部门 end a list; a prefix or suffix the list shares is expanded.
A part "以下…均需X负责,不再列出" is a standing note.

Other house styles: notes in () 〔〕 [ ] 【】 or labelled lines ("牵头单位:X;配合单位:Y"), several per item; a label
gives its names a role unless a role word decides; a bare list names its lead first; a positional rule ("列第一位者为
牵头部门,下同") makes each note's first name the lead, in later items too (``RoleContext``). Pure: text in, names
with spans out; the words are data in ``extraction/roles.yaml``, whole names come from the agency registry and the
endings an agency name has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plan_kb.reading.role_names import NameMention, _is_whole, after_name, other_name, read_names
from plan_kb.reading.role_words import Known, _clean, _default_known, _split, _trim, rules
from plan_kb.reading.tables import COLUMN_ROLES, column_notes


@dataclass(frozen=True)
class RoleMention:
    role: str  # lead | support | responsible | guide
    name: str
    start: int  # the name as written
    end: int
    word: str  # the role words as written: 牵头, 按职责分工负责, 加强督促指导 …
    other: tuple[str, int, int] | None = None  # the agency's other name in brackets after it, with its span


@dataclass(frozen=True)
class StandingNote:
    """``以下…均需各市人民政府负责,不再列出``: ``actors`` answer for every later task of the plan."""

    role: str
    actors: tuple[NameMention, ...]
    scope: str  # what the note says it covers: 各项任务和专项行动
    start: int  # the note, from 以下 to the end of its part
    end: int


@dataclass
class RoleReading:
    span: tuple[int, int] | None = None  # the inside of the first note
    mentions: list[RoleMention] = field(default_factory=list)
    notes: list[StandingNote] = field(default_factory=list)
    doubts: list[tuple[str, int, int]] = field(default_factory=list)  # (message, start, end)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every note read, its inside
    how: list[str] = field(default_factory=list)  # per note: how it was read (for ``plan-kb build --explain``)
    source: str = "notes"  # notes | section note | sentences (``reading.item_roles``)


@dataclass
class RoleContext:
    """What one item's notes say about the later items of the same plan: a positional rule with 下同."""

    first_leads: bool = False
    # the roles read so far, by task number: a later item may copy them ("主办单位、协办单位同第6项")
    readings: dict[int, RoleReading] = field(default_factory=dict)


# --- the parenthetical and its parts ----------------------------------------------------------------------------

def closing_parenthetical(text: str) -> tuple[int, int] | None:
    """The inside ``(start, end)`` of the parenthetical that closes ``text`` (after trailing spaces and 。), or None.
    It may stand in a paragraph of its own; brackets inside it are balanced."""
    end = len(text.rstrip(" \t\r\n。"))
    if end == 0 or text[end - 1] not in ")）":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            depth -= 1
            if depth == 0:
                return i + 1, end - 1
    return None


# --- finding the notes of an item -------------------------------------------------------------------------------

def positional_rule_in(text: str) -> bool:
    """Whether ``text`` states a positional rule ("列第一位者为牵头部门")."""
    return rules()["positional"].search(_clean(text)) is not None


def _groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The top-level bracket groups of ``text[start:end]``, as the spans of their insides."""
    r = rules()
    out, stack = [], []
    for i in range(start, end):
        c = text[i]
        if c in r["opens"]:
            stack.append(i)
        elif c in r["closes"] and stack:
            a = stack.pop()
            if not stack:
                out.append((a + 1, i))
    return out


def find_notes(text: str, columns: tuple[str, ...] | None = None) -> list[tuple[int, int, str]]:
    """The role notes of an item, in order: (start, end, form) with the note's inside; form is ``bracket``,
    ``bare`` (a bracketed list with no role word, at the end of a paragraph), ``line`` (a labelled line), ``cell``
    (a cell of a table row that names agencies) or ``cell:<column>`` (a cell of a table whose header named its
    column: ``columns``, :mod:`plan_kb.reading.tables`)."""
    r = rules()
    known = _default_known()
    out: list[tuple[int, int, str]] = []
    for a, b in _groups(text, 0, len(text)):
        inner = _clean(text[a:b])
        if r["section_lead"].search(inner) or r["label_only"].fullmatch(inner):
            continue  # a section's overall lead; a label in brackets of its own (its line is the note)
        if other_name(inner, known) and after_name(text, a - 1, known):
            continue  # 市卫生健康委(市中医药管理局): the agency's other name, read with its name
        if r["label_re"].search(inner) or r["note"].match(inner) or positional_rule_in(inner) or any(
                r["role_part"].match(_clean(text[x:y])) for x, y in _split(text, a, b, r["part_seps"])):
            out.append((a, b, "bracket"))
        elif text[b + 1:].split("\n", 1)[0].strip(" \t。.") == "":  # a bare list ends its paragraph
            out.append((a, b, "bare"))
    pos = 0
    for line in text.split("\n"):
        # a labelled note at the start of a line or right after a sentence of the item ("…。责任单位:X")
        m = next((m for m in r["label_re"].finditer(line) if not line[:m.start()].strip()
                  or line[:m.start()].rstrip()[-1] in "。;"), None)
        if m and not any(a <= pos + m.start("label") < b for a, b, _ in out):
            a, b = _trim(text, pos + m.start(), pos + len(line.rstrip(" 。")))
            out.append((a, b, "line"))
        elif columns and pos == 0 and r["cell_sep"].search(line):
            out += [c for c in column_notes(text, pos, pos + len(line), columns)
                    if not any(a <= c[0] < b for a, b, _ in out)]
        elif r["cell_sep"].search(line):
            out += _cells(text, pos, pos + len(line), out)
        pos += len(line) + 1
    lines = [(a, b) for a, b, form in out if form == "line"]
    # a bracket inside a labelled line is read with the line ("责任单位:市财政局(市发改委配合)")
    return sorted(n for n in out if n[2] not in ("bracket", "bare") or not any(a <= n[0] < b for a, b in lines))


def _cells(text: str, start: int, end: int, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The cells of a task-table row (``1|任务|市发改委牵头,市水务局配合|2024年底前``) that name who acts."""
    r = rules()
    out, a = [], start
    bounds = [m.start() + start for m in r["cell_sep"].finditer(text[start:end])] + [end]
    for k, b in enumerate(bounds):
        ca, cb = _trim(text, a, b)
        a = b + 1
        if k == 0 or ca >= cb or any(x <= ca < y for x, y, _ in found):
            continue
        parts = _split(text, ca, cb, r["part_seps"])
        worded = any(r["role_part"].match(_clean(text[x:y])) for x, y in parts) or r["label_re"].search(text[ca:cb])
        if worded or all((names := read_names(text, x, y)) and all(_is_whole(n.name, _default_known()) for n in names)
                         for x, y in parts):
            out.append((ca, cb, "cell"))
    return out


# --- the whole reading ------------------------------------------------------------------------------------------

def read_roles(text: str, offset: int = 0, known: Known | None = None,
               context: RoleContext | None = None, columns: tuple[str, ...] | None = None) -> RoleReading:
    """The roles the notes of an item give; spans are ``offset`` + positions in ``text``. ``context`` carries a
    positional rule with 下同 from one item of a plan to the next; ``columns`` are the column kinds of a table row
    (``Item.columns``)."""
    known = known or _default_known()
    context = context if context is not None else RoleContext()
    reading = RoleReading()
    for a, b, form in find_notes(text, columns):
        got = _read_note(text, a, b, form, offset, known, context)
        if got is None:
            continue
        mentions, notes, doubts, how = got
        reading.mentions += mentions
        reading.notes += notes
        reading.doubts += doubts
        reading.spans.append((a + offset, b + offset))
        reading.how.append(how)
    for m in rules()["person_label_re"].finditer(text):  # "责任领导:政府分管副县长": a person, no agency
        end = min([e for e in (text.find(c, m.end()) for c in "\n;)】]〕") if e >= 0] or [len(text)])
        reading.doubts.append((f"{m.group('label')} names a person by post, not an agency: no role "
                               f"({_clean(text[m.start('label'):end])})", m.start("label") + offset, end + offset))
    if reading.spans:
        reading.span = reading.spans[0]
    return reading


def same_as_lines(text: str) -> list[tuple[tuple[str, ...], int, int, int]]:
    """Lines of an item that copy another task's roles for the labels they name ("主办单位、协办单位同第6项。"): (the
    roles of those labels, the task's number, start, end) each."""
    from plan_kb.reading.annex_refs import numeral

    r = rules()
    out, pos = [], 0
    for line in text.split("\n"):
        m = r["same_as_re"].match(line.strip())
        if m:
            labels = [w for w in re.split("|".join(map(re.escape, r["same_as"]["label_joiners"])), m.group("labels"))
                      if w]
            if labels and all(w in r["label_role"] for w in labels):
                lead = len(line) - len(line.lstrip())
                out.append((tuple(r["label_role"][w] or "responsible" for w in labels), numeral(m.group("n")),
                            pos + lead, pos + len(line.rstrip(" 。;"))))
        pos += len(line) + 1
    return out


def _read_note(text: str, a: int, b: int, form: str, offset: int, known: Known, context: RoleContext):
    """One note: its role mentions, standing notes, doubts and how it was read; None if it names no agency."""
    r = rules()
    rule_here = False
    notes: list[StandingNote] = []
    # nested groups that state a rule, a standing note or one name's role are read and masked out:
    # "…农业农村局(列第一位者为牵头部门,下同)", "…(以下各项工作均需…负责落实,不再列出)", "省发展改革委(牵头)、…"
    chars = list(text)
    own_roles: dict[int, tuple[str, str]] = {}  # where a name's own role group opens → (role, word)
    nested: list[tuple[list[NameMention], str, str]] = []  # notes of their own inside the note: (names, role, word)
    for x, y in _groups(text, a, b):
        inner = _clean(text[x:y])
        word = r["role_part"].match("X" + inner)
        if positional_rule_in(inner):
            rule_here = True
            if any(w in inner for w in r["positional_scope"]):
                context.first_leads = True
        elif any(r["note"].match(_clean(text[p:q])) for p, q in _split(text, x, y, r["part_seps"])):
            for p, q in _split(text, x, y, r["part_seps"]):
                note = standing_note(text, p, q, offset, known)
                if note:
                    notes.append(note)
        elif word and word.group("names") == "X":
            own_roles[x - 1] = (r["word_role"][word.group("role")], inner)
        elif (inside := _note_inside(text, x, y, known)) is not None:
            nested.append(inside)  # "市财政局(市发改委配合)": a note of its own right after a name
        else:
            continue
        chars[x - 1:y + 1] = " " * (y + 1 - (x - 1))
    masked = "".join(chars)
    # labelled segments: (label role or None, whether labelled, start, end); a table cell counts as 责任单位
    segments: list[tuple[str | None, bool, int, int]] = []
    marks = [(m.start(), m.end(), m.group("label")) for m in r["label_re"].finditer(masked[a:b])]
    if not marks or marks[0][0] > 0:
        column = COLUMN_ROLES.get(form.partition(":")[2]) if form.startswith("cell:") else None
        segments.append((column, form.startswith("cell"), a, a + marks[0][0] if marks else b))
    for k, (_s, e, lab) in enumerate(marks):
        stop = a + marks[k + 1][0] if k + 1 < len(marks) else b
        segments.append((r["label_role"][lab], True, a + e, stop))
    parts: list[tuple[str | None, bool, list[NameMention], str | None, str | None]] = []
    doubts: list[tuple[str, int, int]] = []
    for label_role, labelled, s, e in segments:
        for p, q in [x for pq in _split(masked, s, e, r["part_seps"]) for x in _after_role_words(masked, *pq)]:
            part = _clean(masked[p:q])
            if r["other_label_re"].match(part):
                continue  # "完成时限:2025年9月底前": the deadline reader reads it with the item
            if not part or part in r["fillers"] or positional_rule_in(part):
                rule_here = rule_here or positional_rule_in(part)
                if positional_rule_in(part) and any(w in part for w in r["positional_scope"]):
                    context.first_leads = True
                elif part in r["positional_scope"] and not rule_here and parts and parts[-1][3] == "responsible":
                    # "…,各县(市)人民政府负责落实,下同": the responsibility holds for the later tasks too
                    names = parts[-1][2]
                    notes.append(StandingNote("responsible", tuple(_shift(n, offset) for n in names), part,
                                              names[0].start + offset, q + offset))
                continue
            note = standing_note(masked, p, q, offset, known)
            if note:
                notes.append(note)
                continue
            m = r["role_part"].match(masked[p:q])
            convened = _convened(masked, p, p + m.start("word") if m else q, known)
            if convened:
                parts += [(label_role, labelled, names, role, word) for names, role, word in convened]
                continue
            if m and m.group("names").strip():
                names = read_names(masked, p, p + m.start("word"), known)
                parts.append((label_role, labelled, names, r["word_role"][m.group("role")], m.group("word")))
                continue
            # "国网某县供电公司负责农村电网建设": a role word with the part of the task it covers after it (first: the
            # part may end like a name, 负责…问题交办)
            m = r["role_object"].match(masked[p:q])
            names = read_names(masked, p, p + m.start("word"), known) if m else []
            if names and all(_is_whole(n.name, known) for n in names):
                parts.append((label_role, labelled, names, r["word_role"][m.group("role")], m.group("word")))
                continue
            names = read_names(masked, p, q, known)
            if names and all(_is_whole(n.name, known) for n in names):
                parts.append((label_role, labelled, names, None, None))
            else:
                doubts.append((f"not a list of agencies: {_clean(text[p:q])}", p + offset, q + offset))
    parts += [(None, False, names, role, word) for names, role, word in nested]
    if rule_here and any(w in _clean(text[a:b]) for w in r["positional_scope"]):
        context.first_leads = True  # "…,列第一位者为牵头单位,下同": 下同 stands in a part of its own
    if not parts and not notes:
        return None

    def own(n: NameMention) -> tuple[str, str] | None:
        j = n.end
        while j < b and masked[j] == " " and j not in own_roles:
            j += 1
        return own_roles.get(j)

    positional = rule_here or context.first_leads
    has_word = bool(own_roles) or any(role for *_, role, _w in parts)
    mentions: list[RoleMention] = []
    first_done = False
    for k, (label_role, labelled, names, role, word) in enumerate(parts):
        for n in names:
            if own(n):
                got, w = own(n)
            elif role:
                got, w = role, word
            elif label_role:
                got, w = label_role, "(label)"
            elif positional:
                got, w = ("lead", "(first listed)") if not first_done else ("support", "(listed after the first)")
            elif labelled:
                got, w = "responsible", "(责任单位)"
            elif not has_word:
                got, w = ((r["bare_list"]["first"], "(first of a bare list)") if not first_done else
                          (r["bare_list"]["others"], "(bare list)"))
            else:
                nxt = next(((pr, pw) for (_l, _b, _n, pr, pw) in parts[k + 1:] if pr), None)
                if nxt is None:
                    doubts.append((f"no role word after {n.name}", n.start + offset, n.end + offset))
                    continue
                got, w = nxt
            first_done = True
            mentions.append(RoleMention(got, n.name, n.start + offset, n.end + offset, w,
                                        n.shifted(offset).other))
    how = f"{form} note" + (", labelled" if marks else "") + (", first listed leads" if positional else "")
    return mentions, notes, doubts, how


def _note_inside(text: str, x: int, y: int, known: Known) -> tuple[list[NameMention], str, str] | None:
    """A bracket inside a note that is a note of its own: whole names, then their role word ("市发改委配合")."""
    r = rules()
    m = r["role_part"].match(text[x:y])
    if not m or not m.group("names").strip():
        return None
    names = read_names(text, x, x + m.start("word"), known)
    if not names or not all(_is_whole(n.name, known) for n in names):
        return None
    return names, r["word_role"][m.group("role")], m.group("word")


def _convened(text: str, p: int, q: int, known: Known) -> list[tuple[list[NameMention], str, str]] | None:
    """ "X会同Y负责": X leads, Y supports (``convening`` in roles.yaml); None where the names hold no 会同."""
    r = rules()
    m = r["convening_re"].search(text, p, q)
    if m is None:
        return None
    first, others = read_names(text, p, m.start(), known), read_names(text, m.end(), q, known)
    if not first or not others:
        return None
    conv = r["convening"]
    return [(first, conv["first"], m.group(0)), (others, conv["others"], m.group(0))]


def _after_role_words(text: str, p: int, q: int) -> list[tuple[int, int]]:
    """A part split at 、 where the words before it end in a role word: "市发改委牵头、市财政局配合"."""
    r = rules()
    out, s = [], p
    for i in range(p, q):
        if text[i] == "、" and r["role_part"].match(_clean(text[s:i])):
            out.append((s, i))
            s = i + 1
    return [*out, (s, q)]


def standing_note(text: str, p: int, q: int, offset: int, known: Known) -> StandingNote | None:
    r = rules()
    note = r["note"].match(text[p:q])
    if not note:
        return None
    actors = read_names(text, p + note.start("actor"), p + note.end("actor"), known)
    return StandingNote(r["standing_note"]["role"], tuple(_shift(n, offset) for n in actors),
                        _clean(note.group("scope")), p + offset, q + offset)


def _shift(n: NameMention, offset: int) -> NameMention:
    return n.shifted(offset)
