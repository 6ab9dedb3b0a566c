"""Deal-risk tools: one deal's risk with its reasons and evidence, and a ranked view of a team's deals."""

from datetime import date

from pydantic import BaseModel, Field

from assistant.crm.deps import Deps
from assistant.risk.engine import build_engine
from assistant.risk.reports import (
    DealRiskPublic,
    TeamRiskPublic,
)
from assistant.risk.reports import (
    deal_risk as deal_risk_report,
)
from assistant.risk.reports import (
    team_risk as team_report,
)


class DealRiskInput(BaseModel):
    deal_id: int = Field(description="the deal's id (find it with find_deals)")


class TeamRiskInput(BaseModel):
    owner_id: int | None = Field(default=None, description="only this rep's deals")
    team_id: int | None = Field(default=None, description="only this team's deals")
    start: date | None = Field(default=None, description="only deals closing on or after this date")
    end: date | None = Field(default=None, description="only deals closing on or before this date")
    limit: int = Field(default=10, ge=1, le=100, description="how many of the riskiest deals to list")


def deal_risk(deps: Deps, args: DealRiskInput) -> DealRiskPublic:
    """How likely one deal is to be lost (score 0-100, level low/medium/high), why (each reason with its weight,
    a sentence and the activities, audit entries or tasks that show it) and suggested next actions.
    Use for "is the Globex deal at risk?" or "why is deal 42 risky?"."""
    engine = build_engine(deps.session, deps.clock.now(), deps.settings)
    return deal_risk_report(deps.session, deps.principal, args.deal_id, deps.clock.now(), engine=engine)


def team_risk(deps: Deps, args: TeamRiskInput) -> TeamRiskPublic:
    """Open deals ranked by risk for a rep (owner_id), a team (team_id) or, by default, everything the asker
    manages (a rep: their own deals), optionally closing between start and end; with total pipeline,
    risk-weighted pipeline, amount at risk and what changed since last week.
    Use for "which deals should I worry about?" or "risk summary for my team"."""
    engine = build_engine(deps.session, deps.clock.now(), deps.settings)
    return team_report(
        deps.session,
        deps.principal,
        deps.clock.now(),
        owner_id=args.owner_id,
        team_id=args.team_id,
        start=args.start,
        end=args.end,
        limit=args.limit,
        engine=engine,
    )
