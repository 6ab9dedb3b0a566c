"""Meeting prep: overdue tasks flagged, the competitor from the last call, each deal once, BANT gaps as
questions, every line linked to a record the person may open."""

import pytest
from sqlalchemy import select

from assistant.crm.access import can_see
from assistant.crm.errors import NotFound
from assistant.crm.models import Account, Activity, Contact, Deal
from tests.support import ALICE, BOB
from tools.registry import get_tool

MODELS = {"deal": Deal, "account": Account, "contact": Contact, "activity": Activity}


def prep(deps, **args):
    return get_tool("meeting_prep").run(deps, args)


def account_named(db, name: str) -> Account:
    return db.scalars(select(Account).where(Account.name == name)).one()


def every_line(result) -> list:
    return [
        *result.last_interactions,
        *result.open_tasks,
        *result.objections,
        *result.competitors,
        *result.questions,
        *result.talking_points,
    ]


def test_an_overdue_task_is_flagged_and_becomes_a_talking_point(db, deps_for):
    account = account_named(db, "Los Pollos Hermanos")
    overdue = db.scalars(
        select(Activity).where(Activity.account_id == account.id, Activity.type == "task", Activity.status == "open")
    ).one()
    assert overdue.due_date.isoformat() < "2026-11-20"
    result = prep(deps_for(ALICE), account_id=account.id)
    [task] = result.open_tasks
    assert task.flag == "overdue" and task.record.id == overdue.id and "7 days overdue" in task.text
    assert result.overdue_count == 1
    assert any(point.record.id == overdue.id for point in result.talking_points)


def test_the_competitors_of_the_last_call_are_there_and_each_deal_is_listed_once(db, deps_for):
    krusty = account_named(db, "Krusty Foods")
    result = prep(deps_for(ALICE), account_id=krusty.id)
    ids = [deal.id for deal in result.open_deals]
    assert len(ids) == len(set(ids)) == 2
    wonka = prep(deps_for(ALICE), deal_id=20)
    assert wonka.open_deals[0].id == 20
    names = {line.text.split(":")[0] for line in wonka.competitors}
    assert {"Fabrikam Sales", "Contoso Cloud"} <= names
    last_call = db.scalars(
        select(Activity).where(Activity.deal_id == 20, Activity.type == "call").order_by(Activity.occurred_at.desc())
    ).first()
    assert any(line.record.id == last_call.id for line in wonka.competitors)


def test_bant_gaps_from_the_recorded_call_become_questions(deps_for):
    result = prep(deps_for(ALICE), deal_id=20)
    parts = {line.text.split(":")[0] for line in result.questions}
    assert parts == {"Budget", "Authority", "Need", "Timeline"}
    timeline = next(line for line in result.questions if line.text.startswith("Timeline"))
    assert 'last call: "The timeline slipped' in timeline.text and "22 Mar 2027" in timeline.text


def test_stakeholders_name_roles_and_who_decides_and_the_person_met_comes_first(db, deps_for):
    brown = db.scalars(select(Contact).where(Contact.first_name == "Ahmed", Contact.last_name == "Brown")).one()
    result = prep(deps_for(ALICE), contact_id=brown.id)
    assert result.stakeholders[0].contact.id == brown.id and result.stakeholders[0].meeting_with
    assert "John Moreau" in result.decision_makers
    ceo = next(p for p in result.stakeholders if p.contact.name == "John Moreau")
    assert ceo.title == "CEO" and ceo.decision_maker and ceo.interactions >= 1
    assert len(result.last_interactions) == 3


def test_every_line_links_to_a_record_the_asker_can_open(db, deps_for):
    deps = deps_for(ALICE)
    result = prep(deps, deal_id=20)
    lines = every_line(result)
    assert lines and all(line.record is not None for line in lines)
    for line in lines:
        model = MODELS.get(line.record.type)
        assert model is not None and can_see(db, deps.principal, model, line.record.id), line


def test_an_account_of_someone_else_is_not_found(deps_for):
    with pytest.raises(NotFound):
        prep(deps_for(BOB), deal_id=20)


def test_prep_me_for_my_meeting_is_answered_with_the_brief(ask):
    response = ask(ALICE, "prep me for my meeting with Los Pollos Hermanos")
    assert [call.name for call in response.tool_calls] == ["meeting_prep"]
    assert "OVERDUE: Prepare security questionnaire for John Brown" in response.answer
    assert response.grounded
    titles = [section.title for section in response.rich.sections]
    assert {"Stakeholders", "Open tasks", "Questions to ask", "Talking points"} <= set(titles)
