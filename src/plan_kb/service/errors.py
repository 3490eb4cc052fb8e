"""One error format everywhere: ``{"error": {"status": 404, "message": "…"}}`` (plus ``candidates`` when a name is
ambiguous)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

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
