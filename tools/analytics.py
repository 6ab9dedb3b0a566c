"""Sales analytics: pipeline, win rates, cycle length, lead conversion, leaders, stale deals, forecast.

Every figure is computed only over records the person can see: the deal and lead queries carry the
access rules, so a rep's "team" totals are their own and a manager's are their team's.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.crm.deps import Deps
from assistant.crm.models import Deal, Lead, Stage, User
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.results import ToolResult
from assistant.crm.services.deals import DealFilters, deal_query
from assistant.crm.services.leads import LeadFilters, lead_query
from tools.activities import day_start, latest_activity_by_deal, record_ref
from tools.deals import DealBrief, DealListPublic, check_stage_name, deal_brief, list_deals
from tools.periods import PERIOD_HELP, Period, resolve_range

RECORD_CAP = 50
COMMIT = frozenset({"commit"})
BEST_CASE = frozenset({"commit", "best_case"})


@dataclass(frozen=True)
class DealFact:
    id: int
    name: str
    amount: float
    close_date: date | None
    created_at: datetime | None
    closed_at: datetime | None
    owner_id: int
    owner_name: str
    stage: str
    position: int
    probability: int
    is_won: bool
    forecast_category: str

    @property
    def weighted(self) -> float:
        return self.amount * self.probability / 100


def deal_facts(deps: Deps, filters: DealFilters) -> list[DealFact]:
    sub = deal_query(deps.principal, filters).order_by(None).subquery()
    query = (
        select(
            sub.c.id,
            sub.c.name,
            sub.c.amount,
            sub.c.close_date,
            sub.c.created_at,
            sub.c.closed_at,
            sub.c.owner_id,
            User.name,
            Stage.name,
            Stage.position,
            Stage.probability,
            Stage.is_won,
            Stage.forecast_category,
        )  # fmt: skip
        .join_from(sub, Stage, Stage.id == sub.c.stage_id)
        .join(User, User.id == sub.c.owner_id)
        .order_by(sub.c.close_date, sub.c.id)
    )
    return [
        DealFact(r[0], r[1], float(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], bool(r[11]), r[12])
        for r in deps.session.execute(query)
    ]


def fact_refs(facts: list[DealFact]) -> list[RecordRef]:
    return [record_ref("deal", f.id, f.name) for f in facts[:RECORD_CAP]]


def money(value: float) -> float:
    return round(value, 2)


class RangeInput(BaseModel):
    start: date | None = Field(default=None, description="first day (ISO date); wins over `period`")
    end: date | None = Field(default=None, description="last day (ISO date), inclusive")
    period: str | None = Field(default=None, description=f"a named period instead of dates: {PERIOD_HELP}")
    owner_id: int | None = Field(default=None, description="only this user's records")
    team_id: int | None = Field(default=None, description="only records owned by this team's members")


class PeriodResult(ToolResult):
    period_start: date | None
    period_end: date | None
    period_label: str


def _period(deps: Deps, args: RangeInput, default: str | None) -> Period:
    period = resolve_range(args.start, args.end, args.period, deps.clock.today(), default)
    return period or Period(None, None, "all time")


def _filters(args: RangeInput, period: Period, status: str) -> DealFilters:
    return DealFilters(
        owner_id=args.owner_id, team_id=args.team_id, status=status, close_from=period.start, close_to=period.end
    )


def _period_fields(period: Period) -> dict[str, object]:
    return {"period_start": period.start, "period_end": period.end, "period_label": period.label}


class PipelineSummaryInput(RangeInput):
    group_by: Literal["stage", "owner", "month"] = Field(default="stage", description="month = close-date month")
    rank_by: Literal["amount", "count"] | None = Field(
        default=None,
        description="sort the groups biggest first by amount or deal count (to rank reps); by default stages "
        "and months keep their order and owners are sorted by amount",
    )


class PipelineRow(BaseModel):
    key: str
    count: int
    amount: float
    weighted_amount: float


class PipelineSummaryPublic(PeriodResult):
    group_by: str
    rank_by: str | None = Field(default=None, description="what the rows are sorted by, biggest first; None: natural")
    rows: list[PipelineRow]
    total_count: int
    total_amount: float
    total_weighted_amount: float


def pipeline_summary(deps: Deps, args: PipelineSummaryInput) -> PipelineSummaryPublic:
    """The open pipeline grouped by stage, owner or close month: deal count, amount and weighted amount
    (amount x stage probability) per group, and totals.

    Use it for "what does my pipeline look like", "pipeline by rep for the team", "pipeline closing
    this quarter by month". Without dates or period it covers every open deal; with them, the open
    deals whose close date falls in the range.
    """
    period = _period(deps, args, None)
    facts = deal_facts(deps, _filters(args, period, "open"))
    groups: dict[str, list[DealFact]] = defaultdict(list)
    order: dict[str, tuple[object, ...]] = {}
    for fact in facts:
        if args.group_by == "stage":
            key, rank = fact.stage, (fact.position, fact.stage)
        elif args.group_by == "owner":
            key, rank = fact.owner_name, (fact.owner_name,)
        else:
            key = fact.close_date.strftime("%Y-%m") if fact.close_date else "no close date"
            rank = (key,)
        groups[key].append(fact)
        order[key] = rank
    rows = [
        PipelineRow(
            key=key,
            count=len(items),
            amount=money(sum(f.amount for f in items)),
            weighted_amount=money(sum(f.weighted for f in items)),
        )
        for key, items in sorted(groups.items(), key=lambda item: order[item[0]])
    ]
    rank_by = args.rank_by or ("amount" if args.group_by == "owner" else None)
    if rank_by is not None:
        rows.sort(
            key=lambda row: (row.amount, row.count) if rank_by == "amount" else (row.count, row.amount), reverse=True
        )
    return PipelineSummaryPublic(
        group_by=args.group_by,
        rank_by=rank_by,
        rows=rows,
        total_count=len(facts),
        total_amount=money(sum(f.amount for f in facts)),
        total_weighted_amount=money(sum(f.weighted for f in facts)),
        records=fact_refs(facts),
        **_period_fields(period),  # type: ignore[arg-type]
    )


class WonLostPublic(PeriodResult):
    won_count: int
    won_amount: float
    lost_count: int
    lost_amount: float
    win_rate: float | None = Field(description="won / (won + lost) by count, 0..1; None when nothing closed")
    win_rate_percent: float | None
    average_won_amount: float | None


def won_lost_summary(deps: Deps, args: RangeInput) -> WonLostPublic:
    """Deals won and lost in a period (by close date): counts, amounts and the win rate by count.

    Use it for "what's my win rate this year", "how much did the team win last quarter".
    Defaults to this year when no dates or period are given.
    """
    period = _period(deps, args, "this year")
    facts = deal_facts(deps, _filters(args, period, "closed"))
    won = [f for f in facts if f.is_won]
    lost = [f for f in facts if not f.is_won]
    closed = len(won) + len(lost)
    rate = round(len(won) / closed, 4) if closed else None
    return WonLostPublic(
        won_count=len(won),
        won_amount=money(sum(f.amount for f in won)),
        lost_count=len(lost),
        lost_amount=money(sum(f.amount for f in lost)),
        win_rate=rate,
        win_rate_percent=round(rate * 100, 1) if rate is not None else None,
        average_won_amount=money(sum(f.amount for f in won) / len(won)) if won else None,
        records=fact_refs(facts),
        **_period_fields(period),  # type: ignore[arg-type]
    )


class SalesCyclePublic(PeriodResult):
    won_count: int
    average_days: float | None = Field(description="mean days from deal creation to closed-won")
    median_days: float | None
    shortest_days: int | None
    longest_days: int | None


def cycle_days(fact: DealFact) -> int | None:
    end = fact.closed_at.date() if fact.closed_at else fact.close_date
    if end is None or fact.created_at is None:
        return None
    return max(0, (end - fact.created_at.date()).days)


def sales_cycle(deps: Deps, args: RangeInput) -> SalesCyclePublic:
    """How long won deals took: average, median, shortest and longest days from creation to closed-won,
    over deals won in the period (by close date). Defaults to this year.

    Use it for "what's our average sales cycle", "how long do deals take to close".
    """
    period = _period(deps, args, "this year")
    won = deal_facts(deps, _filters(args, period, "won"))
    days = [d for d in (cycle_days(f) for f in won) if d is not None]
    return SalesCyclePublic(
        won_count=len(won),
        average_days=round(sum(days) / len(days), 1) if days else None,
        median_days=float(median(days)) if days else None,
        shortest_days=min(days) if days else None,
        longest_days=max(days) if days else None,
        records=fact_refs(won),
        **_period_fields(period),  # type: ignore[arg-type]
    )


class LeadConversionInput(BaseModel):
    start: date | None = Field(default=None, description="leads created on or after (ISO date)")
    end: date | None = Field(default=None, description="leads created on or before (ISO date)")
    period: str | None = Field(default=None, description=f"a named period instead of dates: {PERIOD_HELP}")
    owner_id: int | None = None
    source: str | None = Field(default=None, description="only leads from this source")


class SourceRow(BaseModel):
    source: str
    total: int
    converted: int
    rate: float | None


class LeadConversionPublic(PeriodResult):
    total: int = Field(description="leads created in the period")
    converted: int = Field(description="of those, how many are converted")
    rate: float | None = Field(description="converted / total, 0..1")
    rate_percent: float | None
    by_source: list[SourceRow]


def lead_conversion(deps: Deps, args: LeadConversionInput) -> LeadConversionPublic:
    """Lead conversion: of the leads created in the period, how many were converted, overall and by source.
    Defaults to this year.

    Use it for "what's our lead conversion rate", "which lead source converts best".
    """
    period = resolve_range(args.start, args.end, args.period, deps.clock.today(), "this year")
    assert period is not None
    query = lead_query(deps.principal, LeadFilters(owner_id=args.owner_id, source=args.source)).order_by(None)
    if period.start is not None:
        query = query.where(Lead.created_at >= day_start(period.start))
    if period.end is not None:
        query = query.where(Lead.created_at < day_start(period.end + timedelta(days=1)))
    sub = query.subquery()
    rows = deps.session.execute(select(sub.c.id, sub.c.first_name, sub.c.last_name, sub.c.source, sub.c.status)).all()
    by_source: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        by_source[row[3] or "unknown"].append(row[4] == "converted")
    converted = sum(1 for row in rows if row[4] == "converted")
    rate = round(converted / len(rows), 4) if rows else None
    return LeadConversionPublic(
        total=len(rows),
        converted=converted,
        rate=rate,
        rate_percent=round(rate * 100, 1) if rate is not None else None,
        by_source=[
            SourceRow(source=source, total=len(flags), converted=sum(flags), rate=round(sum(flags) / len(flags), 4))
            for source, flags in sorted(by_source.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
        records=[record_ref("lead", r[0], f"{r[1]} {r[2]}".strip()) for r in rows[:RECORD_CAP]],
        **_period_fields(period),  # type: ignore[arg-type]
    )


class TopPerformersInput(RangeInput):
    metric: Literal["won_amount", "won_count"] = "won_amount"
    limit: int = Field(default=5, ge=1, le=50)


class PerformerRow(BaseModel):
    rank: int
    user_id: int
    name: str
    won_count: int
    won_amount: float


class TopPerformersPublic(PeriodResult):
    metric: str
    performers: list[PerformerRow]


def top_performers(deps: Deps, args: TopPerformersInput) -> TopPerformersPublic:
    """Rank the people whose deals the person can see by won amount or number of won deals in a period
    (by close date). Defaults to this year. A rep sees only themselves; a manager their team.

    Use it for "who closed the most this quarter", "top reps by revenue".
    """
    period = _period(deps, args, "this year")
    won = deal_facts(deps, _filters(args, period, "won"))
    by_owner: dict[int, list[DealFact]] = defaultdict(list)
    for fact in won:
        by_owner[fact.owner_id].append(fact)
    totals = [
        (uid, items[0].owner_name, len(items), money(sum(f.amount for f in items))) for uid, items in by_owner.items()
    ]
    metric_index = 3 if args.metric == "won_amount" else 2
    totals.sort(key=lambda row: (-row[metric_index], row[1]))
    rows = [
        PerformerRow(rank=i + 1, user_id=uid, name=name, won_count=count, won_amount=amount)
        for i, (uid, name, count, amount) in enumerate(totals[: args.limit])
    ]
    return TopPerformersPublic(
        metric=args.metric,
        performers=rows,
        records=[record_ref("user", r.user_id, r.name) for r in rows] + fact_refs(won),
        **_period_fields(period),  # type: ignore[arg-type]
    )


class DealsClosingInput(RangeInput):
    stage: str | None = None
    amount_min: float | None = Field(default=None, ge=0, description="only deals worth at least this amount")
    amount_max: float | None = Field(default=None, ge=0, description="only deals worth at most this amount")
    limit: int = Field(default=25, ge=1, le=200)


class DealsClosingPublic(DealListPublic):
    period_start: date | None
    period_end: date | None
    period_label: str


def deals_closing(deps: Deps, args: DealsClosingInput) -> DealsClosingPublic:
    """Open deals whose close date falls in a period, soonest first, with count, total and weighted amount.
    Defaults to the next 30 days.

    Use it for "what's closing this month", "deals due to close next week for my team".
    """
    period = _period(deps, args, "next 30 days")
    bounds = {"stage": args.stage, "amount_min": args.amount_min, "amount_max": args.amount_max}
    filters = _filters(args, period, "open").model_copy(update=bounds)
    listing = list_deals(deps, filters, args.limit)
    return DealsClosingPublic(**listing.model_dump(), **_period_fields(period))  # type: ignore[arg-type]


class StaleDealsInput(BaseModel):
    days: int = Field(default=14, ge=1, le=365, description="no call, email, meeting or note in this many days")
    owner_id: int | None = None
    team_id: int | None = None
    stage: str | None = None
    limit: int = Field(default=25, ge=1, le=200)


class StaleDeal(BaseModel):
    deal: DealBrief
    last_activity_at: datetime | None = Field(description="None: no activity was ever logged")
    days_since_activity: int | None


class StaleDealsPublic(ToolResult):
    days: int
    cutoff: date = Field(description="activities before this day count as stale")
    deals: list[StaleDeal] = Field(description="least recently touched first")
    count: int
    total_amount: float


def stale_deals(deps: Deps, args: StaleDealsInput) -> StaleDealsPublic:
    """Open deals with no call, email, meeting or note logged in the last `days` days (tasks don't count),
    least recently touched first, with the date of the last activity.

    Use it for "which deals have gone quiet", "deals I haven't touched in two weeks", "neglected deals".
    """
    check_stage_name(deps.session, args.stage)
    now = deps.clock.now()
    cutoff = day_start(deps.clock.today() - timedelta(days=args.days))
    filters = DealFilters(owner_id=args.owner_id, team_id=args.team_id, status="open", stage=args.stage)
    open_deals = deal_query(deps.principal, filters).order_by(None)
    amounts = deps.session.execute(open_deals.with_only_columns(Deal.id, Deal.amount)).all()
    latest = latest_activity_by_deal(deps.session, deps.principal, open_deals.with_only_columns(Deal.id))
    rows = [(deal_id, amount, latest.get(deal_id)) for deal_id, amount in amounts]
    stale = [(r[0], float(r[1]), r[2]) for r in rows if r[2] is None or r[2] < cutoff]
    stale.sort(key=lambda r: (r[2] is not None, r[2] or datetime.min, r[0]))
    shown = stale[: args.limit]
    loaded = {d.id: d for d in deps.session.scalars(select(Deal).where(Deal.id.in_([r[0] for r in shown]))).unique()}
    items = [
        StaleDeal(
            deal=deal_brief(loaded[deal_id]),
            last_activity_at=last,
            days_since_activity=(now - last).days if last else None,
        )
        for deal_id, _, last in shown
    ]
    return StaleDealsPublic(
        days=args.days,
        cutoff=cutoff.date(),
        deals=items,
        count=len(stale),
        total_amount=money(sum(r[1] for r in stale)),
        records=[record_ref("deal", item.deal.id, item.deal.name) for item in items],
    )


class ForecastPublic(PeriodResult):
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


def is_commit(fact: DealFact) -> bool:
    return fact.forecast_category in COMMIT


def is_best_case(fact: DealFact) -> bool:
    return fact.forecast_category in BEST_CASE


def forecast(deps: Deps, args: RangeInput) -> ForecastPublic:
    """The sales forecast for a period (default: this quarter) from deals closing in it: weighted pipeline,
    commit and best case (by each stage's forecast category) and what is already closed won;
    commit_forecast = closed won + commit.

    Use it for "what's my forecast this quarter", "commit vs best case for the team next month".
    """
    period = _period(deps, args, "this quarter")
    open_facts = deal_facts(deps, _filters(args, period, "open"))
    won = deal_facts(deps, _filters(args, period, "won"))
    commit = [f for f in open_facts if is_commit(f)]
    best = [f for f in open_facts if is_best_case(f)]
    won_amount = money(sum(f.amount for f in won))
    return ForecastPublic(
        open_count=len(open_facts),
        pipeline_amount=money(sum(f.amount for f in open_facts)),
        weighted_amount=money(sum(f.weighted for f in open_facts)),
        commit_count=len(commit),
        commit_amount=money(sum(f.amount for f in commit)),
        best_case_count=len(best),
        best_case_amount=money(sum(f.amount for f in best)),
        closed_won_count=len(won),
        closed_won_amount=won_amount,
        commit_forecast=money(won_amount + sum(f.amount for f in commit)),
        best_case_forecast=money(won_amount + sum(f.amount for f in best)),
        records=fact_refs(best + won),
        **_period_fields(period),  # type: ignore[arg-type]
    )
