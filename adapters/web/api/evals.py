"""Evaluation reports for admins: the list, one report's HTML, and starting a run in the background.

Admins reach these pages signed in on the web (session cookie; a POST also needs the session's CSRF
token) or with an API token (Authorization: Bearer).
"""

import json
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from adapters.web.context import AppContext, DbSession, app_context, bearer_principal
from adapters.web.pages.sessions import CSRF_FIELD, CSRF_HEADER, optional_web_user, tokens_match
from assistant.crm.principal import Principal
from assistant.risk.backtest_cache import todays_backtest
from evals.report import TEMPLATES
from evals.service import REPORT_NAME, EvalSetupError, new_report_name, reports_dir, run_evaluation

router = APIRouter(prefix="/admin/evals", tags=["evaluations"])
_pages = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


async def admin(
    request: Request,
    db: DbSession,
    context: Annotated[AppContext, Depends(app_context)],
) -> tuple[Principal, str | None]:
    """The admin asking, and their CSRF token when they came with a web session."""
    header = request.headers.get("authorization")
    csrf: str | None = None
    if header:
        principal = bearer_principal(db, header)
    else:
        user = optional_web_user(request, db, context)
        if user is None:
            if request.method == "GET":
                raise HTTPException(303, "sign in first", headers={"Location": f"/login?next={request.url.path}"})
            raise HTTPException(401, "sign in at /login or send 'Authorization: Bearer <token>'")
        if request.method != "GET":
            given = request.headers.get(CSRF_HEADER)
            if given is None:
                form = await request.form()
                field = form.get(CSRF_FIELD)
                given = field if isinstance(field, str) else None
            if not tokens_match(user.csrf_token, given):
                raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
        principal, csrf = user.principal, user.csrf_token
    if not principal.is_admin:
        raise HTTPException(403, "evaluation reports are for admins only")
    return principal, csrf


Admin = Annotated[tuple[Principal, str | None], Depends(admin)]


def _summaries(directory: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(directory.glob("*/report.json"), reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            rows.append({"name": path.parent.name, "broken": True})
            continue
        summary = data.get("summary", {})
        rows.append(
            {
                "name": path.parent.name,
                "created_at": data.get("created_at"),
                "brain": data.get("brain"),
                "model": data.get("model"),
                "cases": summary.get("cases"),
                "passed": summary.get("passed"),
                "pass_rate": summary.get("pass_rate"),
                "categories": {name: m.get("pass_rate") for name, m in data.get("categories", {}).items()},
                "broken": False,
            }
        )
    return rows


def _runs(request: Request) -> dict[str, str]:
    if not hasattr(request.app.state, "eval_runs"):
        request.app.state.eval_runs = {}
        request.app.state.eval_lock = threading.Lock()
    return request.app.state.eval_runs


@router.get("", response_class=HTMLResponse)
def list_reports(
    request: Request, context: Annotated[AppContext, Depends(app_context)], who: Admin, db: DbSession
) -> HTMLResponse:
    """Every report under DEALWISE_DATA_DIR/reports, newest first, a form to start a run, and the risk backtest."""
    directory = reports_dir(context.settings)
    runs = _runs(request)
    html = _pages.get_template("reports_list.html.j2").render(
        backtest=todays_backtest(db, context.clock.now()),
        reports=_summaries(directory) if directory.exists() else [],
        runs=runs,
        csrf_token=who[1],
        csrf_field=CSRF_FIELD,
        directory=str(directory),
    )
    return HTMLResponse(html)


@router.get("/{name}", response_class=HTMLResponse)
def show_report(name: str, context: Annotated[AppContext, Depends(app_context)], who: Admin) -> FileResponse:
    if not REPORT_NAME.match(name):
        raise HTTPException(404, f"no report named {name!r}")
    path = reports_dir(context.settings) / name / "report.html"
    if not path.is_file():
        raise HTTPException(404, f"no report named {name!r}")
    return FileResponse(path, media_type="text/html")


@router.post("/run", status_code=202)
def start_run(
    request: Request,
    context: Annotated[AppContext, Depends(app_context)],
    who: Admin,
    brain: Annotated[str, Form()] = "offline",
    datasets: Annotated[str, Form(description="dataset names, space or comma separated; all if empty")] = "",
    repeat: Annotated[int, Form(ge=1, le=10)] = 1,
) -> JSONResponse:
    """Start an evaluation run in the background; its report appears in the list when it finishes."""
    if brain not in ("offline", "llm"):
        raise HTTPException(422, "brain must be offline or llm")
    if brain == "llm" and not (context.settings.llm_base_url and context.settings.llm_model):
        raise HTTPException(422, "the llm brain needs DEALWISE_LLM_BASE_URL and DEALWISE_LLM_MODEL")
    runs = _runs(request)
    with request.app.state.eval_lock:
        if any(state == "running" for state in runs.values()):
            raise HTTPException(409, "an evaluation is already running; wait for it to finish")
        name = new_report_name(brain)
        runs[name] = "running"
    names = [part for part in datasets.replace(",", " ").split() if part] or None

    def work() -> None:
        try:
            run_evaluation(context.settings, names, brain, repeat, name=name)  # type: ignore[arg-type]
            runs[name] = "done"
        except EvalSetupError as error:
            runs[name] = f"failed: {error}"
        except Exception as error:  # noqa: BLE001 - reported on the list page, never lost
            runs[name] = f"failed: {type(error).__name__}: {error}"

    threading.Thread(target=work, name=f"eval-{name}", daemon=True).start()
    return JSONResponse({"name": name, "status": "running", "report": f"/admin/evals/{name}"}, status_code=202)


@router.get("/{name}/status")
def run_status(name: str, request: Request, context: Annotated[AppContext, Depends(app_context)], who: Admin) -> dict:
    state = _runs(request).get(name)
    if state is None and (reports_dir(context.settings) / name / "report.json").is_file():
        state = "done"
    if state is None:
        raise HTTPException(404, f"no run named {name!r}")
    return {"name": name, "status": state}
