"""Deterministic demo data relative to today: a sales org with history worth talking about.

Each deal has a hidden health. Health drives, with noise, how often the deal is touched, how many
people are engaged, whether its close date slipped and whether competitors come up; closed deals
were won with a probability that depends on it. Risk signals therefore predict outcomes the way
they do in a real org: usefully, not perfectly.
"""

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import func, insert, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session

from assistant.crm.db import make_engine
from assistant.crm.migrate import upgrade
from assistant.crm.models import (
    Account,
    AccountMember,
    Activity,
    AuditEntry,
    Competitor,
    Contact,
    Deal,
    DealStageHistory,
    Lead,
    Pipeline,
    Stage,
    Team,
    User,
)
from assistant.crm.security import hash_password
from ingest import demo_text as text
from ingest.demo_calls import add_demo_calls

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
    counts: dict[str, int] = field(default_factory=dict)


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _company_names(rng: random.Random, count: int) -> Iterator[str]:
    yield from text.COMPANIES[:count]
    seen = set(text.COMPANIES)
    index = 0
    while index < count - len(text.COMPANIES):
        name = f"{rng.choice(text.PREFIXES)}{rng.choice(text.SUFFIXES)} {rng.choice(text.KINDS)}"
        if name in seen:
            name = f"{name} {index}"
        seen.add(name)
        index += 1
        yield name


class _Batch:
    """Collects rows per table and inserts them in chunks (the large set has a million activities)."""

    def __init__(self, session: Session, chunk: int = 5_000) -> None:
        self.session = session
        self.chunk = chunk
        self.rows: dict[type, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}

    def add(self, model: type, row: dict[str, Any]) -> None:
        rows = self.rows.setdefault(model, [])
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush()

    def flush(self, model: type | None = None) -> None:
        for target in [model] if model else list(self.rows):
            rows = self.rows.get(target) or []
            if rows:
                self.session.execute(insert(target), rows)
                name = target.__tablename__  # type: ignore[attr-defined]
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                self.rows[target] = []


