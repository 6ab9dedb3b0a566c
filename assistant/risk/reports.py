"""Risk for one deal or for a scope of deals, as the public shapes tools, routes and the brief return.

Access: a deal outside the asker's scope is NotFound; a team or owner scope is intersected with the
asker's own (a manager: their team's deals; a rep: their own, whatever scope they name).
"""

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assistant.crm.access import deal_scope, get_visible
from assistant.crm.errors import NotFound, ValidationFailed
from assistant.crm.models import Deal, Stage, Team, User
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.results import ToolResult
from assistant.risk.engine import Assessment, RiskEngine, build_engine, paused_gc
from assistant.risk.facts import IN_LIST_CHUNK
from assistant.risk.model import level_for

NEXT_ACTIONS: dict[str, str] = {
    "stale_activity": "Re-engage the buyer: book a call or meeting this week.",
    "thin_engagement": "Raise the touch rate: agree on a regular check-in with the buyer.",
    "close_date_slipped": "Confirm the close date with the buyer and agree on a mutual close plan.",
    "close_date_past": "Set a realistic close date, or close the deal out.",
    "stage_stalled": "Agree on what moves the deal out of its current stage, with a date.",
    "no_next_step": "Record a concrete next step with a date.",
    "overdue_task": "Finish or reschedule the overdue tasks.",
    "single_threaded": "Multi-thread: get introduced to more people on the buying team.",
    "no_decision_maker": "Get a meeting with a decision maker (CEO, CFO, CTO or a VP).",
    "amount_cut": "Re-validate scope and budget; confirm the new amount is firm.",
    "competitor_mentioned": "Send a competitive comparison and ask what the competitor offers.",
    "negative_call_signals": "Address the objections raised before the next step.",
    "weak_lead_source": "Qualify harder: confirm budget, authority, need and timeline.",
    "weak_deal_size": "Qualify harder: confirm budget, authority, need and timeline.",
}


class RiskReasonPublic(BaseModel):
    signal: str
    weight: float = Field(description="added log-odds of losing the deal")
    sentence: str
    evidence: list[RecordRef]


class DealRiskPublic(ToolResult):
    deal_id: int
    deal_name: str
    account: str
    owner: str
    stage: str
    amount: float
    currency: str
    close_date: date | None
    score: int = Field(description="0-100: the model's chance of losing the deal, in percent")
    level: str = Field(description="low, medium or high")
    reasons: list[RiskReasonPublic]
    suggested_next_actions: list[str]
    primary_contact: str | None = Field(default=None, description="the deal's primary contact, the person to call")
    model: str


class RiskDealRow(BaseModel):
    deal_id: int
    deal_name: str
    account: str
    owner: str
    stage: str
    amount: float
    close_date: date | None
    score: int
    level: str
    top_reasons: list[str] = Field(description="every reason, the strongest first")


class RiskChangePublic(BaseModel):
    deal_id: int
    deal_name: str
    change: str = Field(description="new_deal, risk_up, risk_down, won or lost")
    score_before: int | None
    score_now: int | None
    level_before: str | None
    level_now: str | None
    sentence: str


class TeamRiskPublic(ToolResult):
    scope: str
    as_of: date
    open_deals: int
    total_pipeline: float
    risk_weighted_pipeline: float = Field(description="sum of amount x (1 - risk): the pipeline expected to close")
    amount_at_risk: float = Field(description="sum of amount x risk")
    high: int
    medium: int
    low: int
    deals: list[RiskDealRow]
    changes_since_last_week: list[RiskChangePublic]
    model: str


def _deal_ref(deal_id: int, name: str) -> RecordRef:
    return RecordRef(type="deal", id=deal_id, name=name)


def _deal_fields(engine: RiskEngine, assessment: Assessment) -> dict[str, Any]:
    """The deal and its score as both a deal's risk report and a team report's row show them."""
    deal, state = assessment.deal, assessment.state
    return {
        "deal_id": deal.id,
        "deal_name": deal.name,
        "account": deal.account_name,
        "owner": deal.owner_name,
        "stage": engine.data.stage(state.stage_id).name,
        "amount": state.amount,
        "close_date": state.close_date,
        "score": assessment.score,
        "level": assessment.level,
    }


