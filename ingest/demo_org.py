"""The demo org's shape: its sizes, people and teams, pipelines with their stages, and the competitors it meets."""

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session

from assistant.crm.models import Competitor, Pipeline, Stage, Team, User
from assistant.crm.security import hash_password
from ingest import demo_text as text

DemoSize = Literal["small", "medium", "large"]
DEMO_PASSWORD = "dealwise-demo"
DEMO_DOMAIN = "dealwise.demo"

SIZES: dict[str, tuple[int, float, int, int]] = {
    "small": (60, 2.0, 8, 40),
    "medium": (5_000, 4.0, 10, 5_000),
    "large": (50_000, 2.0, 10, 20_000),
}
"""accounts, deals per account, activities per deal, leads"""

STAGES = [
    ("Prospecting", 10, False, False, "pipeline"),
    ("Qualification", 20, False, False, "pipeline"),
    ("Proposal", 50, False, False, "best_case"),
    ("Negotiation", 75, False, False, "commit"),
    ("Closed Won", 100, True, True, "closed"),
    ("Closed Lost", 0, True, False, "omitted"),
]
RENEWAL_STAGES = [
    ("Upcoming", 60, False, False, "best_case"),
    ("Renewed", 100, True, True, "closed"),
    ("Churned", 0, True, False, "omitted"),
]
OPEN_STAGES = 4

TEAMS = {
    "West": ("Maya Patel", ["Rita Lopez", "Sam Taylor", "Omar Haddad"]),
    "East": ("David Kim", ["Erin Chen", "Jack Miller", "Nina Rossi"]),
}


@dataclass
class DemoSummary:
    users: list[tuple[str, str, str | None]] = field(default_factory=list)
    """email, role and team of each demo user"""
    counts: dict[str, int] = field(default_factory=dict)
    """rows inserted, by table"""


@dataclass
class DemoPeople:
    admin: User
    reps: list[User]
    reps_by_team: dict[int, list[User]]
    summary: DemoSummary


def demo_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def add_people(session: Session) -> DemoPeople:
    """The admin, and for each team its manager and reps; everyone signs in with DEMO_PASSWORD."""
    summary = DemoSummary()
    password = hash_password(DEMO_PASSWORD)
    admin = User(email=demo_email("Alex Admin"), name="Alex Admin", role="admin", password_hash=password)
    session.add(admin)
    summary.users.append((admin.email, "admin", None))
    reps: list[User] = []
    reps_by_team: dict[int, list[User]] = {}
    for team_name, (manager_name, rep_names) in TEAMS.items():
        team = Team(name=team_name)
        session.add(team)
        session.flush()
        manager = User(
            email=demo_email(manager_name),
            name=manager_name,
            role="manager",
            team_id=team.id,
            password_hash=password,
        )
        session.add(manager)
        session.flush()
        team.manager_id = manager.id
        summary.users.append((manager.email, "manager", team_name))
        for rep_name in rep_names:
            rep = User(email=demo_email(rep_name), name=rep_name, role="rep", team_id=team.id, password_hash=password)
            session.add(rep)
            session.flush()
            reps.append(rep)
            reps_by_team.setdefault(team.id, []).append(rep)
            summary.users.append((rep.email, "rep", team_name))
    session.flush()
    return DemoPeople(admin, reps, reps_by_team, summary)


def add_pipelines(session: Session) -> list[Stage]:
    """The default Sales pipeline (its stages are returned, in order), a Renewals pipeline and the competitors."""
    pipeline = Pipeline(name="Sales", is_default=True)
    session.add(pipeline)
    session.flush()
    stages = _stages(pipeline, STAGES)
    session.add_all(stages)
    renewals = Pipeline(name="Renewals")
    session.add(renewals)
    session.flush()
    session.add_all(_stages(renewals, RENEWAL_STAGES))
    session.add_all(Competitor(name=name) for name in text.COMPETITORS)
    session.flush()
    return stages


def _stages(pipeline: Pipeline, rows: list[tuple[str, int, bool, bool, str]]) -> list[Stage]:
    return [
        Stage(
            pipeline_id=pipeline.id,
            name=name,
            position=i,
            probability=p,
            is_closed=closed,
            is_won=won,
            forecast_category=category,
        )
        for i, (name, p, closed, won, category) in enumerate(rows)
    ]
