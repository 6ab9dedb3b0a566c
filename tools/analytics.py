"""The sales forecast: what closes in a period by forecast category, aggregated in SQL over what the person
may see. Every other figure (pipeline, win rate, cycle length, conversion, rankings) is the query tool's."""

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from assistant.crm.access import deal_scope
from assistant.crm.deps import Deps
from assistant.crm.models import Deal, Stage, User
from assistant.crm.schemas.results import ToolResult
from tools.periods import PERIOD_HELP, resolve_range

COMMIT = frozenset({"commit"})
BEST_CASE = frozenset({"commit", "best_case"})
RECORD_CAP = 50


class RangeInput(BaseModel):
    start: date | None = Field(default=None, description="first day (ISO date); wins over `period`")
    end: date | None = Field(default=None, description="last day (ISO date), inclusive")
    period: str | None = Field(default=None, description=f"a named period instead of dates: {PERIOD_HELP}")
    owner_id: int | None = Field(default=None, description="only this user's records")
    team_id: int | None = Field(default=None, description="only records owned by this team's members")


class ForecastPublic(ToolResult):
    period_start: date | None
    period_end: date | None
    period_label: str
    open_count: int
    pipeline_amount: float = Field(description="open deals closing in the period")
    weighted_amount: float = Field(description="sum of amount x stage probability")
    commit_count: int
    commit_amount: float = Field(description="open deals in a stage whose forecast category is commit")
    best_case_count: int
    best_case_amount: float = Field(description="commit plus deals in best-case stages")
    closed_won_count: int
    closed_won_amount: float = Field(description="deals already won with a close date in the period")
    commit_forecast: float = Field(description="closed won + commit")
    best_case_forecast: float = Field(description="closed won + best case")


def forecast(deps: Deps, args: RangeInput) -> ForecastPublic:
    """The sales forecast for a period (default: this quarter) from deals closing in it: weighted pipeline,
    commit and best case (by each stage's forecast category) and what is already closed won;
    commit_forecast = closed won + commit.

    Use it for "what's my forecast this quarter", "commit vs best case for the team next month".
    """
    period = resolve_range(args.start, args.end, args.period, deps.clock.today(), "this quarter")
    assert period is not None
    scoped = select(Deal.id).where(deal_scope(deps.principal))
    if args.owner_id is not None:
        scoped = scoped.where(Deal.owner_id == args.owner_id)
    if args.team_id is not None:
        scoped = scoped.where(Deal.owner_id.in_(select(User.id).where(User.team_id == args.team_id)))
    if period.start is not None:
        scoped = scoped.where(Deal.close_date >= period.start)
    if period.end is not None:
        scoped = scoped.where(Deal.close_date <= period.end)
    weighted = func.sum(Deal.amount * Stage.probability / 100.0)
    sums = (func.count(Deal.id), func.sum(Deal.amount), weighted)
    totals = (
        select(Stage.forecast_category, Stage.is_closed, Stage.is_won, *sums)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.id.in_(scoped))
        .group_by(Stage.forecast_category, Stage.is_closed, Stage.is_won)
    )  # fmt: skip
    open_count = commit_count = best_count = won_count = 0
    pipeline = weighted_total = commit = best = won = 0.0
    for category, closed, is_won, count, amount, weight in deps.session.execute(totals):
        amount, weight = float(amount or 0), float(weight or 0)
        if closed:
            if is_won:
                won_count, won = won_count + count, won + amount
            continue
        open_count, pipeline, weighted_total = open_count + count, pipeline + amount, weighted_total + weight
        if category in COMMIT:
            commit_count, commit = commit_count + count, commit + amount
        if category in BEST_CASE:
            best_count, best = best_count + count, best + amount
    biggest = (
        select(Deal.id, Deal.name).where(Deal.id.in_(scoped)).order_by(Deal.amount.desc(), Deal.id).limit(RECORD_CAP)
    )
    return ForecastPublic(
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        open_count=open_count,
        pipeline_amount=round(pipeline, 2),
        weighted_amount=round(weighted_total, 2),
        commit_count=commit_count,
        commit_amount=round(commit, 2),
        best_case_count=best_count,
        best_case_amount=round(best, 2),
        closed_won_count=won_count,
        closed_won_amount=round(won, 2),
        commit_forecast=round(won + commit, 2),
        best_case_forecast=round(won + best, 2),
        records=[{"type": "deal", "id": i, "name": n} for i, n in deps.session.execute(biggest)],  # type: ignore[misc]
    )
