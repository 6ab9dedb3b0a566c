"""/docs: Swagger UI served from this server (assets from the fastapi-offline package, no CDN).

FastAPI's own /docs page loads Swagger UI from a CDN and starts it with an inline script; this one
starts it from /static/docs.js, so it works offline and under a `script-src 'self'` policy.
"""

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from adapters.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    return render(request, "docs.html", None, openapi_url=request.app.openapi_url or "/openapi.json")


@router.get("/static/docs/{name}")
def swagger_asset(name: str) -> Response:
    if name not in SWAGGER_FILES:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(
        SWAGGER_DIR / name, media_type=SWAGGER_FILES[name], headers={"Cache-Control": "public, max-age=86400"}
    )
