"""The service's gzip (``service.middleware.Gzip``) sends what Starlette's ``GZipMiddleware`` sends, response for
response: it only skips Starlette's set-up for a small answer that comes whole."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import pytest
from starlette.middleware.gzip import GZipMiddleware

from plan_kb.service.middleware import Gzip

MIN = 500


def _app(chunks: list[bytes], ctype: bytes, length: bool) -> Any:
    async def app(scope: dict, receive: Any, send: Any) -> None:
        headers = [(b"content-type", ctype)]
        if length:
            headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, c in enumerate(chunks):
            await send({"type": "http.response.body", "body": c, "more_body": i < len(chunks) - 1})
    return app


def _run(middleware: Any, app: Any, accept: bytes | None) -> list[dict]:
    out: list[dict] = []
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", accept)] if accept else []}

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(m: dict) -> None:
        out.append({**m, "headers": sorted(m.get("headers", []))} if "headers" in m else dict(m))

    asyncio.run(middleware(app, minimum_size=MIN)(scope, receive, send))
    return out


@pytest.mark.parametrize("chunks", [[b"x" * 40], [b"x" * 40, b"y" * 40], [b"z" * 4000], [b"a" * 300, b"b" * 600],
                                    [b""]], ids=["small", "small-streamed", "large", "large-streamed", "empty"])
@pytest.mark.parametrize("ctype", [b"application/json", b"image/png"])
@pytest.mark.parametrize("length", [True, False])
@pytest.mark.parametrize("accept", [b"gzip, deflate", None])
def test_the_same_messages_as_starlette(chunks: list[bytes], ctype: bytes, length: bool, accept: bytes | None) -> None:
    ours = _run(Gzip, _app(chunks, ctype, length), accept)
    theirs = _run(GZipMiddleware, _app(chunks, ctype, length), accept)
    assert ours == theirs
    if accept and ctype == b"application/json" and sum(map(len, chunks)) >= MIN:
        assert dict(ours[0]["headers"])[b"content-encoding"] == b"gzip"
        assert gzip.decompress(b"".join(m.get("body", b"") for m in ours[1:])) == b"".join(chunks)
