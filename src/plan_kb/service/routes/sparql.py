"""``/sparql``: the W3C SPARQL 1.1 Protocol, read-only, with a time limit and a row cap.

GET ``?query=`` or POST (``application/x-www-form-urlencoded`` with ``query=``, or ``application/sparql-query``).
The result format follows ``Accept`` (q-values honoured) or the ``format`` parameter. Without a query, GET answers
with the service description (SPARQL Service Description + VoID, Turtle or JSON-LD) or, for a browser, a page with
the example queries.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.routing import Route

from plan_kb.errors import PlanKBError
from plan_kb.service.deps import KBDep, KnowledgeBase, hold_kb
from plan_kb.service.description import service_description, sparql_page
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.formats import FORMAT_PARAMS, GRAPH_TYPES, RESULT_TYPES, negotiate, prefers_html, render
from plan_kb.service.middleware import header
from plan_kb.store.guard import KEEP_BELOW, KEPT, QueryRefused, QuerySyntaxError, read
from plan_kb.store.written import WRITTEN, Written

ORDER = 10


class UnsupportedMediaType(PlanKBError):
    status = 415


class UpdateByGet(PlanKBError):
    """``GET ?update=``: the protocol sends updates by POST only (400, as Fuseki answers)."""

    status = 400

router = APIRouter(tags=["SPARQL"])

EXAMPLE = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
           "SELECT ?task ?number ?title WHERE {\n  ?task a pkb:Task ; pkb:number ?number ; dcterms:title ?title ;\n"
           "        pkb:inPlan [ pkb:planKey \"water\" ] .\n} ORDER BY ?number LIMIT 5")
_RESULT_EXAMPLE = {"head": {"vars": ["task", "number", "title"]}, "results": {"bindings": [{
    "task": {"type": "uri", "value": "https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/1"},
    "number": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    "title": {"type": "literal", "value": "保障重点河流生态流量", "xml:lang": "zh"}}]}}

_CONTENT: dict[str, Any] = {m: {"schema": {"type": "string"}} for m in
                            (*RESULT_TYPES.values(), *GRAPH_TYPES.values()) if m != RESULT_TYPES["json"]}
_CONTENT[RESULT_TYPES["json"]] = {"schema": {"type": "object"}, "example": _RESULT_EXAMPLE}
_CONTENT[GRAPH_TYPES["jsonld"]] = {"schema": {"description": "a JSON-LD document"}}
_CONTENT["text/html"] = {"schema": {"type": "string"}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the result (SELECT/ASK: SPARQL results; CONSTRUCT/DESCRIBE: RDF), or without a query the "
                         "service description", "content": _CONTENT},
    400: {"description": "the query does not parse", "content": ERROR_CONTENT},
    403: {"description": "an update, LOAD or SERVICE: refused, this endpoint is read-only", "content": ERROR_CONTENT},
    406: {"description": "no acceptable format for this result", "content": ERROR_CONTENT},
    415: {"description": "a POST body of another type", "content": ERROR_CONTENT},
    413: {"description": "the query is longer than the size limit, or the result larger than the row cap or the byte "
                         "cap", "content": ERROR_CONTENT},
    503: {"description": "the query ran past the time limit and was stopped", "content": ERROR_CONTENT},
}
FORMAT_HELP = ("result format, overrides Accept when understood (else Accept decides); may repeat, and 'output' is "
               "the same: json, xml, csv, tsv (SELECT/ASK); turtle (ttl), n3, ntriples (nt), nquads, trig, jsonld "
               "(json-ld, json), rdfxml (xml) (CONSTRUCT/DESCRIBE); or a media type")


class Answer(Response):
    """A query's answer: its bytes in ``media_type``, ``Vary: Accept`` (the headers written once, not assembled)."""

    def __init__(self, body: bytes, media_type: str):
        self.status_code = 200
        self.body = body
        self.media_type = media_type
        self.background = None
        self.raw_headers = [(b"content-length", b"%d" % len(body)), (b"content-type", media_type.encode("latin-1")),
                            (b"vary", b"Accept")]


def _media(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or media.endswith("json") else "")


