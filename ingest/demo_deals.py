"""One demo deal and its history, driven by a hidden health: stage changes, close-date slips, the logged
activities (competitors come up more on unhealthy deals) and, while it is open, its next task."""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assistant.crm.models import Activity, AuditEntry, Deal, DealStageHistory, Stage
from ingest import demo_text as text
from ingest.demo_org import OPEN_STAGES
from ingest.demo_rows import IdSequence, RowBatch

DemoContact = tuple[int, str, bool]
"""id, full name, whether their title makes them a decision maker"""


@dataclass(frozen=True)
class DemoRun:
    """What every deal of one generation shares: where rows go, the random stream, the day, the pipeline."""

    batch: RowBatch
    rng: random.Random
    ids: IdSequence
    now: datetime
    today: date
    stages: list[Stage]
    """the default pipeline's stages in order; the last two are Closed Won and Closed Lost"""
    activities_per_deal: int


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def fill_template(template: str, rng: random.Random, contact: str) -> str:
    return template.format(
        contact=contact,
        seats=rng.choice([25, 50, 80, 120, 200, 350]),
        budget=f"{rng.choice([20, 35, 48, 60, 90, 120, 250])},000",
        competitor=rng.choice(text.COMPETITORS),
        days=rng.choice([10, 14, 30, 45]),
    )


def add_deal(run: DemoRun, account_id: int, company: str, owner_id: int, contacts: list[DemoContact]) -> None:
    rng, now, today, stages = run.rng, run.now, run.today, run.stages
    won_stage, lost_stage = stages[4], stages[5]
    health = rng.gauss(0, 1)
    deal_id = run.ids.take("deal")
    created = now - timedelta(days=rng.randint(30, 330))
    amount = round(math.exp(rng.gauss(10.3, 0.8)) / 500) * 500 + 500
    closed = rng.random() < 0.4 and (now - created).days > 45
    engaged = contacts if health > 0.3 else contacts[:1]
    primary = engaged[0]
    slips = max(0, round(rng.gauss(0.9 - 0.9 * health, 0.8)))
    if closed:
        end = created + timedelta(days=rng.randint(30, max(31, (now - created).days - 5)))
        won = rng.random() < sigmoid(0.2 + 1.3 * health + rng.gauss(0, 0.6))
        stage = won_stage if won else lost_stage
        path = [*stages[: rng.randint(2, OPEN_STAGES)], stage]
        close_date = end.date()
    else:
        end = now
        stage = stages[min(OPEN_STAGES - 1, max(0, round(rng.gauss(1.5 + 0.4 * health, 1))))]
        path = stages[: stage.position + 1]
        close_date = today + timedelta(days=round(rng.gauss(45 + 10 * health, 35)))
    cycle_days = max(1, (end - created).days)
    run.batch.add(
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
    _stage_history(run, deal_id, owner_id, path, created, cycle_days)
    _close_date_slips(run, deal_id, owner_id, close_date, slips, created, cycle_days)
    _activities(run, deal_id, account_id, company, owner_id, engaged, health, closed, created, end)
    if not closed:
        due = today + timedelta(days=rng.randint(-10, 14) if health < 0 else rng.randint(1, 14))
        run.batch.add(
            Activity,
            {
                "id": run.ids.take("activity"),
                "type": "task",
                "subject": fill_template(rng.choice(text.TASK_TEXTS), rng, primary[1]),
                "occurred_at": now - timedelta(days=rng.randint(1, 10)),
                "due_date": due,
                "status": "open",
                "account_id": account_id,
                "contact_id": primary[0],
                "deal_id": deal_id,
                "author_id": owner_id,
            },
        )


def _stage_history(
    run: DemoRun, deal_id: int, owner_id: int, path: list[Stage], created: datetime, cycle_days: int
) -> None:
    previous = None
    for index, step in enumerate(path):
        at = created + timedelta(days=cycle_days * index / max(1, len(path) - 1)) if index else created
        run.batch.add(
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


def _close_date_slips(
    run: DemoRun, deal_id: int, owner_id: int, close_date: date, slips: int, created: datetime, cycle_days: int
) -> None:
    """Audit entries that pushed the close date out by three weeks, ``slips`` times."""
    original_close = close_date - timedelta(days=21 * slips)
    for slip in range(slips):
        old, new = (
            original_close + timedelta(days=21 * slip),
            original_close + timedelta(days=21 * (slip + 1)),
        )
        run.batch.add(
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


def _activities(
    run: DemoRun,
    deal_id: int,
    account_id: int,
    company: str,
    owner_id: int,
    engaged: list[DemoContact],
    health: float,
    closed: bool,
    created: datetime,
    end: datetime,
) -> None:
    """Calls, emails, meetings and notes up to the last touch; healthy deals are touched more often."""
    rng = run.rng
    gap_days = max(1.0, rng.expovariate(1 / (6 if health > 0 else 18)))
    last_touch = end - timedelta(days=gap_days if not closed else rng.uniform(0, 5))
    count = max(1, round(run.activities_per_deal * (1 + 0.3 * health) + rng.gauss(0, 2)))
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
        body = fill_template(template, rng, contact_name)
        subject = {
            "call": f"Call with {contact_name}",
            "email": f"Email: {contact_name}",
            "meeting": f"Meeting with {contact_name}",
            "note": f"Note on {company}",
        }[kind]
        run.batch.add(
            Activity,
            {
                "id": run.ids.take("activity"),
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
