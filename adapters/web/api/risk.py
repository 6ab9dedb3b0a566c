"""/api/risk: one deal's risk, a team's ranked risk, the weekly brief, and (admins) the model backtest."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.errors import Forbidden
from assistant.crm.services.catalog import competitor_names
from assistant.risk.backtest import Method, run_backtest
from assistant.risk.brief import render_brief
from assistant.risk.engine import build_engine
from assistant.risk.reports import DealRiskPublic, TeamRiskPublic, deal_risk, team_risk

router = APIRouter(prefix="/api/risk", tags=["risk"])


@router.get("/deals/{deal_id}")
def get_deal_risk(deal_id: int, db: DbSession, principal: CurrentPrincipal, context: Context) -> DealRiskPublic:
    now = context.clock.now()
    engine = build_engine(db, now, context.settings)
    return deal_risk(db, principal, deal_id, now, engine=engine)


def _team(
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    owner_id: int | None,
    team_id: int | None,
    start: date | None,
    end: date | None,
    limit: int,
) -> TeamRiskPublic:
    now = context.clock.now()
    engine = build_engine(db, now, context.settings)
    return team_risk(db, principal, now, owner_id, team_id, start, end, limit, engine=engine)


@router.get("/team")
def get_team_risk(
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    owner_id: int | None = None,
    team_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> TeamRiskPublic:
    return _team(db, principal, context, owner_id, team_id, start, end, limit)


@router.get("/brief")
def get_brief(
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    team_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """The weekly brief for the asker's scope (or a team they manage), as text and as data."""
    report = _team(db, principal, context, None, team_id, None, None, limit)
    return {"text": render_brief(report), "report": report.model_dump(mode="json")}


@router.get("/backtest")
def get_backtest(
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    method: Method = "kfold",
    folds: Annotated[int, Query(ge=2, le=20)] = 5,
) -> dict[str, Any]:
    if not principal.is_admin:
        raise Forbidden("only admins can run the risk model backtest")
    competitors = competitor_names(db, context.settings)
    return run_backtest(db, context.clock.now(), method=method, folds=folds, competitors=competitors).as_dict()
