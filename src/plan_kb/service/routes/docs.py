"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from files installed with the package, so the API documentation works
on a network with no internet: the scripts and styles come from the ``fastapi-offline`` distribution (MIT; it ships
Swagger UI's and ReDoc's own builds under their Apache-2.0 and MIT licences), served under ``/docs/static/``.
ReDoc's script would fetch its logo from a CDN; it is served with that one address pointing at a local file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from plan_kb.errors import NotFound

ORDER = 90
router = APIRouter(include_in_schema=False)


def asset_folder() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "redoc.standalone.js": "text/javascript", "favicon.png": "image/png"}


#: what the vendored scripts would fetch from the internet, and the local file served instead
_OFFLINE = {"redoc.standalone.js": [(b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"docs/static/favicon.png")]}


@cache
def _patched(name: str) -> bytes:
    data = (asset_folder() / name).read_bytes()
    for old, new in _OFFLINE[name]:
        data = data.replace(old, new)
    return data


@router.get("/docs/static/{name}")
def docs_asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFound(f"no documentation asset {name!r}")
    if name in _OFFLINE:
        return Response(_patched(name), media_type=ASSETS[name])
    return FileResponse(asset_folder() / name, media_type=ASSETS[name])


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="plan-kb API",
                               swagger_js_url=f"{root}/docs/static/swagger-ui-bundle.js",
                               swagger_css_url=f"{root}/docs/static/swagger-ui.css",
                               swagger_favicon_url=f"{root}/docs/static/favicon.png",
                               oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
                               swagger_ui_parameters={"validatorUrl": None})


@router.get("/docs/oauth2-redirect")
def swagger_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}/openapi.json", title="plan-kb API",
                          redoc_js_url=f"{root}/docs/static/redoc.standalone.js",
                          redoc_favicon_url=f"{root}/docs/static/favicon.png", with_google_fonts=False)