def run_query(kb: KnowledgeBase, query: str, accept: str | None, fmt: str | list[str] | None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Response:
    s = kb.settings
    query, form = read(query, s.query_size, s.query_depth)
    name, media = negotiate("graph" if form in ("construct", "describe") else "results", accept, fmt)
    res = kb.store.query(query, timeout=s.query_timeout, row_limit=s.row_limit, byte_limit=s.result_bytes,
                         default_graphs=default_graphs or None, named_graphs=named_graphs or None,
                         write=name if name in WRITTEN else None)
    body = res.data if isinstance(res, Written) else render(res, name)
    return Answer(body if isinstance(body, bytes) else body.encode("utf-8"), _media(media))


async def answer_query(kb: KnowledgeBase, query: str, accept: str | None, fmt: list[str],
                       default_graphs: list[str], named_graphs: list[str]) -> Response:
    """:func:`run_query` from a coroutine: a SELECT or ASK in JSON or XML on the embedded store is written by its
    worker and waited for on the event loop; anything else (a result this process serialises, a remote store) runs
    on a thread, as a route's function does."""
    s = kb.settings
    aquery = getattr(kb.store, "aquery", None)
    if aquery is None or len(query) > 4096:  # a long query is read by the guard on a thread too
        return await run_in_threadpool(run_query, kb, query, accept, fmt, default_graphs, named_graphs)
    query, form = read(query, s.query_size, s.query_depth)
    name, media = negotiate("graph" if form in ("construct", "describe") else "results", accept, fmt)
    if name not in WRITTEN:
        return await run_in_threadpool(run_query, kb, query, accept, fmt, default_graphs, named_graphs)
    res = await aquery(query, timeout=s.query_timeout, row_limit=s.row_limit, byte_limit=s.result_bytes,
                       default_graphs=default_graphs or None, named_graphs=named_graphs or None, write=name)
    body = res.data if isinstance(res, Written) else render(res, name)
    return Answer(body if isinstance(body, bytes) else body.encode("utf-8"), _media(media))


def formats_of(params: Any) -> list[str]:
    """Every ``format`` / ``output`` / ``results`` value, in order (SPARQLWrapper sends all three, some twice)."""
    return [v for p in FORMAT_PARAMS for v in params.getlist(p)] if hasattr(params, "getlist") else \
        [v for p in FORMAT_PARAMS for v in params.get(p, [])]


def one_query(values: list[str]) -> str | None:
    """The protocol allows exactly one ``query`` parameter."""
    if len(values) > 1:
        raise QuerySyntaxError(f"{len(values)} 'query' parameters given; the SPARQL protocol takes exactly one")
    return values[0] if values else None


def refuse_update() -> None:
    raise QueryRefused("updates are refused: this endpoint is read-only; the knowledge base changes only by "
                       "rebuilding it")


def describe_service(kb: KnowledgeBase, request: Request, fmt: list[str] | None) -> Response:
    accept = request.headers.get("accept")
    if not any(fmt or []) and prefers_html(accept):
        return HTMLResponse(sparql_page(kb, request.url.path))
    name, media = negotiate("graph", accept, fmt)
    base = kb.settings.base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return Response(service_description(kb, base, name), media_type=media, headers={"Vary": "Accept"})


@router.get("/sparql", operation_id="sparql_query_get", summary="SPARQL query (GET), or the service description",
            responses=_RESPONSES, response_class=Response)
def sparql_get(
    kb: KBDep,
    request: Request,
    query: Annotated[str | None, Query(description="a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                                       examples=[EXAMPLE])] = None,
    format: Annotated[str | None, Query(description=FORMAT_HELP, examples=["json"])] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri",
                                                         description="graphs to merge as the default graph "
                                                                     "(default: all graphs)")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
) -> Response:
    params = request.query_params
    if "update" in params:
        raise UpdateByGet("an update cannot be sent with GET (SPARQL 1.1 Protocol §2.2); and this endpoint is "
                          "read-only; the knowledge base changes only by rebuilding it")
    query = one_query(params.getlist("query"))
    if query is None:
        return describe_service(kb, request, formats_of(params))
    return run_query(kb, query, request.headers.get("accept"), formats_of(params), default_graph_uri,
                     named_graph_uri)


_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "required": ["query"], "properties": {
                "query": {"type": "string", "description": "a SPARQL query"},
                "format": {"type": "string", "description": FORMAT_HELP},
                "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            }},
            "example": {"query": EXAMPLE},
        },
        "application/sparql-query": {"schema": {"type": "string"}, "example": EXAMPLE},
    },
}


