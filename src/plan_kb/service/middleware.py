"""HTTP behaviour every route shares, as ASGI middleware: ``HEAD`` wherever ``GET`` is, ``OPTIONS`` and a right
``Allow`` header, conditional GET on the build (``ETag``, ``Last-Modified``, ``Cache-Control``, 304), CORS and gzip.

The data changes only when a build is swapped in, so the build's id is the validator: a response to ``GET`` is the
same for the same build, day, URL and ``Accept``, and a client that sends back the ``ETag`` it got
(``If-None-Match``) or the build's time (``If-Modified-Since``) gets ``304 Not Modified`` without the query being run
again.
"""

from __future__ import annotations

import hashlib
import time
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: methods every GET route also answers
IMPLIED = ("HEAD", "OPTIONS")


def flat_routes(routes: list[Any]) -> list[Any]:
    """The routes of ``routes`` with every included router's routes in its place."""
    out = []
    for r in routes:
        inner = getattr(r, "original_router", None)  # a router included in the app (FastAPI >= 0.120)
        out += flat_routes(inner.routes) if inner is not None else [r]
    return out


def allowed_methods(app: Any, scope: Scope) -> list[str]:
    """The methods some route of ``app`` answers for the path of ``scope`` (with HEAD and OPTIONS)."""
    methods: set[str] = set()
    probe = {**scope, "method": "GET"}
    for route in flat_routes(list(getattr(app, "routes", []))):
        match, _child = route.matches(probe)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or {"GET"})
    if not methods:
        return []
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


def header(scope: Scope, name: bytes) -> str | None:
    """The value of the request header ``name`` (lower case), or None."""
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


class BuildValidator:
    """What identifies the data a response was made from: the served build's id and time (None for a remote store,
    whose data may change under the service)."""

    def __init__(self, app: Any):
        self.app = app
        self._seen: tuple[Any, tuple[str, float]] | None = None  # the last build folder and what identifies it

    def current(self) -> tuple[str, float] | None:
        state = self.app.state
        reloader = getattr(state, "reloader", None)
        if reloader is not None:
            reloader.maybe_reload(self.app)
        kb = getattr(state, "kb", None)
        folder = getattr(kb, "folder", None)
        if folder is None:
            return None
        seen = self._seen
        if seen is not None and seen[0] is folder:  # a build folder is written once, before it is served
            return seen[1]
        try:
            mtime = (folder / "kb.nq").stat().st_mtime
        except OSError:
            return None
        self._seen = (folder, (folder.name, mtime))
        return folder.name, mtime


@lru_cache(maxsize=64)
def _http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