def deal_risk_public(engine: RiskEngine, assessment: Assessment) -> DealRiskPublic:
    deal = assessment.deal
    reasons = [
        RiskReasonPublic(signal=r.signal, weight=r.weight, sentence=r.sentence, evidence=r.evidence)
        for r in assessment.reasons
    ]
    actions = list(dict.fromkeys(NEXT_ACTIONS[r.signal] for r in assessment.reasons if r.signal in NEXT_ACTIONS))
    records = [_deal_ref(deal.id, deal.name)]
    for reason in reasons:
        records += [ref for ref in reason.evidence if ref not in records]
    return DealRiskPublic(
        **_deal_fields(engine, assessment),
        currency=deal.currency,
        reasons=reasons,
        suggested_next_actions=actions,
        model=engine.model.describe(),
        records=records,
    )


def deal_risk(
    session: Session, principal: Principal, deal_id: int, now: datetime, engine: RiskEngine | None = None
) -> DealRiskPublic:
    """Risk of one deal the asker can see (NotFound otherwise)."""
    deal = get_visible(session, principal, Deal, deal_id)
    engine = engine or build_engine(session, now)
    report = deal_risk_public(engine, engine.assess(deal_id))
    contact = deal.primary_contact
    if contact is not None:
        report.primary_contact = contact.name
        report.records.append(RecordRef(type="contact", id=contact.id, name=contact.name))
    return report


def _scope_owner_ids(session: Session, principal: Principal, owner_id: int | None, team_id: int | None) -> tuple:
    """(owner ids or None for everyone visible, a label for the scope)."""
    visible = principal.visible_owner_ids
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or (visible is not None and owner_id not in visible):
            raise NotFound("user", owner_id)
        return {owner_id}, owner.name
    if team_id is not None:
        team = session.get(Team, team_id)
        manages = team is not None and team.manager_id == principal.user_id
        if team is None or not (principal.is_admin or manages or principal.team_id == team_id):
            raise NotFound("team", team_id)
        members = set(session.scalars(select(User.id).where(User.team_id == team_id)))
        if team.manager_id is not None:
            members.add(team.manager_id)
        owners = members if visible is None else members & set(visible)
        return owners, f"team {team.name}" if owners == members else f"{principal.name} (own deals in {team.name})"
    if visible is None:
        return None, "all teams"
    if principal.is_manager:
        return set(visible), f"{principal.name}'s team"
    return set(visible), f"{principal.name}'s deals"


def team_risk(
    session: Session,
    principal: Principal,
    now: datetime,
    owner_id: int | None = None,
    team_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 10,
    engine: RiskEngine | None = None,
) -> TeamRiskPublic:
    """Open deals in scope ranked by risk, pipeline totals, and what changed in the last seven days."""
    if start and end and end < start:
        raise ValidationFailed("end", f"must be on or after start ({start.isoformat()})")
    if limit < 1:
        raise ValidationFailed("limit", "must be at least 1")
    owners, label = _scope_owner_ids(session, principal, owner_id, team_id)
    query = select(Deal.id).where(deal_scope(principal))
    if owners is not None:
        query = query.where(Deal.owner_id.in_(sorted(owners)))
    week_ago = now - timedelta(days=7)
    closed_stage = select(Stage.id).where(Stage.is_closed.is_(True))
    candidates = query.where((Deal.stage_id.not_in(closed_stage)) | (Deal.closed_at >= week_ago))
    candidate_ids = set(session.scalars(candidates))
    engine = engine or build_engine(session, now)
    with paused_gc():
        return _team_report(engine.without_facts(), candidates, candidate_ids, label, now, start, end, limit)


