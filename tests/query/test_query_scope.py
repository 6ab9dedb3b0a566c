"""Every measure and group-by of the query tool, as rep, manager and admin, on SQLite and PostgreSQL,
checked against the same figures computed in Python from the rows each person may see."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from statistics import median
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Activity, Contact, Deal, Lead, Stage, User
from assistant.crm.settings import Settings
from tests import support
from tests.support import ADMIN, ALICE, WEST_MANAGER
from tests.tools.scope import Visible, team_member_ids, user_id, visible_for
from tools.query import QueryInput, query

DEAL_GROUPS = ("stage", "owner", "account", "industry", "region", "source", "status", "currency", "month", "quarter")
AMOUNT_MEASURES = ("count", "sum", "avg", "median", "min", "max")


def _owners(db: Session, email: str) -> set[int]:
    if email == ADMIN:
        return set(db.scalars(select(User.id)))
    if email == WEST_MANAGER:
        return team_member_ids(db, email)
    return {user_id(db, email)}


def _deal_rows(db: Session, visible: Visible) -> list[dict[str, Any]]:
    query = (
        select(Deal, Stage, Account, User)
        .join(Stage, Stage.id == Deal.stage_id)
        .join(Account, Account.id == Deal.account_id)
        .join(User, User.id == Deal.owner_id)
        .where(Deal.id.in_(visible.deals))
    )
    rows = []
    for deal, stage, account, owner in db.execute(query):
        status = "won" if stage.is_won else ("lost" if stage.is_closed else "open")
        close = deal.close_date
        rows.append({
            "id": deal.id, "amount": float(deal.amount), "stage": stage.name, "owner": owner.name,
            "account": account.name, "industry": account.industry or "(none)", "region": account.region or "(none)",
            "source": deal.lead_source or "(none)", "status": status, "currency": deal.currency,
            "month": close.strftime("%Y-%m") if close else "(none)",
            "quarter": f"{close.year}-Q{(close.month - 1) // 3 + 1}" if close else "(none)",
        })  # fmt: skip
    return rows


def _measure(values: list[float], measure: str) -> float:
    if measure == "count":
        return float(len(values))
    function: Callable[[list[float]], float] = {
        "sum": sum, "avg": lambda v: sum(v) / len(v), "median": median, "min": min, "max": max,
    }[measure]  # fmt: skip
    return function(values)


def _expected(rows: list[dict[str, Any]], group: str, measure: str) -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        groups[row[group]].append(row["amount"])
    return {key: round(_measure(values, measure), 2) for key, values in groups.items()}


@contextmanager
def _asker(url: str, email: str) -> Iterator[tuple[Session, Visible, Deps]]:
    """A session on the database, what the asker may see, and the deps a tool runs with as that person."""
    engine = create_engine(url)
    try:
        with Session(engine) as db:
            deps = Deps(support.principal(db, email), db, support.CLOCK, Settings(database_url=url))
            yield db, visible_for(db, _owners(db, email)), deps
    finally:
        engine.dispose()


def _hidden_deals(db: Session, visible: Visible) -> list[int]:
    return [i for i in db.scalars(select(Deal.id)) if i not in visible.deals][:3]


def _check_refs(result: Any, visible: Visible) -> None:
    for ref in result.records:
        assert visible.allows(ref), f"{ref} is outside the asker's scope"


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_every_deal_measure_and_group_counts_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        rows = _deal_rows(db, visible)
        for measure in AMOUNT_MEASURES:
            whole = query(deps, QueryInput(measure=measure, field=None if measure == "count" else "amount"))
            assert whole.value == pytest.approx(_measure([r["amount"] for r in rows], measure), abs=0.01), measure
            assert whole.count == len(rows)
            _check_refs(whole, visible)
            for group in DEAL_GROUPS:
                result = query(deps, QueryInput(measure=measure, group_by=group, limit=200))  # type: ignore[arg-type]
                got = {row.key: row.value for row in result.rows}
                expected = _expected(rows, group, measure)
                if group == "owner" or group == "account":
                    assert set(got) == set(expected), (measure, group)
                assert got == pytest.approx(expected, abs=0.01), (measure, group)
                _check_refs(result, visible)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_rates_cycle_and_other_objects_stay_in_scope(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        rows = _deal_rows(db, visible)
        closed = [r for r in rows if r["status"] != "open"]
        rate = query(deps, QueryInput(measure="win_rate"))
        expected_rate = 100 * sum(r["status"] == "won" for r in closed) / len(closed) if closed else None
        assert rate.value == pytest.approx(expected_rate, abs=0.05)
        assert rate.count == len(closed)
        won = db.execute(select(Deal.created_at, Deal.closed_at, Deal.close_date).where(
            Deal.id.in_([r["id"] for r in rows if r["status"] == "won"]))).all()  # fmt: skip
        days = [((c or d).date() if hasattr(c or d, "date") else (c or d)) for _, c, d in won]
        cycle = [max(0, (end - created.date()).days) for (created, _, _), end in zip(won, days, strict=True)]
        result = query(deps, QueryInput(measure="avg", field="days_to_close", filters={"status": "won"}))
        assert result.value == pytest.approx(sum(cycle) / len(cycle) if cycle else None, abs=0.6)
        leads = db.execute(select(Lead.id, Lead.status, Lead.owner_id).where(Lead.id.in_(visible.leads))).all()
        conversion = query(deps, QueryInput(object="leads", measure="conversion_rate", group_by="owner", limit=200))
        assert sum(r.count for r in conversion.rows) == len(leads)
        by_status = query(deps, QueryInput(object="leads", measure="count", group_by="status", limit=200))
        expected_status: dict[str, float] = defaultdict(float)
        for _, status, _ in leads:
            expected_status[status] += 1
        assert {r.key: r.value for r in by_status.rows} == expected_status
        activities = db.execute(select(Activity.type).where(Activity.id.in_(visible.activities))).all()
        by_type = query(deps, QueryInput(object="activities", measure="count", group_by="type", limit=200))
        expected_types: dict[str, float] = defaultdict(float)
        for (kind,) in activities:
            expected_types[kind] += 1
        assert {r.key: r.value for r in by_type.rows} == expected_types
        accounts = query(deps, QueryInput(object="accounts", measure="count"))
        assert accounts.value == len(visible.accounts)
        contacts = query(deps, QueryInput(object="contacts", measure="count"))
        assert contacts.value == len(visible.contacts)
        for result in (conversion, by_status, by_type, accounts, contacts):
            _check_refs(result, visible)


def test_a_rep_naming_someone_they_cannot_see_gets_no_figure_for_them(db: Session, settings: Settings) -> None:
    nina = db.scalars(select(User.id).where(User.email == "nina.rossi@dealwise.demo")).one()
    deps = Deps(support.principal(db, ALICE), db, Clock.fixed(support.NOW), settings)
    result = query(deps, QueryInput(measure="sum", filters={"status": "won", "owner_ids": [nina]}))
    assert result.count == 0 and result.hidden_owners == ["Nina Rossi"]
    compared = query(
        deps, QueryInput(measure="win_rate", compare={"by": "owner", "owner_ids": [user_id(db, ALICE), nina]})
    )
    hidden = [row for row in compared.rows if row.key == "Nina Rossi"]
    assert hidden and hidden[0].value is None and compared.hidden_owners == ["Nina Rossi"]


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_accounts_without_deals_count_only_the_deals_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        rows = _deal_rows(db, visible)
        names = dict(db.execute(select(Account.id, Account.name).where(Account.id.in_(visible.accounts))).all())
        with_deals = {row["account"] for row in rows}
        with_open = {row["account"] for row in rows if row["status"] == "open"}
        for missing, having in (("deal", with_deals), ("open_deal", with_open)):
            result = query(deps, QueryInput(object="accounts", filters={"missing": [missing]}, limit=200))
            assert {item.name for item in result.items} == set(names.values()) - having, (email, missing)
            assert result.count == len(set(names.values()) - having)
            _check_refs(result, visible)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_activities_on_one_deal_count_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        deal_id = min(visible.deals)
        on_deal = db.scalars(select(Activity.id).where(Activity.deal_id == deal_id)).all()
        expected = {i for i in on_deal if i in visible.activities}
        result = query(deps, QueryInput(object="activities", filters={"deal_ids": [deal_id]}, limit=200))
        assert {item.id for item in result.items} == expected
        assert result.count == len(expected)
        named = query(deps, QueryInput(object="deals", filters={"deal_ids": [deal_id, *_hidden_deals(db, visible)]}))
        assert [item.id for item in named.items] == [deal_id]  # a deal named but not visible is never counted
        with pytest.raises(ValidationFailed, match="belong to a deal"):
            query(deps, QueryInput(object="contacts", filters={"deal_ids": [deal_id]}))


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_deals_by_their_primary_contact_count_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        contact_id = db.scalars(
            select(Deal.primary_contact_id).where(Deal.id.in_(visible.deals), Deal.primary_contact_id.is_not(None))
        ).first()
        expected = {
            i for i in db.scalars(select(Deal.id).where(Deal.primary_contact_id == contact_id)) if i in visible.deals
        }
        result = query(deps, QueryInput(object="deals", filters={"contact_ids": [contact_id]}, limit=200))
        assert {item.id for item in result.items} == expected and result.count == len(expected)
        assert "with primary contact" in result.description
        with pytest.raises(ValidationFailed, match="tied to a contact"):
            query(deps, QueryInput(object="accounts", filters={"contact_ids": [contact_id]}))


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_contacts_by_their_title_count_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        finance = {
            contact.id
            for contact in db.scalars(select(Contact))
            if contact.id in visible.contacts and "financ" in (contact.title or "").lower()
        }
        assert finance
        result = query(deps, QueryInput(object="contacts", filters={"titles": ["Financ"]}, limit=200))
        assert {item.id for item in result.items} == finance and result.count == len(finance)
        assert all(item.email for item in result.items) and "with a title like" in result.description
        _check_refs(result, visible)
        with pytest.raises(ValidationFailed, match="job titles"):
            query(deps, QueryInput(object="deals", filters={"titles": ["CFO"]}))


def test_a_sort_key_the_object_does_not_have_is_refused_not_joined(db: Session, settings: Settings) -> None:
    deps = Deps(support.principal(db, ADMIN), db, support.CLOCK, settings)
    with pytest.raises(ValidationFailed, match="contacts have no score"):
        query(deps, QueryInput(object="contacts", sort="score"))
    with pytest.raises(ValidationFailed, match="leads have no days to close"):
        query(deps, QueryInput(object="leads", sort="days_to_close"))


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_leads_by_score_count_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        scored = {lead.id for lead in db.scalars(select(Lead)) if lead.id in visible.leads and (lead.score or 0) >= 50}
        result = query(deps, QueryInput(object="leads", filters={"score_min": 50}, limit=200))
        assert {item.id for item in result.items} == scored and result.count == len(scored)
        assert "scoring at least 50" in result.description
        _check_refs(result, visible)
        with pytest.raises(ValidationFailed, match="only leads have a score"):
            query(deps, QueryInput(object="deals", filters={"score_min": 50}))


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_deals_never_called_count_only_the_deals_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        called = set(db.scalars(select(Activity.deal_id).where(Activity.type == "call", Activity.deal_id.is_not(None))))
        expected = {deal for deal in visible.deals if deal not in called}
        result = query(deps, QueryInput(filters={"missing": ["call_logged"]}, limit=200))
        assert {item.id for item in result.items} == expected and result.count == len(expected), email
        counted = query(deps, QueryInput(measure="count", filters={"missing": ["call_logged"]}, group_by="owner"))
        assert sum(row.value or 0 for row in counted.rows) == len(expected)
        _check_refs(result, visible)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_activities_per_contact_count_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        expected: dict[int, int] = defaultdict(int)
        rows = db.execute(select(Activity.id, Activity.contact_id).where(Activity.type == "email"))
        for activity, contact in rows:
            if activity in visible.activities and contact is not None:
                expected[contact] += 1
        result = query(
            deps,
            QueryInput(
                object="activities", measure="count", filters={"types": ["email"]}, group_by="contact", limit=200
            ),
        )
        assert {row.ref.id: row.value for row in result.rows if row.ref is not None} == expected, email
        _check_refs(result, visible)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_a_count_per_owner_names_the_reps_in_scope_with_nothing_counted(any_db_url: str, email: str) -> None:
    """ "Which rep hasn't logged a call this week" is answered by the rows of zero: every rep in scope has one."""
    with _asker(any_db_url, email) as (db, visible, deps):
        reps = {
            name
            for i, name, role, active in db.execute(select(User.id, User.name, User.role, User.is_active))
            if role == "rep" and active and i in _owners(db, email)
        }
        calls = query(
            deps,
            QueryInput(
                object="activities",
                measure="count",
                group_by="owner",
                filters={"types": ["call"], "period": {"start": "2026-11-19", "end": "2026-11-20"}},
            ),
        )
        got = {row.key: row.value for row in calls.rows}
        counted = defaultdict(float)
        for (author,) in db.execute(
            select(User.name)
            .join(Activity, Activity.author_id == User.id)
            .where(Activity.id.in_(visible.activities), Activity.type == "call")
            .where(Activity.occurred_at >= support.NOW.replace(day=19, hour=0, minute=0))
        ):
            counted[author] += 1
        assert reps <= set(got), (email, got)
        assert {name: value for name, value in got.items() if value} == counted
        _check_refs(calls, visible)


@pytest.mark.parametrize("email", [WEST_MANAGER, ADMIN])
def test_one_rep_against_the_team_average_per_rep(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        alice = user_id(db, ALICE)
        team_id = db.scalars(select(User.team_id).where(User.id == alice)).one()
        members = set(db.scalars(select(User.id).where(User.team_id == team_id)))
        reps = len(list(db.scalars(select(User.id).where(User.team_id == team_id, User.role == "rep"))))
        rows = [r for r in _deal_rows(db, visible) if r["status"] == "open"]
        owners = dict(db.execute(select(Deal.id, Deal.owner_id)).all())
        team_total = sum(r["amount"] for r in rows if owners[r["id"]] in members)
        own_total = sum(r["amount"] for r in rows if owners[r["id"]] == alice)
        result = query(
            deps,
            QueryInput(
                measure="sum",
                filters={"status": "open"},
                compare={"by": "owner", "owner_ids": [alice], "team_ids": [team_id], "per_rep": True},
            ),
        )
        by_key = {row.key: row.value for row in result.rows}
        team_key = next(key for key in by_key if "average per rep" in key)
        assert by_key[team_key] == pytest.approx(team_total / reps, abs=0.01)
        assert next(v for k, v in by_key.items() if k != team_key) == pytest.approx(own_total, abs=0.01)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_the_average_stage_probability_counts_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        odds = dict(db.execute(select(Deal.id, Stage.probability).join(Stage, Stage.id == Deal.stage_id)).all())
        rows = [r for r in _deal_rows(db, visible) if r["status"] == "open"]
        result = query(deps, QueryInput(measure="avg", field="probability", filters={"status": "open"}))
        expected = sum(odds[r["id"]] for r in rows) / len(rows) if rows else None
        assert result.value == pytest.approx(expected, abs=0.05) and result.count == len(rows)
        by_owner = query(deps, QueryInput(measure="avg", field="probability", group_by="owner", limit=200))
        per_owner: dict[str, list[float]] = defaultdict(list)
        for row in _deal_rows(db, visible):
            per_owner[row["owner"]].append(odds[row["id"]])
        assert {r.key: r.value for r in by_owner.rows if r.count} == pytest.approx(
            {owner: sum(values) / len(values) for owner, values in per_owner.items()}, abs=0.05
        )
        _check_refs(by_owner, visible)


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER, ADMIN])
def test_groups_kept_by_their_count_hold_only_what_the_asker_may_see(any_db_url: str, email: str) -> None:
    with _asker(any_db_url, email) as (db, visible, deps):
        per_account: dict[str, int] = defaultdict(int)
        for row in _deal_rows(db, visible):
            if row["status"] == "open":
                per_account[row["account"]] += 1
        result = query(
            deps,
            QueryInput(measure="count", filters={"status": "open"}, group_by="account", group_min=2, limit=200),
        )
        kept = {account: count for account, count in per_account.items() if count >= 2}
        assert {row.key: row.value for row in result.rows} == pytest.approx(kept)
        assert result.count == sum(kept.values()) and "(only those with at least 2)" in result.description
        _check_refs(result, visible)