@router.post("/sparql", operation_id="sparql_query_post", summary="SPARQL query (POST, form or sparql-query body)",
             responses=_RESPONSES, response_class=Response, openapi_extra={"requestBody": _BODY})
async def sparql_post(kb: KBDep, request: Request,
                      format: Annotated[str | None, Query(description=FORMAT_HELP)] = None) -> Response:
    return await post_query(kb, request)


async def post_query(kb: KnowledgeBase, request: Request) -> Response:
    """The answer to a POST of the protocol (a form with ``query=``, or an ``application/sparql-query`` body)."""
    ctype, _, ctype_params = request.headers.get("content-type", "").partition(";")
    ctype = ctype.strip().lower()
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in ctype_params.split(";")
                    if p.strip().lower().startswith("charset=")), "utf-8")
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"send the request body in UTF-8, not {charset} (SPARQL 1.1 Protocol §2.1)")
    body = await request.body()
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    formats = formats_of(params)
    if "update" in params:
        refuse_update()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise QuerySyntaxError("the request body is not UTF-8") from None
    if ctype == "application/sparql-query":
        if "query" in params:
            raise QuerySyntaxError("a query in the body and another in the URL; send one")
        query = text
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            refuse_update()
        query = one_query(form.get("query", []) + params.getlist("query"))
        if query is None:
            raise QuerySyntaxError("no query given: send the query in the 'query' form field")
        formats = formats_of(form) + formats
        default_graphs += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
    elif ctype == "application/sparql-update":
        refuse_update()
    else:
        raise UnsupportedMediaType(f"send the query as application/sparql-query or as an "
                                   f"application/x-www-form-urlencoded form, not {ctype or 'no content type'}")
    return await answer_query(kb, query, request.headers.get("accept"), formats, default_graphs, named_graphs)


@lru_cache(maxsize=KEPT)
def _kept_params(raw: bytes) -> QueryParams:
    return QueryParams(raw)


def query_params(raw: bytes) -> QueryParams:
    """The parameters of a query string, kept for the next time the same one comes (a client sends the same queries
    again and again; decoding the URL of a query of 1,500 characters takes some 50 µs). A ``QueryParams`` does not
    change, so one may serve many requests."""
    return _kept_params(raw) if len(raw) < KEEP_BELOW else QueryParams(raw)


class Lean:
    """``GET /sparql?query=…`` and ``POST /sparql``, answered without FastAPI's parameter and dependency machinery (a
    plain ASGI endpoint ahead of the documented routes, which answer everything else: the service description, an
    update sent by GET). The same functions run, so the answers, the errors and the limits are those of the routes;
    the middleware (CORS, HEAD, conditional GET, gzip, the request guard) is around it as around every route."""

    def __init__(self, fallback: Any):
        self.fallback = fallback  # the documented GET route

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        get = scope["method"] != "POST"
        params = query_params(scope.get("query_string", b""))
        if get and ("query" not in params or "update" in params):
            await self.fallback.handle(scope, receive, send)
            return
        kb = await hold_kb(scope["app"])
        try:
            if get:
                response = await answer_query(kb, one_query(params.getlist("query")) or "", header(scope, b"accept"),
                                              formats_of(params), params.getlist("default-graph-uri"),
                                              params.getlist("named-graph-uri"))
            else:
                response = await post_query(kb, Request(scope, receive))
        finally:
            kb.leave()
        await response(scope, receive, send)


def lean_route(routes: list[Any]) -> Route:
    """The route of :class:`Lean`, to put first in the app's routes."""
    fallback = next(r for r in routes if isinstance(r, APIRoute) and r.path == "/sparql" and "GET" in r.methods)
    return Route("/sparql", Lean(fallback), methods=["GET", "POST"], include_in_schema=False)
