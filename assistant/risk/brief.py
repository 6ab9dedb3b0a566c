"""The weekly risk brief per manager: what is due, how it is written, and handing it to a channel.

Offline the brief is rendered from prompts/risk_brief.md. With a chat model configured, a channel
passes `writer` (team_risk output -> text; the model writes from the tool output and the grounding
check vets it). Delivery (Slack DM, email) is a callable the channel supplies. Each delivered brief
is recorded in the audit log (action "risk_brief" on the manager), which is how `due_briefs`
knows a brief went out this week.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from string import Template

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm import audit
from assistant.crm.clock import Clock
from assistant.crm.models import AuditEntry, Channel, Role, User
from assistant.crm.principal import principal_for
from assistant.crm.settings import Settings
from assistant.risk.engine import RiskEngine, build_engine
from assistant.risk.reports import TeamRiskPublic, team_risk
from prompts import prompt_path

TEMPLATE_PATH = prompt_path("risk_brief.md")
BRIEF_ACTION = "risk_brief"
BriefWriter = Callable[[TeamRiskPublic], str]


@dataclass(frozen=True)
class BriefRecipient:
    user_id: int
    email: str
    name: str
    slack_user_id: str | None


Deliver = Callable[[BriefRecipient, str, str], None]
"""deliver(recipient, subject, text); raise to signal the brief was not delivered"""


@dataclass(frozen=True)
class BriefSchedule:
    weekday: int = 0
    """0 = Monday"""
    hour: int = 8


@dataclass
class BriefOutcome:
    email: str
    delivered: bool
    error: str | None = None


def _money(value: float) -> str:
    return f"${value:,.0f}"


def brief_subject(report: TeamRiskPublic) -> str:
    return f"Deal risk brief for {report.scope}, week of {report.as_of.isoformat()}"


def render_brief(report: TeamRiskPublic, template_path: Path = TEMPLATE_PATH) -> str:
    """The brief from the template, every figure taken from the team_risk output."""
    ranked = [
        f"{i}. {row.deal_name} (deal {row.deal_id}, {row.owner}, {row.stage}, {_money(row.amount)}, "
        f"closes {row.close_date or 'n/a'}): risk {row.score} ({row.level})"
        + "".join(f"\n   - {reason}" for reason in row.top_reasons)
        for i, row in enumerate(report.deals, start=1)
    ]
    changes = [f"- {change.sentence}" for change in report.changes_since_last_week]
    template = Template(template_path.read_text(encoding="utf-8"))
    return template.substitute(
        scope=report.scope,
        as_of=report.as_of.isoformat(),
        open_deals=report.open_deals,
        total_pipeline=_money(report.total_pipeline),
        risk_weighted_pipeline=_money(report.risk_weighted_pipeline),
        amount_at_risk=_money(report.amount_at_risk),
        high=report.high,
        medium=report.medium,
        low=report.low,
        ranked_deals="\n".join(ranked) or "No open deals in scope.",
        changes="\n".join(changes) or "No notable changes.",
        model=report.model,
    ).strip()


def manager_brief(
    session: Session,
    manager: User,
    now: datetime,
    limit: int = 10,
    writer: BriefWriter | None = None,
    engine: RiskEngine | None = None,
) -> tuple[TeamRiskPublic, str]:
    """The team_risk report for the manager's scope and the brief text written from it."""
    principal = principal_for(session, manager, Channel.system)
    report = team_risk(session, principal, now, limit=limit, engine=engine)
    return report, (writer or render_brief)(report)


def _window_start(now: datetime, schedule: BriefSchedule) -> datetime:
    days_back = (now.weekday() - schedule.weekday) % 7
    start = datetime.combine(now.date() - timedelta(days=days_back), time(schedule.hour))
    return start if start <= now else start - timedelta(days=7)


def due_briefs(session: Session, now: datetime, schedule: BriefSchedule = BriefSchedule()) -> list[User]:
    """Active managers whose brief for the current week (since the last scheduled moment) has not gone out."""
    since = _window_start(now, schedule)
    sent = select(AuditEntry.entity_id).where(
        AuditEntry.action == BRIEF_ACTION, AuditEntry.entity_type == "user", AuditEntry.at >= since
    )
    query = select(User).where(User.role == Role.manager, User.is_active.is_(True), User.id.not_in(sent))
    return list(session.scalars(query.order_by(User.id)))


def send_briefs(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    deliver: Deliver,
    writer: BriefWriter | None = None,
    schedule: BriefSchedule = BriefSchedule(),
) -> list[BriefOutcome]:
    """Write and deliver every due brief; each delivery is recorded (and committed) on its own."""
    now = clock.now()
    outcomes: list[BriefOutcome] = []
    with sessions() as session:
        due = due_briefs(session, now, schedule)
        if not due:
            return outcomes
        engine = build_engine(session, now, settings)
        for manager in due:
            report, text = manager_brief(session, manager, now, writer=writer, engine=engine)
            subject = brief_subject(report)
            recipient = BriefRecipient(manager.id, manager.email, manager.name, manager.slack_user_id)
            try:
                deliver(recipient, subject, text)
            except Exception as error:  # noqa: BLE001 - one failed delivery must not stop the others
                session.rollback()
                outcomes.append(BriefOutcome(manager.email, False, f"{type(error).__name__}: {error}"))
                continue
            entry = audit.record(
                session, None, BRIEF_ACTION, "user", manager.id, {"deals": len(report.deals)}, channel="system"
            )
            entry.at = now
            session.commit()
            outcomes.append(BriefOutcome(manager.email, True))
    return outcomes
