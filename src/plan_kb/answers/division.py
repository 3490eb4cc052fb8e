"""The 分工表: the table staff circulate — task, what it says, who leads, supports, is responsible and guides, and by
when — for one plan or for one agency across the plans. Read from the store in three queries (tasks, roles,
deadlines), whatever the number of tasks; written as rows for the page, CSV and an Excel workbook (``xlsx``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from plan_kb.answers.words import deadline_words, plan_short_name
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import NotFound
from plan_kb.store import Store, escape_string

ROLES = {"lead": "pkb:leadAgency", "support": "pkb:supportingAgency", "responsible": "pkb:responsibleAgency",
         "guide": "pkb:guidingAgency"}
#: The table's columns: key in a row → header staff read.
COLUMNS = {"ref": "序号", "plan": "计划", "title": "任务", "text": "任务内容", "lead": "牵头单位",
           "support": "配合单位", "responsible": "责任单位", "guide": "督促指导", "deadlines": "完成时限"}


@dataclass
class DivisionRow:
    iri: str
    plan: str  # key (for URLs and JSON)
    plan_name: str  # the plan's short Chinese name
    number: int
    title: str
    text: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    guide: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.plan_name}第{self.number}项"

    def cells(self) -> list[str]:
        """The row as the table's cells, in the order of :data:`COLUMNS`."""
        values: dict[str, Any] = {**self.__dict__, "ref": self.ref, "plan": self.plan_name}
        return [("、".join(v) if isinstance(v, list) else str(v)) if k != "deadlines" else ";".join(v)
                for k, v in ((k, values[k]) for k in COLUMNS)]


@dataclass
class Division:
    heading: str  # what the table is of: a plan's title or an agency's name
    rows: list[DivisionRow]


def _scope(plan: str | None, agency_iri: str | None) -> str:
    parts = []
    if plan:
        parts.append(f'?p pkb:planKey "{escape_string(plan)}" .')
    if agency_iri:
        parts.append(f"VALUES ?anyRole {{ {' '.join(ROLES.values())} }} ?task ?anyRole <{agency_iri}> .")
    return "\n  ".join(parts)


def division(store: Store, plan: str | None = None, agency_iri: str | None = None) -> Division:
    """The 分工表 of a plan, or of an agency (every task it has a role in), or both; :class:`NotFound` if empty."""
    scope = _scope(plan, agency_iri)
    base = f"?task a pkb:Task ; pkb:inPlan ?p .\n  {scope}"
    tasks = store.query(sparql_prefixes() + f"""SELECT DISTINCT ?task ?plan ?ptitle ?number ?title ?text ?ps WHERE {{
  {base}
  ?task pkb:number ?number ; dcterms:title ?title ; pkb:text ?text .
  ?p pkb:planKey ?plan ; dcterms:title ?ptitle ; pkb:sourceStart ?ps .
}} ORDER BY ?ps ?number ?task""").records()
    if not tasks:
        raise NotFound("no tasks for this 分工表" + (f" (plan {plan!r})" if plan else "")
                       + (f" (agency {agency_iri.rsplit('/', 1)[-1]!r})" if agency_iri else ""))
    rows = {t["task"]: DivisionRow(t["task"], t["plan"], plan_short_name(t["ptitle"]), int(t["number"]), t["title"],
                                   t["text"]) for t in tasks}
    values = " ".join(f"({v} {k!r})".replace("'", '"') for k, v in ROLES.items())
    for r in store.query(sparql_prefixes() + f"""SELECT DISTINCT ?task ?role ?agency ?label WHERE {{
  {base}
  VALUES (?prop ?role) {{ {values} }}
  ?task ?prop ?agency .
  OPTIONAL {{ ?agency skos:prefLabel ?pref }}
  BIND(STR(COALESCE(?pref, STRAFTER(STR(?agency), "/agency/"))) AS ?label)
}} ORDER BY ?task ?role ?label""").records():
        names = getattr(rows[r["task"]], r["role"])
        if r["label"] not in names:
            names.append(r["label"])
    for d in store.query(sparql_prefixes() + f"""SELECT DISTINCT ?task ?d ?kind ?date ?startDate ?rrule ?offset
       ?afterEvent ?approximate ?source ?ds WHERE {{
  {base}
  ?task pkb:hasDeadline ?d . ?d pkb:deadlineKind ?k .
  BIND(STRAFTER(STR(?k), "#") AS ?kind)
  OPTIONAL {{ ?d pkb:date ?date }} OPTIONAL {{ ?d pkb:startDate ?startDate }} OPTIONAL {{ ?d pkb:rrule ?rrule }}
  OPTIONAL {{ ?d pkb:offset ?offset }} OPTIONAL {{ ?d pkb:afterEvent ?afterEvent }}
  OPTIONAL {{ ?d pkb:approximate ?approximate }} OPTIONAL {{ ?d pkb:sourceText ?source }}
  OPTIONAL {{ ?d pkb:sourceStart ?ds }}
}} ORDER BY ?task ?ds ?d""").records():
        words = deadline_words(d)
        if words and words not in rows[d["task"]].deadlines:
            rows[d["task"]].deadlines.append(words)
    heading = tasks[0]["ptitle"] if plan else ""
    if agency_iri:
        label = store.query(sparql_prefixes() + f"SELECT ?l WHERE {{ <{agency_iri}> skos:prefLabel ?l }}").records()
        heading = (label[0]["l"] if label else agency_iri.rsplit("/", 1)[-1]) + (f"(《{heading}》)" if plan else "")
    return Division(heading, list(rows.values()))


def xlsx(table: Division) -> bytes:
    """The 分工表 as an Excel workbook: Chinese headers, the header row frozen and repeated on every printed page,
    wrapped text, A4 landscape fitted to the page width, the print area set."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "分工表"
    widths = {"ref": 16, "plan": 14, "title": 24, "text": 60, "lead": 18, "support": 22, "responsible": 18,
              "guide": 14, "deadlines": 18}
    thin = Side(style="thin", color="999999")
    ws.append(list(COLUMNS.values()))
    for row in table.rows:
        ws.append(row.cells())
    for i, key in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths[key]
    for cells in ws.iter_rows():
        for c in cells:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDE7F0")
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.freeze_panes = "A2"
    last = f"{get_column_letter(len(COLUMNS))}{len(table.rows) + 1}"
    ws.print_area = f"A1:{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = table.heading
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