class HttpSemantics:
    """HEAD, OPTIONS, Allow and conditional GET around the app (see the module's docstring)."""

    def __init__(self, app: ASGIApp, fastapi_app: Any, max_age: int = 60):
        self.app = app
        self.fastapi_app = fastapi_app
        self.max_age = max_age
        self.validator = BuildValidator(fastapi_app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS":
            await self._options(scope, send)
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        cacheable = scope["method"] == "GET"
        etag = last_modified = None
        if cacheable:
            build = self.validator.current()
            if build is not None:
                build_id, mtime = build
                mtime = max(mtime, time.time() // 86400 * 86400)  # no older than today (UTC), as the ETag
                # the day too: pages that say what is due read today's date
                key = "\n".join([build_id, time.strftime("%Y-%m-%d"), scope.get("path", ""),
                                 scope.get("query_string", b"").decode("latin-1"), header(scope, b"accept") or "",
                                 header(scope, b"accept-language") or ""])
                etag = 'W/"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'
                last_modified = _http_date(mtime)
                if self._not_modified(scope, etag, mtime):
                    await self._send_304(send, etag, last_modified)
                    return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                status = message["status"]
                if status == 405:
                    allow = allowed_methods(self.fastapi_app, scope)
                    headers = [(k, v) for k, v in headers if k.lower() != b"allow"]
                    headers.append((b"allow", ", ".join(allow).encode()))
                if etag and status == 200 and not names & {b"cache-control", b"etag"}:
                    headers += [(b"etag", etag.encode()), (b"last-modified", last_modified.encode()),
                                (b"cache-control", f"public, max-age={self.max_age}".encode())]
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, wrapped)

    @staticmethod
    def _not_modified(scope: Scope, etag: str, mtime: float) -> bool:
        inm = header(scope, b"if-none-match")
        if inm is not None:
            tags = {t.strip() for t in inm.split(",")}
            weak = etag[2:] if etag.startswith("W/") else etag
            return "*" in tags or etag in tags or weak in tags
        ims = header(scope, b"if-modified-since")
        if ims:
            try:
                return parsedate_to_datetime(ims).timestamp() >= int(mtime)
            except (TypeError, ValueError):
                return False
        return False

    async def _send_304(self, send: Send, etag: str, last_modified: str) -> None:
        headers = [(b"etag", etag.encode()), (b"last-modified", last_modified.encode()),
                   (b"cache-control", f"public, max-age={self.max_age}".encode()), (b"vary", b"Accept")]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _options(self, scope: Scope, send: Send) -> None:
        allow = allowed_methods(self.fastapi_app, scope)
        if not allow:
            body = b'{"error":{"status":404,"message":"Not Found"}}'
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": 204,
                    "headers": [(b"allow", ", ".join(allow).encode()), (b"content-length", b"0"),
                                (b"date", formatdate(time.time(), usegmt=True).encode())]})
        await send({"type": "http.response.body", "body": b""})


class Gzip:
    """Starlette's gzip (``GZipMiddleware``), whose set-up per request is skipped for a response that declares a
    length under the minimum and comes whole (an answer of a few hundred bytes): it goes out untouched, as Starlette
    would send it. Every other response goes through Starlette's responder."""

    def __init__(self, app: ASGIApp, minimum_size: int):
        from starlette.middleware.gzip import GZipMiddleware

        self.app = app
        self.minimum_size = minimum_size
        self.full = GZipMiddleware(app, minimum_size=minimum_size)

    def _responder(self, scope: Scope, send: Send) -> Any:
        from starlette.middleware.gzip import GZipResponder, IdentityResponder

        g = self.full
        if "gzip" in (header(scope, b"accept-encoding") or ""):
            r: Any = GZipResponder(self.app, g.minimum_size, compresslevel=g.compresslevel,
                                   thread_minimum_size=g.thread_minimum_size,
                                   exclude_content_types=g.exclude_content_types)
        else:
            r = IdentityResponder(self.app, g.minimum_size, exclude_content_types=g.exclude_content_types)
        r.send = send
        return r.send_with_compression

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        onward: Send | None = None

        async def sending(message: Message) -> None:
            nonlocal held, onward
            if onward is not None:
                await onward(message)
            elif held is None and message["type"] == "http.response.start" and self._small(message):
                held = message
            elif held is not None and message["type"] == "http.response.body" and not message.get("more_body"):
                onward = send
                await send(held)
                await send(message)
            else:
                onward = self._responder(scope, send)
                if held is not None:
                    await onward(held)
                await onward(message)

        await self.app(scope, receive, sending)

    def _small(self, start: Message) -> bool:
        for k, v in start.get("headers", ()):
            if k.lower() == b"content-length":
                return v.isdigit() and int(v) < self.minimum_size
        return False


def install(app: Any, settings: Any) -> None:
    """Add the middleware to ``app``: CORS outermost (so preflights and 304s carry its headers), then HEAD/OPTIONS/
    conditional GET, then gzip next to the routes."""
    from starlette.middleware.cors import CORSMiddleware

    if settings.gzip_min_size:
        app.add_middleware(Gzip, minimum_size=settings.gzip_min_size)
    app.add_middleware(HttpSemantics, fastapi_app=app, max_age=settings.cache_max_age)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                           allow_headers=["*"],
                           expose_headers=["ETag", "Last-Modified", "Content-Disposition", "X-Total-Count"],
                           max_age=600)
