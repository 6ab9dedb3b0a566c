"""Named queries over tasks, activities, leads and calls, and per-rep figures, checked against their definitions."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.models import Activity, Deal, Lead
from evals.facts import Query, QueryContext, evaluate
from evals.named_signals import DEMO_COMPETITORS, bant_of, competitor_counts
from tests import support
from tests.support import ADMIN, ALICE, BOB, EAST_MANAGER, WEST_MANAGER


def context(db: Session, email: str) -> QueryContext:
    return QueryContext(db, support.principal(db, email), support.TODAY)


def named(db: Session, email: str, name: str, **args: object) -> object:
    return evaluate(Query(named=name, args=args), context(db, email))


def test_overdue_tasks_are_open_tasks_due_before_today_most_overdue_first(db: Session) -> None:
    subjects = named(db, ALICE, "overdue_tasks", owner="me")
    count = evaluate(
        Query(
            count="activities", where={"type": "task", "status": "open", "author": "me", "due_date": {"lt": "today"}}
        ),
        context(db, ALICE),
    )
    assert isinstance(subjects, list) and len(subjects) == count > 0
    due = db.scalars(
        select(Activity.due_date)
        .where(Activity.subject == subjects[0], Activity.type == "task")
        .order_by(Activity.due_date)
    ).first()
    assert due is not None and due < support.TODAY
    first = named(db, ALICE, "overdue_tasks", owner="me", output="mentions", limit=1)
    assert isinstance(first, list) and first[0] == subjects[0] and len(first) == 3
    assert named(db, ALICE, "overdue_tasks", owner="sam.taylor@dealwise.demo", output="count") == 0


def test_quiet_deals_had_no_touch_since_the_cutoff_and_every_other_open_deal_had_one(db: Session) -> None:
    quiet = named(db, ALICE, "quiet_deals", owner="me", days=21)
    assert isinstance(quiet, list) and quiet
    cutoff = datetime.combine(support.TODAY - timedelta(days=21), datetime.min.time())
    open_deals = evaluate(Query(list="deals.id", where={"owner": "me", "status": "open"}), context(db, ALICE))
    for deal_id in open_deals:
        name = db.get(Deal, deal_id).name
        last = db.scalar(
            select(func.max(Activity.occurred_at)).where(Activity.deal_id == deal_id, Activity.type != "task")
        )
        assert (name in quiet) == (last is None or last < cutoff), name
    assert named(db, ALICE, "quiet_deals", owner="me", days=21, output="count") == len(quiet)


def test_untouched_leads_leave_out_converted_and_unqualified_and_shrink_with_a_longer_window(db: Session) -> None:
    month = named(db, "jack.miller@dealwise.demo", "untouched_leads", owner="me", days=30)
    quarter = named(db, "jack.miller@dealwise.demo", "untouched_leads", owner="me", days=90)
    assert isinstance(month, list) and isinstance(quarter, list) and set(quarter) < set(month)
    statuses = {
        f"{lead.first_name} {lead.last_name}": lead.status
        for lead in db.scalars(
            select(Lead).where(Lead.owner_id == support.principal(db, "jack.miller@dealwise.demo").user_id)
        )
    }
    assert {statuses[name] for name in month} <= {"new", "working", "qualified"}
    everything = named(db, ADMIN, "untouched_leads", days=30, statuses=["new", "working", "qualified", "unqualified"])
    assert isinstance(everything, list) and set(month) < set(everything)


def test_bant_reads_each_criterion_and_a_contradiction_wins() -> None:
    discovery = (
        "Our reps spend hours updating the CRM by hand, that is the main pain point. That is above what we "
        "planned, our budget is around $60,000. Sam said the CFO has to sign off on anything over that amount. "
        "Good, we want to make a decision before the end of next month."
    )
    assert bant_of(discovery) == {
        "met": ["budget", "authority", "need", "timeline"],
        "budget": 60000.0,
        "qualified": True,
    }
    check_in = (
        "The timeline slipped because the budget might be cut next quarter. They asked for a discount on the "
        "$30,000 quote. Lucas will confirm the budget with finance."
    )
    assert bant_of(check_in) == {"met": [], "budget": None, "qualified": False}
    pricing = "We reviewed the proposal. Lena is the decision maker together with the VP of Sales."
    assert bant_of(pricing)["met"] == ["authority"]
    assert bant_of("Our budget is about $1.2m, so we need a decision by March.")["budget"] == 1_200_000


def test_bant_of_a_demo_deal_and_the_qualified_list_respect_scope(db: Session) -> None:
    assert named(db, ADMIN, "bant", deal=7, part="budget") == 60000.0
    assert named(db, ADMIN, "bant", deal=2, part="qualified") is False
    east = named(db, EAST_MANAGER, "bant_qualified", scope="me")
    west = named(db, WEST_MANAGER, "bant_qualified", scope="me")
    everyone = named(db, ADMIN, "bant_qualified")
    assert isinstance(east, list) and isinstance(west, list) and isinstance(everyone, list)
    assert set(east).isdisjoint(west) and set(east) | set(west) == set(everyone)
    assert "Globex - Add-on Seats" in named(db, ADMIN, "bant_qualified", qualified=False)


def test_competitor_mentions_count_records_in_the_window_and_scope(db: Session) -> None:
    admin, rep = context(db, ADMIN), context(db, ALICE)
    everything = competitor_counts(admin, {"months": 6})
    calls_only = competitor_counts(admin, {"months": 6, "source": "calls"})
    mine = competitor_counts(rep, {"months": 6, "scope": "me"})
    shorter = competitor_counts(admin, {"months": 1})
    assert set(everything) == set(DEMO_COMPETITORS)
    for name in DEMO_COMPETITORS:
        assert calls_only[name] <= everything[name] and mine[name] <= everything[name]
        assert shorter[name] <= everything[name]
    assert sum(mine.values()) < sum(everything.values())
    top = named(db, ADMIN, "competitor_mentions", months=6)
    assert top == sorted(name for name, count in everything.items() if count == max(everything.values()))
    assert (
        named(db, ADMIN, "competitor_mentions", months=6, output="count", competitor="Contoso Cloud")
        == (everything["Contoso Cloud"])
    )


def test_per_owner_agrees_with_top_performer_and_keeps_to_the_askers_scope(db: Session) -> None:
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    top = named(db, ADMIN, "per_owner", measure="won_amount", pick="top", **period)
    assert top == [named(db, ADMIN, "top_performer", **period)]
    figures = named(db, ADMIN, "per_owner", measure="win_rate", pick="all", **period)
    assert isinstance(figures, list) and len(figures) == 12
    erin = named(db, ADMIN, "per_owner", measure="win_rate", pick="value", owner=BOB, **period)
    assert erin == named(db, ADMIN, "win_rate_percent", owner=BOB, **period)
    assert named(db, ALICE, "per_owner", measure="open_pipeline", pick="all", scope="me") == [
        "Rita Lopez",
        evaluate(Query(sum="deals.amount", where={"owner": "me", "status": "open"}), context(db, ALICE)),
    ]
    lowest = named(db, WEST_MANAGER, "per_owner", measure="lead_conversion", pick="bottom", scope="me")
    assert isinstance(lowest, list) and len(lowest) == 2


def test_last_touch_and_next_actions(db: Session) -> None:
    when = named(db, ALICE, "last_touch", deal=29)
    either = named(db, ALICE, "last_touch", deal=29, output="either")
    assert either == [when, (support.TODAY - when).days]
    actions = named(db, ALICE, "next_actions", owner="me")
    overdue = named(db, ALICE, "overdue_tasks", owner="me")
    quiet = named(db, ALICE, "quiet_deals", owner="me", days=14)
    assert isinstance(actions, list) and isinstance(overdue, list) and isinstance(quiet, list)
    assert set(overdue) | set(quiet) <= set(actions)
    assert "Oceanic Airlines - Enterprise License" in quiet


def test_closed_deal_names_leave_out_names_an_open_deal_shares(db: Session) -> None:
    closed = named(db, ALICE, "closed_deal_names", owner="me")
    open_names = evaluate(Query(list="deals.name", where={"owner": "me", "status": "open"}), context(db, ALICE))
    closed_all = evaluate(
        Query(list="deals.name", where={"owner": "me", "status": {"ne": "open"}, "close_date": {"lt": "today-30d"}}),
        context(db, ALICE),
    )
    assert isinstance(closed, list) and isinstance(open_names, list) and isinstance(closed_all, list)
    assert "Harbor Freightways - Platform" in closed_all and "Harbor Freightways - Platform" not in closed
    assert set(closed) == set(closed_all) - set(open_names)
    recent = named(db, ADMIN, "closed_deal_names")
    assert isinstance(recent, list) and "InGen Research - Renewal" not in recent
    assert "InGen Research - Renewal" in named(db, ADMIN, "closed_deal_names", days=1)
