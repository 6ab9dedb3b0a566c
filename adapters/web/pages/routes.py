"""The router for every browser page; adapters.web.app includes it once."""

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from adapters.web.pages import auth, calls, chat, docs, records
from adapters.web.pages.rendering import STATIC_DIR, STATIC_FILES

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(chat.router)
router.include_router(records.router)
router.include_router(calls.router)
router.include_router(docs.router)


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    """The pages' own script and stylesheet; nothing else is served from disk."""
    if name not in STATIC_FILES:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(STATIC_DIR / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)
