"""Deterministic demo data relative to today: a sales org with history worth talking about.

Each deal has a hidden health. Health drives, with noise, how often the deal is touched, how many
people are engaged, whether its close date slipped and whether competitors come up; closed deals
were won with a probability that depends on it. Risk signals therefore predict outcomes the way
they do in a real org: usefully, not perfectly.

The org's people, pipelines and sizes are in ``ingest.demo_org``, a deal and its history in
``ingest.demo_deals``; this module fills accounts, contacts and leads around them.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session

from assistant.crm.db import make_engine, refresh_statistics
from assistant.crm.migrate import upgrade
from assistant.crm.models import Account, AccountMember, Activity, Contact, Lead, User
from ingest import demo_text as text
from ingest.demo_calls import add_demo_calls
from ingest.demo_deals import DemoContact, DemoRun, add_deal
from ingest.demo_org import DEMO_DOMAIN, DEMO_PASSWORD, SIZES, DemoSize, DemoSummary, add_people, add_pipelines
from ingest.demo_rows import IdSequence, RowBatch

__all__ = ["DEMO_DOMAIN", "DEMO_PASSWORD", "DemoSize", "DemoSummary", "generate", "is_empty", "load_demo_database"]


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


def generate(
    session: Session, size: DemoSize = "small", seed: int = 7, today: date | None = None, with_calls: bool = True
) -> DemoSummary:
    """Fill an empty database. Same seed and day, same data."""
    today = today or date.today()
    now = datetime.combine(today, time(9, 0))
    rng = random.Random(seed)
    n_accounts, deals_per_account, activities_per_deal, n_leads = SIZES[size]
    people = add_people(session)
    reps, reps_by_team = people.reps, people.reps_by_team
    stages = add_pipelines(session)
    team_of = {rep.id: rep.team_id for rep in reps}
    batch = RowBatch(session)
    ids = IdSequence("account", "contact", "deal", "activity")
    run = DemoRun(batch, rng, ids, now, today, stages, activities_per_deal)

    injection_account: int | None = None
    for company in _company_names(rng, n_accounts):
        owner = rng.choice(reps)
        if injection_account is None and owner.id == reps[0].id:
            injection_account = ids.peek("account")
        account_id = ids.take("account")
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
        contacts = _contacts(run, account_id, domain, owner.id)
        n_deals = max(1, round(rng.gauss(deals_per_account, 0.8)))
        for _ in range(n_deals):
            deal_owner = owner if rng.random() < 0.85 else rng.choice(reps_by_team[team_of[owner.id]])
            add_deal(run, account_id, company, deal_owner.id, contacts)
    for _ in range(n_leads):
        _lead(run, reps)
    _injection_note(batch, ids.take("activity"), reps[0].id, injection_account or 1, now)
    batch.flush()
    sync_sequences(session)
    if with_calls:
        batch.counts["call_recordings"] = add_demo_calls(session, rng, now)
    summary = people.summary
    summary.counts = batch.counts
    session.flush()
    refresh_statistics(session)
    return summary


def _contacts(run: DemoRun, account_id: int, domain: str, owner_id: int) -> list[DemoContact]:
    rng = run.rng
    contacts: list[DemoContact] = []
    for _ in range(rng.randint(2, 4)):
        first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
        title = rng.choice(text.TITLES)
        contact_id = run.ids.take("contact")
        run.batch.add(
            Contact,
            {
                "id": contact_id,
                "account_id": account_id,
                "first_name": first,
                "last_name": last,
                "title": title,
                "email": f"{first.lower()}.{last.lower()}@{domain}",
                "phone": f"+1 415 555 {rng.randint(1000, 9999)}",
                "owner_id": owner_id,
            },
        )
        contacts.append((contact_id, f"{first} {last}", title in text.DECISION_TITLES))
    return contacts


def _lead(run: DemoRun, reps: list[User]) -> None:
    rng, now = run.rng, run.now
    first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
    status = rng.choices(["new", "working", "qualified", "unqualified", "converted"], [3, 3, 2, 2, 2])[0]
    run.batch.add(
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


def _injection_note(batch: RowBatch, activity_id: int, author_id: int, account_id: int, now: datetime) -> None:
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
