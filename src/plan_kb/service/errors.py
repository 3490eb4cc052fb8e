"""One error format everywhere: ``{"error": {"status": 404, "message": "…"}}`` (plus ``candidates`` when a name is
ambiguous).

Everywhere means also outside the routes: :class:`Guard` (the outermost middleware of the app) answers a body over
:data:`MAX_BODY` with 413 and turns an exception no handler took into a 500 in this format without dropping the
connection, and the HTTP protocols ``plan-kb serve`` runs uvicorn with (:func:`httptools_protocol`, else
:class:`H11JSONErrors`) answer a request uvicorn cannot read (bad HTTP, or a request line and headers over
:data:`MAX_HEAD` bytes) in it too."""

from __future__ import annotations

import json
import logging
from typing import Any

import h11
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.protocols.http.h11_impl import H11Protocol

from plan_kb.errors import Ambiguous, NotBuilt, NotFound, PlanKBError

log = logging.getLogger("plan_kb.service")


class ErrorBody(BaseModel):
    status: int
    message: str
    candidates: list[str] | None = None


class ErrorResponse(BaseModel):
    """What every failed request returns."""

    error: ErrorBody


def status_of(exc: PlanKBError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Ambiguous):
        return 409
    if isinstance(exc, NotBuilt):
        return 503
    return int(getattr(exc, "status", 400))


def error_response(status: int, message: str, candidates: list[str] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "message": message}
    if candidates is not None:
        body["candidates"] = candidates
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_middleware(Guard)

    @app.exception_handler(PlanKBError)
    async def _plankb(_req: Request, exc: PlanKBError) -> JSONResponse:
        cands = exc.candidates if isinstance(exc, Ambiguous) else None
        return error_response(status_of(exc), str(exc).splitlines()[0] if str(exc) else type(exc).__name__, cands)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return error_response(422, "invalid request: " + "; ".join(parts))

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(500, f"internal error ({type(exc).__name__}); the server log has the details")


#: The error responses every operation may give, for the OpenAPI document.
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}


#: Most bytes of a request body (a SPARQL query, a question); past it, 413.
MAX_BODY = 1_000_000
#: Most bytes of a request line and its headers, the longest GET URL (uvicorn's ``h11_max_incomplete_event_size``).
MAX_HEAD = 256 * 1024


def _json_bytes(status: int, message: str) -> bytes:
    return json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False).encode("utf-8")


class _BodyTooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: a request line and headers over :data:`MAX_HEAD` bytes get 431, bodies over ``max_body``
    413 (by Content-Length at once, else as soon as the bytes read pass it); an exception that reaches it is
    answered 500 in the one format and the connection stays usable."""

    def __init__(self, app: Any, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async def reply(status: int, message: str) -> None:
            body = _json_bytes(status, message)
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + sum(
            len(k) + len(v) + 4 for k, v in scope.get("headers") or [])
        if head > MAX_HEAD:
            await reply(431, f"the request line and headers are longer than {MAX_HEAD} bytes, the most this "
                             "service reads; send a long SPARQL query with POST")
            return
        too_large = f"the request body is larger than {self.max_body} bytes, the most this service reads"
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body:
            await reply(413, too_large)
            return
        seen = 0

        async def receive_counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, receive_counted, send_tracked)
        except _BodyTooLarge:
            if not started:
                await reply(413, too_large)
        except Exception as exc:
            log.exception("unexpected error", exc_info=exc)
            if not started:
                await reply(500, f"internal error ({type(exc).__name__}); the server log has the details")


#: Where the httptools parser stops reading a request line and headers (it says only that the request is invalid).
HTTPTOOLS_HEAD = 64 * 1024


def _head_error(limit: int, too_long: bool, maybe_long: bool = False) -> tuple[int, bytes]:
    if too_long:
        return 431, _json_bytes(431, f"the request line and headers are longer than {limit} bytes, the most this "
                                     "service reads; send a long SPARQL query with POST")
    if maybe_long:
        return 400, _json_bytes(400, f"the request is not valid HTTP/1.1, or its request line and headers are longer "
                                     f"than {HTTPTOOLS_HEAD // 1024} KB (send a long SPARQL query with POST)")
    return 400, _json_bytes(400, "the request is not valid HTTP/1.1")


class H11JSONErrors(H11Protocol):
    """uvicorn's h11 protocol, answering what it cannot read in the one error format (431 for a request line and
    headers over the limit, else 400) instead of plain text."""

    def send_400_response(self, msg: str) -> None:
        limit = self.config.h11_max_incomplete_event_size or 16 * 1024  # h11's default
        status, body = _head_error(limit, len(getattr(self.conn, "_receive_buffer", b"")) >= limit)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        try:
            for event in (h11.Response(status_code=status, headers=headers, reason=b""), h11.Data(data=body),
                          h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:
            pass
        self.transport.close()


def httptools_protocol() -> type | None:
    """uvicorn's httptools protocol (the faster parser, when installed) with the one error format; its parser stops
    at a request line and headers of :data:`HTTPTOOLS_HEAD` bytes (the answer says so); ``None`` without
    httptools."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class HttptoolsJSONErrors(HttpToolsProtocol):
        _head = 0
        _too_long = False

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head, self._too_long = 0, False

        def _count(self, n: int) -> None:
            self._head += n
            if self._head > MAX_HEAD:
                self._too_long = True
                raise ValueError("request head too long")  # the parser stops; data_received answers

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def send_400_response(self, msg: str) -> None:
            status, body = _head_error(MAX_HEAD, self._too_long, maybe_long=True)
            self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                                 b"connection: close\r\n\r\n" % (status, b"Request Header Fields Too Large"
                                                                 if status == 431 else b"Bad Request", len(body))
                                 + body)
            self.transport.close()

    return HttptoolsJSONErrors
