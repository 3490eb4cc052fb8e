"""The app factory: ``plan_kb.service.app:create_app(settings=None)``.

Routers are discovered: every module of ``plan_kb.service.routes`` with a module-level ``router`` is included, in
module-name order (a module may set ``ORDER = <int>`` to come earlier or later).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from plan_kb import __version__
from plan_kb.service import errors, middleware, routes
from plan_kb.service.deps import Reloader, close_all, load_kb
from plan_kb.service.settings import Settings

DESCRIPTION = """\
A knowledge base of government action plans (tasks, agencies and their roles, deadlines, places, limits and goals),
read from the text with provenance for every fact.

* `/sparql` — a W3C SPARQL 1.1 Protocol endpoint (read-only; time limit and row cap).
* `/queries` — the competency questions as named queries, each an operation of its own.
* `/plans`, `/tasks`, `/agencies`, `/places`, `/deadlines`, `/export` — JSON (or CSV) for people's tools.

Errors always come as `{"error": {"status": …, "message": …}}`.
"""


def discover_routers() -> list[tuple[str, APIRouter]]:
    found = []
    for info in pkgutil.iter_modules(routes.__path__):
        mod = importlib.import_module(f"{routes.__name__}.{info.name}")
        router = getattr(mod, "router", None)
        if isinstance(router, APIRouter):
            found.append((getattr(mod, "ORDER", 50), info.name, router))
    return [(name, r) for _o, name, r in sorted(found, key=lambda x: (x[0], x[1]))]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    kb: Any = load_kb(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        close_all(app)

    app = FastAPI(title="plan-kb", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  separate_input_output_schemas=False, docs_url=None, redoc_url=None)
    if not app._native_telemetry.enabled():
        # no OpenTelemetry provider is set up (one set up later is not looked for): FastAPI need not ask on every
        # request whether there is one now, which takes longer than answering a small /sparql query's HTTP
        app._native_telemetry.config.update(tracing=False, metrics=False, logs=False)
    app.state.kb, kb = kb, None  # held by the app only, so a reload can let it go
    app.state.settings = settings
    app.state.reloader = Reloader(settings.reload_check)
    errors.install(app)
    middleware.install(app, settings)
    for _name, router in discover_routers():
        app.include_router(router)
    from plan_kb.service.routes.sparql import lean_route

    app.router.routes.insert(0, lean_route(middleware.flat_routes(app.router.routes)))
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with one error response (``4XX``/``5XX`` → ErrorResponse) on every operation."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    comps["ErrorResponse"] = errors.ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in comps["ErrorResponse"].pop("$defs", {}).items():
        comps[name] = sub
    for path_item in schema.get("paths", {}).values():
        for op in path_item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            resp = op["responses"]
            resp.pop("422", None)
            for code in ("4XX", "5XX"):
                resp.setdefault(code, {"description": "an error", "content": errors.ERROR_CONTENT})
    for unused in ("HTTPValidationError", "ValidationError"):
        comps.pop(unused, None)
    app.openapi_schema = schema
    return schema
