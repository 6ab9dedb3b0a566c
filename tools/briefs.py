"""The weekly risk brief in chat: the same text the scheduled brief and /api/risk/brief carry, with its data."""

from pydantic import BaseModel, Field

from assistant.crm.deps import Deps
from assistant.risk.brief import brief_subject, render_brief
from assistant.risk.engine import build_engine
from assistant.risk.reports import TeamRiskPublic, team_risk


class WeeklyBriefInput(BaseModel):
    team_id: int | None = Field(default=None, description="a team the asker manages; by default everything they manage")
    limit: int = Field(default=10, ge=1, le=100, description="how many of the riskiest deals to list")


class WeeklyBriefPublic(TeamRiskPublic):
    subject: str = Field(description="the subject the scheduled brief is mailed with")
    text: str = Field(description="the brief, exactly as the Monday mail and /api/risk/brief give it")


def weekly_brief(deps: Deps, args: WeeklyBriefInput) -> WeeklyBriefPublic:
    """The weekly deal-risk brief, the same one managers get every Monday by Slack and email: pipeline and
    risk-weighted totals, the riskiest deals with all their reasons, and what changed since last week. Use it
    for "my weekly brief", "send me the Monday risk brief now"."""
    now = deps.clock.now()
    engine = build_engine(deps.session, now, deps.settings)
    report = team_risk(deps.session, deps.principal, now, team_id=args.team_id, limit=args.limit, engine=engine)
    return WeeklyBriefPublic(**report.model_dump(), subject=brief_subject(report), text=render_brief(report))
