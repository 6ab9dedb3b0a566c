"""Evaluation reports for admins: the page listing them, starting a run, its progress, and its report.

Admins reach these signed in on the web (session cookie; a POST also needs the session's CSRF
token) or with an API token (Authorization: Bearer). People get pages; API clients get JSON from
the same URLs where they ask for it (`Accept: application/json`, or an API token on POST /run).
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Security
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials

from adapters.web.context import API_TOKEN, AppContext, DbSession, app_context, bearer_principal
from adapters.web.pages.error_pages import wants_html
from adapters.web.pages.eval_runs import (
    EvalRun,
    EvalRuns,
    RunInProgress,
    available_datasets,
    chosen_datasets,
    report_exists,
)
from adapters.web.pages.rendering import render, templates
from adapters.web.pages.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    WebUser,
    optional_web_user,
    sign_in_location,
    tokens_match,
)
from assistant.crm.principal import Principal
from assistant.risk.backtest_cache import todays_backtest
from evals.service import REPORT_NAME, EvalSetupError, reports_dir

router = APIRouter(prefix="/admin/evals", tags=["evaluations"])


@dataclass(frozen=True)
class AdminUser:
    principal: Principal
    web: WebUser | None
    """the web session when they came with one (their pages get the header and sign-out)"""


async def admin(
    request: Request,
    db: DbSession,
    context: Annotated[AppContext, Depends(app_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(API_TOKEN)] = None,
) -> AdminUser:
    web: WebUser | None = None
    if credentials is not None or request.headers.get("authorization"):
        principal = bearer_principal(db, credentials)
    else:
        web = optional_web_user(request, db, context)
        if web is None:
            if request.method == "GET":
                raise HTTPException(303, "sign in first", headers={"Location": sign_in_location(request)})
            raise HTTPException(401, "sign in at /login or send 'Authorization: Bearer <token>'")
        if request.method != "GET":
            given = request.headers.get(CSRF_HEADER)
            if given is None:
                form = await request.form()
                field = form.get(CSRF_FIELD)
                given = field if isinstance(field, str) else None
            if not tokens_match(web.csrf_token, given):
                raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
        principal = web.principal
    if not principal.is_admin:
        raise HTTPException(403, "evaluation reports are for admins only")
    return AdminUser(principal, web)


Admin = Annotated[AdminUser, Depends(admin)]
Context = Annotated[AppContext, Depends(app_context)]


def _runs(request: Request) -> EvalRuns:
    if not hasattr(request.app.state, "eval_runs"):
        request.app.state.eval_runs = EvalRuns()
    return request.app.state.eval_runs


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
                "pass_rate": summary.get("pass_rate") or 0.0,
                "categories": {name: m.get("pass_rate") or 0.0 for name, m in data.get("categories", {}).items()},
                "broken": False,
            }
        )
    return rows


@router.get("", response_class=HTMLResponse)
def list_reports(request: Request, context: Context, who: Admin, db: DbSession) -> HTMLResponse:
    """Every report under DEALWISE_DATA_DIR/reports, newest first, a form to start a run, and the risk backtest."""
    directory = reports_dir(context.settings)
    runs = _runs(request).recent()
    return render(
        request,
        "admin_evals.html",
        who.web,
        backtest=todays_backtest(db, context.clock.now()),
        reports=_summaries(directory) if directory.exists() else [],
        runs=runs,
        running=next((run for run in runs if run.status == "running"), None),
        datasets=available_datasets(),
        llm_configured=bool(context.settings.llm_base_url and context.settings.llm_model),
        llm_model=context.settings.llm_model,
        directory=str(directory),
    )


@router.post("/run", status_code=202)
def start_run(
    request: Request,
    context: Context,
    who: Admin,
    brain: Annotated[str, Form()] = "offline",
    datasets: Annotated[
        list[str] | None, Form(description="dataset names (repeated, or space/comma separated)")
    ] = None,
    repeat: Annotated[int, Form(ge=1, le=10)] = 1,
) -> Response:
    """Start an evaluation run in the background. A browser is sent to the run's page (progress, then
    the report); an API client gets `202 {name, status, report, status_url}`."""
    if brain not in ("offline", "llm"):
        raise HTTPException(422, "brain must be offline or llm")
    if brain == "llm" and not (context.settings.llm_base_url and context.settings.llm_model):
        raise HTTPException(422, "the llm brain needs DEALWISE_LLM_BASE_URL and DEALWISE_LLM_MODEL")
    try:
        names = chosen_datasets(datasets or [], available_datasets())
        run = _runs(request).start(context.settings, brain, names, repeat)
    except EvalSetupError as error:
        raise HTTPException(422, str(error)) from error
    except RunInProgress as busy:
        raise HTTPException(409, str(busy)) from busy
    if who.web is not None and wants_html(request):
        return RedirectResponse(f"/admin/evals/{quote(run.name)}", status_code=303)
    return JSONResponse({**run.public(), "status_url": f"/admin/evals/{run.name}/status"}, status_code=202)


def _admin_report(request: Request, who: AdminUser, path: Path) -> HTMLResponse:
    """The self-contained report with the site's header (navigation, sign-out) and phone-width rules added."""
    html = path.read_text(encoding="utf-8")
    if "<body>" not in html or "</head>" not in html:
        return HTMLResponse(html)
    topbar = templates.get_template("_topbar.html").render(
        user=who.web, csrf_token=who.web.csrf_token if who.web else ""
    )
    html = html.replace("</head>", '<link rel="stylesheet" href="/static/style.css">\n</head>', 1)
    html = html.replace("<body>", f'<body class="admin-report">\n{topbar}', 1)
    return HTMLResponse(html)


@router.get("/{name}", response_class=HTMLResponse)
def show_report(name: str, request: Request, context: Context, who: Admin) -> Response:
    """The run's report when it is ready; while it runs (or when it failed), a page that says so."""
    if not REPORT_NAME.match(name):
        raise HTTPException(404, f"no report named {name!r}")
    run = _runs(request).get(name)
    if run is not None and run.status != "done":
        return _run_page(request, who, run)
    if not report_exists(context.settings, name):
        raise HTTPException(404, f"no report named {name!r}")
    return _admin_report(request, who, reports_dir(context.settings) / name / "report.html")


def _run_page(request: Request, who: AdminUser, run: EvalRun) -> Response:
    if not wants_html(request):
        return JSONResponse(run.public())
    return render(request, "admin_eval_run.html", who.web, run=run)


@router.get("/{name}/report.html", response_class=HTMLResponse)
def report_file(name: str, context: Context, who: Admin) -> FileResponse:
    """The report exactly as written to disk (self-contained, to save or share)."""
    if not REPORT_NAME.match(name) or not report_exists(context.settings, name):
        raise HTTPException(404, f"no report named {name!r}")
    return FileResponse(reports_dir(context.settings) / name / "report.html", media_type="text/html")


@router.get("/{name}/status")
def run_status(name: str, request: Request, context: Context, who: Admin) -> dict[str, Any]:
    """`{name, status: running|done|failed, total, done, passed, error, report}`."""
    run = _runs(request).get(name)
    if run is not None:
        return run.public()
    if REPORT_NAME.match(name) and report_exists(context.settings, name):
        return {"name": name, "status": "done", "report": f"/admin/evals/{name}"}
    raise HTTPException(404, f"no run named {name!r}")
