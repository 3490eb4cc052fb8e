"""Rendering: the Jinja2 environment, the choice between HTML and JSON for a request, and what every page shows
(navigation, the source document in the footer)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from plan_kb.answers.words import STATUS_ZH, plan_short_name, zh_date
from plan_kb.service.deps import KnowledgeBase
from plan_kb.service.formats import parse_accept

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guiding": "督促指导", "guide": "督促指导"}
ROLE_ORDER = ("lead", "support", "responsible", "guiding")
KIND_ZH = {"By": "截止", "From": "起始", "During": "年内", "Recurring": "周期", "Relative": "相对", "External": "外部"}
LICENCE = ("原文为国家机关的行政性文件,依《中华人民共和国著作权法》第五条不适用该法保护;"
           "本站内容由 plan-kb 从原文自动抽取,以原文为准。软件以 Apache-2.0 许可发布。")


def url(path: str, params: dict[str, Any] | None = None) -> str:
    """``path`` with a query string of the non-empty ``params`` (lists repeat the key)."""
    pairs = []
    for k, v in (params or {}).items():
        for x in (v if isinstance(v, list | tuple) else [v]):
            if x not in (None, ""):
                pairs.append((k, str(x)))
    return path + ("?" + urlencode(pairs) if pairs else "")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(url=url, ROLE_ZH=ROLE_ZH, KIND_ZH=KIND_ZH, LICENCE=LICENCE, STATUS_ZH=STATUS_ZH,
                       zh_date=zh_date)
    return env


def wants_json(request: Request) -> bool:
    """``?format=json``, or an Accept header that prefers JSON to HTML. A browser (or ``*/*``) gets HTML."""
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() == "json"
    for media, _q in parse_accept(request.headers.get("accept")):
        if media in ("application/json", "application/ld+json"):
            return True
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return False
    return False


def source_document(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Title and number of every source document of the knowledge base (read once per loaded KB)."""
    cached = getattr(kb, "_web_documents", None)
    if cached is None:
        cached = kb.select("""SELECT ?doc ?title ?number ?issued WHERE { ?doc a pkb:Document .
          OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc pkb:documentNumber ?n }
          OPTIONAL { ?doc dcterms:issued ?issued }
          BIND(STR(?t) AS ?title) BIND(STR(?n) AS ?number) } ORDER BY ?doc""")
        for d in cached:
            d["issued"] = None if d["issued"] is None else str(d["issued"])
        kb._web_documents = cached  # type: ignore[attr-defined]
    return cached


def plan_names(kb: KnowledgeBase) -> dict[str, str]:
    """Each plan's key → its short Chinese name (水环境质量再提升), for what people read (once per loaded KB)."""
    cached = getattr(kb, "_web_plan_names", None)
    if cached is None:
        cached = {r["plan"]: plan_short_name(r["title"]) for r in kb.select(
            "SELECT ?plan ?title WHERE { ?p pkb:planKey ?plan ; dcterms:title ?title }")}
        kb._web_plan_names = cached  # type: ignore[attr-defined]
    return cached


def render(request: Request, kb: KnowledgeBase, template: str, data: dict[str, Any], *, title: str,
           status: int = 200, extra: dict[str, Any] | None = None) -> Response:
    """The page as HTML, or ``data`` as JSON when the request asks for JSON."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data), status_code=status, headers={"Vary": "Accept"})
    ctx = {"request": request, "title": title, "data": data, "documents": source_document(kb), "PLAN": plan_names(kb),
           "path": request.url.path, "json_url": json_url(request), **(extra or {})}
    body = environment().get_template(template).render(ctx)
    return HTMLResponse(body, status_code=status, headers={"Vary": "Accept"})


def json_url(request: Request) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"] + [("format", "json")]
    return request.url.path + "?" + urlencode(params)


def error_page(request: Request, kb: KnowledgeBase, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
    title = {404: "未找到", 400: "请求有误"}.get(status, "出错了")
    return render(request, kb, "error.html", {"status": status, "message": message}, title=title, status=status)


_TASK_IRI = re.compile(r"^https://w3id\.org/plan-kb/id/[^/]+/([a-z0-9][a-z0-9-]*)/task/(\d+)$")
_ENTITY_IRI = re.compile(r"^https://w3id\.org/plan-kb/id/(agency|place)/([A-Za-z0-9][A-Za-z0-9._~-]*)$")


def ui_href(iri: str) -> str | None:
    """The page of a task, agency or place IRI of the knowledge base (None for any other IRI)."""
    m = _TASK_IRI.match(iri)
    if m:
        return f"/ui/tasks/{m.group(1)}/{m.group(2)}"
    m = _ENTITY_IRI.match(iri)
    if m:
        return f"/ui/{'agencies' if m.group(1) == 'agency' else 'places'}/{m.group(2)}"
    return None