def _team_report(
    engine: RiskEngine,
    candidates: Select[Any],
    candidate_ids: set[int],
    label: str,
    now: datetime,
    start: date | None,
    end: date | None,
    limit: int,
) -> TeamRiskPublic:
    """The report from the candidate deals' facts, loaded in bulk; they are freed when this returns."""
    week_ago = now - timedelta(days=7)
    engine.load(candidates if len(candidate_ids) > IN_LIST_CHUNK else candidate_ids)
    current: list[Assessment] = []
    changes: list[RiskChangePublic] = []
    for deal_id in sorted(candidate_ids):
        now_view = engine.assess(deal_id)
        close_date = now_view.state.close_date
        if (start and (close_date is None or close_date < start)) or (end and (close_date is None or close_date > end)):
            continue
        if now_view.state.is_open:
            current.append(now_view)
        change = _change(engine, now_view, week_ago)
        if change is not None:
            changes.append(change)
    current.sort(key=lambda a: (-a.probability, -a.state.amount, a.deal.id))
    listed = current[:limit]
    total = sum(a.state.amount for a in current)
    at_risk = sum(a.state.amount * a.probability for a in current)
    changes.sort(key=lambda c: (-abs((c.score_now or 0) - (c.score_before or 0)), c.deal_id))
    records = [_deal_ref(a.deal.id, a.deal.name) for a in listed]
    listed_ids = {a.deal.id for a in listed}
    records += [_deal_ref(c.deal_id, c.deal_name) for c in changes if c.deal_id not in listed_ids]
    levels = [a.level for a in current]
    return TeamRiskPublic(
        scope=label,
        as_of=now.date(),
        open_deals=len(current),
        total_pipeline=round(total, 2),
        risk_weighted_pipeline=round(total - at_risk, 2),
        amount_at_risk=round(at_risk, 2),
        high=levels.count("high"),
        medium=levels.count("medium"),
        low=levels.count("low"),
        deals=[_row(engine, a) for a in listed],
        changes_since_last_week=changes,
        model=engine.model.describe(),
        records=records,
    )


def _row(engine: RiskEngine, assessment: Assessment) -> RiskDealRow:
    return RiskDealRow(
        **_deal_fields(engine, assessment),
        top_reasons=[reason.sentence for reason in assessment.reasons],
    )


def _change(engine: RiskEngine, now_view: Assessment, week_ago: datetime) -> RiskChangePublic | None:
    deal = now_view.deal
    existed = deal.created_at < week_ago
    before = engine.assess(deal.id, as_of=week_ago) if existed else None
    if before is not None and not before.state.is_open:
        return None
    score_before = before.score if before else None
    level_before = before.level if before else None

    def make(change: str, score_now: int | None, level_now: str | None, sentence: str) -> RiskChangePublic:
        return RiskChangePublic(
            deal_id=deal.id,
            deal_name=deal.name,
            change=change,
            score_before=score_before,
            score_now=score_now,
            level_before=level_before,
            level_now=level_now,
            sentence=sentence,
        )

    if not now_view.state.is_open:
        won = engine.data.won(deal)
        when = deal.closed_at.date().isoformat() if deal.closed_at else "this week"
        return make("won" if won else "lost", None, None, f"{deal.name} closed {'won' if won else 'lost'} on {when}.")
    if before is None:
        return make(
            "new_deal", now_view.score, now_view.level, f"{deal.name} is new this week at {now_view.level} risk."
        )
    delta = now_view.score - before.score
    if level_for(before.probability) == now_view.level and abs(delta) < 15:
        return None
    direction = "risk_up" if delta > 0 else "risk_down"
    new_signals = {r.signal for r in now_view.reasons} - {r.signal for r in before.reasons}
    news = [r.sentence.rstrip(".") for r in now_view.reasons if r.signal in new_signals]
    why = f" New: {'; '.join(news)}." if news else ""
    levels = f"still {now_view.level}" if before.level == now_view.level else f"{before.level} to {now_view.level}"
    sentence = f"{deal.name}: risk {before.score} -> {now_view.score} ({levels}).{why}"
    return make(direction, now_view.score, now_view.level, sentence)