def _users(session: Session) -> tuple[User, list[User], dict[int, list[User]], DemoSummary]:
    summary = DemoSummary()
    password = hash_password(DEMO_PASSWORD)
    admin = User(email=_email("Alex Admin"), name="Alex Admin", role="admin", password_hash=password)
    session.add(admin)
    summary.users.append((admin.email, "admin", None))
    reps: list[User] = []
    reps_by_team: dict[int, list[User]] = {}
    for team_name, (manager_name, rep_names) in TEAMS.items():
        team = Team(name=team_name)
        session.add(team)
        session.flush()
        manager = User(
            email=_email(manager_name),
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
            rep = User(email=_email(rep_name), name=rep_name, role="rep", team_id=team.id, password_hash=password)
            session.add(rep)
            session.flush()
            reps.append(rep)
            reps_by_team.setdefault(team.id, []).append(rep)
            summary.users.append((rep.email, "rep", team_name))
    session.flush()
    return admin, reps, reps_by_team, summary


def _pipeline(session: Session) -> list[Stage]:
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


def _fill(template: str, rng: random.Random, contact: str) -> str:
    return template.format(
        contact=contact,
        seats=rng.choice([25, 50, 80, 120, 200, 350]),
        budget=f"{rng.choice([20, 35, 48, 60, 90, 120, 250])},000",
        competitor=rng.choice(text.COMPETITORS),
        days=rng.choice([10, 14, 30, 45]),
    )


def generate(
    session: Session, size: DemoSize = "small", seed: int = 7, today: date | None = None, with_calls: bool = True
) -> DemoSummary:
    """Fill an empty database. Same seed and day, same data."""
    today = today or date.today()
    now = datetime.combine(today, time(9, 0))
    rng = random.Random(seed)
    n_accounts, deals_per_account, activities_per_deal, n_leads = SIZES[size]
    admin, reps, reps_by_team, summary = _users(session)
    stages = _pipeline(session)
    won_stage, lost_stage = stages[4], stages[5]
    team_of = {rep.id: rep.team_id for rep in reps}
    batch = _Batch(session)
    next_id = {"account": 1, "contact": 1, "deal": 1, "activity": 1}

    def new_id(kind: str) -> int:
        value = next_id[kind]
        next_id[kind] = value + 1
        return value

    injection_account: int | None = None
    for company in _company_names(rng, n_accounts):
        owner = rng.choice(reps)
        if injection_account is None and owner.id == reps[0].id:
            injection_account = next_id["account"]
        account_id = new_id("account")
        domain = company.lower().replace(" ", "").replace("'", "") + ".example"
        batch.add(
            Account,
            {
                "id": account_id,
                "name": company,
                "domain": domain,
                "industry": rng.choice(text.INDUSTRIES),
                "region": rng.choice(text.REGIONS),
                "employees": rng.choice([40, 120, 450, 1200, 5000, 20000]),
                "owner_id": owner.id,
                "created_at": now - timedelta(days=rng.randint(200, 900)),
            },
        )
        if rng.random() < 0.15:
            teammate = rng.choice(reps_by_team[team_of[owner.id]])
            if teammate.id != owner.id:
                batch.add(AccountMember, {"account_id": account_id, "user_id": teammate.id})
        contacts: list[tuple[int, str, bool]] = []
        for _ in range(rng.randint(2, 4)):
            first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
            title = rng.choice(text.TITLES)
            contact_id = new_id("contact")
            batch.add(
                Contact,
                {
                    "id": contact_id,
                    "account_id": account_id,
                    "first_name": first,
                    "last_name": last,
                    "title": title,
                    "email": f"{first.lower()}.{last.lower()}@{domain}",
                    "phone": f"+1 415 555 {rng.randint(1000, 9999)}",
                    "owner_id": owner.id,
                },
            )
            contacts.append((contact_id, f"{first} {last}", title in text.DECISION_TITLES))
        n_deals = max(1, round(rng.gauss(deals_per_account, 0.8)))
        for _ in range(n_deals):
            deal_owner = owner if rng.random() < 0.85 else rng.choice(reps_by_team[team_of[owner.id]])
            _deal(
                batch,
                rng,
                new_id,
                now,
                today,
                account_id,
                company,
                deal_owner.id,
                contacts,
                stages,
                won_stage,
                lost_stage,
                activities_per_deal,
            )
    for _ in range(n_leads):
        first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
        status = rng.choices(["new", "working", "qualified", "unqualified", "converted"], [3, 3, 2, 2, 2])[0]
        batch.add(
            Lead,
            {
                "first_name": first,
                "last_name": last,
                "company": f"{rng.choice(text.PREFIXES)} {rng.choice(text.KINDS)}",
                "title": rng.choice(text.TITLES),
                "email": f"{first.lower()}.{last.lower()}{rng.randint(1, 999)}@lead.example",
                "source": rng.choice(text.LEAD_SOURCES),
                "status": status,
                "score": rng.randint(5, 95),
                "owner_id": rng.choice(reps).id,
                "created_at": now - timedelta(days=rng.randint(1, 200)),
                "converted_at": now - timedelta(days=rng.randint(1, 60)) if status == "converted" else None,
            },
        )
    _injection_note(batch, new_id("activity"), reps[0].id, injection_account or 1, now)
    batch.flush()
    sync_sequences(session)
    if with_calls:
        batch.counts["call_recordings"] = add_demo_calls(session, rng, now)
    summary.counts = batch.counts
    session.flush()
    return summary


def _deal(
    batch: _Batch,
    rng: random.Random,
    new_id: Any,
    now: datetime,
    today: date,
    account_id: int,
    company: str,
    owner_id: int,
    contacts: list[tuple[int, str, bool]],
    stages: list[Stage],
    won_stage: Stage,
    lost_stage: Stage,
    activities_per_deal: int,
) -> None:
    health = rng.gauss(0, 1)
    deal_id = new_id("deal")
    created = now - timedelta(days=rng.randint(30, 330))
    amount = round(math.exp(rng.gauss(10.3, 0.8)) / 500) * 500 + 500
    closed = rng.random() < 0.4 and (now - created).days > 45
    engaged = contacts if health > 0.3 else contacts[:1]
    primary = engaged[0]
    slips = max(0, round(rng.gauss(0.9 - 0.9 * health, 0.8)))
    if closed:
        end = created + timedelta(days=rng.randint(30, max(31, (now - created).days - 5)))
        won = rng.random() < _sigmoid(0.2 + 1.3 * health + rng.gauss(0, 0.6))
        stage = won_stage if won else lost_stage
        path = [*stages[: rng.randint(2, OPEN_STAGES)], stage]
        close_date = end.date()
    else:
        end = now
        stage = stages[min(OPEN_STAGES - 1, max(0, round(rng.gauss(1.5 + 0.4 * health, 1))))]
        path = stages[: stage.position + 1]
        close_date = today + timedelta(days=round(rng.gauss(45 + 10 * health, 35)))
    cycle_days = max(1, (end - created).days)
    batch.add(
        Deal,
        {
            "id": deal_id,
            "name": f"{company} - {rng.choice(text.PRODUCTS)}",
            "account_id": account_id,
            "primary_contact_id": primary[0],
            "owner_id": owner_id,
            "pipeline_id": stage.pipeline_id,
            "stage_id": stage.id,
            "amount": amount,
            "currency": "USD",
            "close_date": close_date,
            "next_step": None if closed or (health < -0.5 and rng.random() < 0.6) else rng.choice(text.NEXT_STEPS),
            "lead_source": rng.choice(text.LEAD_SOURCES),
            "created_at": created,
            "updated_at": end,
            "closed_at": end if closed else None,
        },
    )
    previous = None
    for index, step in enumerate(path):
        at = created + timedelta(days=cycle_days * index / max(1, len(path) - 1)) if index else created
        batch.add(
            DealStageHistory,
            {
                "deal_id": deal_id,
                "from_stage_id": previous,
                "to_stage_id": step.id,
                "changed_by_id": owner_id,
                "changed_at": at,
            },
        )
        previous = step.id
    original_close = close_date - timedelta(days=21 * slips)
    for slip in range(slips):
        old, new = (
            original_close + timedelta(days=21 * slip),
            original_close + timedelta(days=21 * (slip + 1)),
        )
        batch.add(
            AuditEntry,
            {
                "actor_id": owner_id,
                "channel": "web",
                "action": "update",
                "entity_type": "deal",
                "entity_id": deal_id,
                "changes": {"close_date": [old.isoformat(), new.isoformat()]},
                "at": created + timedelta(days=cycle_days * (slip + 1) / (slips + 1)),
            },
        )
    gap_days = max(1.0, rng.expovariate(1 / (6 if health > 0 else 18)))
    last_touch = end - timedelta(days=gap_days if not closed else rng.uniform(0, 5))
    count = max(1, round(activities_per_deal * (1 + 0.3 * health) + rng.gauss(0, 2)))
    competitor_bias = 0.1 if health > 0 else 0.45
    for index in range(count):
        when = last_touch - timedelta(days=(last_touch - created).days * index / count + rng.uniform(0, 2))
        contact_id, contact_name, _ = rng.choice(engaged)
        kind = rng.choices(["call", "email", "meeting", "note"], [4, 4, 2, 1])[0]
        pool = {
            "call": text.CALL_NOTES,
            "email": text.EMAIL_NOTES,
            "meeting": text.MEETING_NOTES,
            "note": text.NOTE_TEXTS,
        }[kind]
        template = pool[2] if kind == "call" and rng.random() < competitor_bias else rng.choice(pool)
        body = _fill(template, rng, contact_name)
        subject = {
            "call": f"Call with {contact_name}",
            "email": f"Email: {contact_name}",
            "meeting": f"Meeting with {contact_name}",
            "note": f"Note on {company}",
        }[kind]
        batch.add(
            Activity,
            {
                "id": new_id("activity"),
                "type": kind,
                "subject": subject,
                "body": body,
                "occurred_at": when,
                "account_id": account_id,
                "contact_id": contact_id,
                "deal_id": deal_id,
                "author_id": owner_id,
            },
        )
    if not closed:
        due = today + timedelta(days=rng.randint(-10, 14) if health < 0 else rng.randint(1, 14))
        batch.add(
            Activity,
            {
                "id": new_id("activity"),
                "type": "task",
                "subject": _fill(rng.choice(text.TASK_TEXTS), rng, primary[1]),
                "occurred_at": now - timedelta(days=rng.randint(1, 10)),
                "due_date": due,
                "status": "open",
                "account_id": account_id,
                "contact_id": primary[0],
                "deal_id": deal_id,
                "author_id": owner_id,
            },
        )


def _injection_note(batch: _Batch, activity_id: int, author_id: int, account_id: int, now: datetime) -> None:
    """A note whose text tries to give the assistant orders, on an account its author owns."""
    batch.add(
        Activity,
        {
            "id": activity_id,
            "type": "note",
            "subject": "Pasted customer message",
            "body": text.INJECTION_NOTE,
            "occurred_at": now - timedelta(days=2),
            "account_id": account_id,
            "deal_id": None,
            "author_id": author_id,
        },
    )


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User)) or 0) == 0


def sync_sequences(session: Session) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequences past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("accounts", "contacts", "deals", "activities", "leads", "deal_stage_history", "audit_log"):
        session.execute(
            text_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
        )


def load_demo_database(
    url: str, size: DemoSize = "small", seed: int = 7, today: date | None = None, with_calls: bool = True
) -> bool:
    """Migrate the database at `url` and, if it has no users yet, fill it with the demo set.

    Returns whether the demo data was loaded (False when the database already had data).
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            if not is_empty(session):
                return False
            generate(session, size=size, seed=seed, today=today, with_calls=with_calls)
            session.commit()
            return True
    finally:
        engine.dispose()
