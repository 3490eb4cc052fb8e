"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from files installed with the package, so the API documentation works
on a network with no internet: the scripts and styles come from the ``fastapi-offline`` distribution (MIT; it ships
Swagger UI's and ReDoc's own builds under their Apache-2.0 and MIT licences), served under ``/docs/static/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from plan_kb.errors import NotFound

ORDER = 90
router = APIRouter(include_in_schema=False)


def asset_folder() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "redoc.standalone.js": "text/javascript", "favicon.png": "image/png"}


@router.get("/docs/static/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"no documentation asset {name!r}")
    return FileResponse(asset_folder() / name, media_type=ASSETS[name])


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="plan-kb API",
                               swagger_js_url=f"{root}/docs/static/swagger-ui-bundle.js",
                               swagger_css_url=f"{root}/docs/static/swagger-ui.css",
                               swagger_favicon_url=f"{root}/docs/static/favicon.png",
                               oauth2_redirect_url=f"{root}/docs/oauth2-redirect")


@router.get("/docs/oauth2-redirect")
def swagger_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}/openapi.json", title="plan-kb API",
                          redoc_js_url=f"{root}/docs/static/redoc.standalone.js",
                          redoc_favicon_url=f"{root}/docs/static/favicon.png", with_google_fonts=False)
