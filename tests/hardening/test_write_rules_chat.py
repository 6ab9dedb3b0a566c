"""The chat proposal path (Slack, email, web chat and /api/chat alike) follows the same write rules.

A write tool proposes only what the person may do, and the confirmed proposal is checked again when
it is applied, so a proposal cannot outlive the right to make it, and a payload naming someone
else's record applies nothing.
"""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.errors import NotFound
from assistant.crm.models import Activity, Deal
from tests.hardening.pairs import PAIRS, Pair
from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER
from tests.support.hardening import Records, later, user_id
from tools.registry import TOOLSET

CHAT_WRITES = {"update_deal", "log_activity", "create_task", "log_call"}


def _activities(db: Session, **links: int) -> int:
    query = select(func.count()).select_from(Activity)
    for field, value in links.items():
        query = query.where(getattr(Activity, field) == value)
    return db.scalar(query) or 0


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_chat_proposals_by_role_pair(
    pair: Pair, deps_as: Callable[[str], Deps], records_of: Callable[[str], Records], shared_db: Session
):
    theirs = records_of(pair.owner)
    deps = deps_as(pair.actor)
    update = TOOLSET.writes["update_deal"]
    if pair.sees:
        proposal = TOOLSET.get("update_deal").run(deps, {"deal_id": theirs.deal, "next_step": "Chat matrix"})
        update.apply(deps, proposal.payload)
        shared_db.expire_all()
        assert shared_db.get_one(Deal, theirs.deal).next_step == "Chat matrix"
    else:
        with pytest.raises(NotFound):
            TOOLSET.get("update_deal").run(deps, {"deal_id": theirs.deal, "next_step": "Chat matrix"})
        with pytest.raises(NotFound):
            update.apply(deps, {"deal_id": theirs.deal, "values": {"next_step": "forged"}})
        shared_db.expire_all()
        assert shared_db.get_one(Deal, theirs.deal).next_step is None

    for tool, args, link in [
        ("log_activity", {"type": "call", "subject": "Chat matrix call", "account_id": theirs.account}, "account_id"),
        ("create_task", {"subject": "Matrix task", "due_date": later(), "contact_id": theirs.contact}, "contact_id"),
    ]:
        before = _activities(shared_db, **{link: args[link]})
        if pair.sees:
            proposal = TOOLSET.get(tool).run(deps, args)
            TOOLSET.writes[tool].apply(deps, proposal.payload)
            assert _activities(shared_db, **{link: args[link]}) == before + 1
        else:
            with pytest.raises(NotFound):
                TOOLSET.get(tool).run(deps, args)
            assert _activities(shared_db, **{link: args[link]}) == before


def test_no_chat_write_changes_an_owner_or_an_account():
    """Reassigning and editing accounts, contacts and leads happen only over REST and the CRM pages;
    a new chat write kind must join the matrix above."""
    assert set(TOOLSET.writes) == CHAT_WRITES
    for spec in TOOLSET.proposes():
        assert not {"owner_id", "author_id"} & set(spec.input_model.model_fields), spec.name


def test_a_rep_logs_on_an_account_seen_through_a_deal_but_cannot_move_its_deals(
    deps_as: Callable[[str], Deps], records_of: Callable[[str], Records], shared_db: Session
):
    bobs = records_of(BOB)
    deps = deps_as(ALICE)
    deal = shared_db.get_one(Deal, bobs.deal)
    shared_db.add(
        Deal(
            name="Alice's way in",
            account_id=bobs.account,
            owner_id=user_id(shared_db, ALICE),
            pipeline_id=deal.pipeline_id,
            stage_id=deal.stage_id,
            close_date=deal.close_date,
        )
    )
    shared_db.flush()
    proposal = TOOLSET.get("log_activity").run(
        deps, {"type": "meeting", "subject": "On site", "account_id": bobs.account}
    )
    assert [ref.id for ref in proposal.records] == [bobs.account]
    with pytest.raises(NotFound):
        TOOLSET.get("update_deal").run(deps, {"deal_id": bobs.deal, "stage": "Negotiation"})


def test_a_confirmation_is_checked_again_when_it_is_applied(
    deps_as: Callable[[str], Deps], records_of: Callable[[str], Records], shared_db: Session
):
    alices = records_of(ALICE)
    manager = deps_as(WEST_MANAGER)
    proposal = TOOLSET.get("update_deal").run(manager, {"deal_id": alices.deal, "amount": 99000})
    shared_db.get_one(Deal, alices.deal).owner_id = user_id(shared_db, BOB)
    shared_db.flush()
    with pytest.raises(NotFound):
        TOOLSET.writes["update_deal"].apply(manager, proposal.payload)
    shared_db.expire_all()
    assert float(shared_db.get_one(Deal, alices.deal).amount) == 1000.0
    admin = deps_as(ADMIN)
    TOOLSET.writes["update_deal"].apply(admin, proposal.payload)
    shared_db.expire_all()
    assert float(shared_db.get_one(Deal, alices.deal).amount) == 99000.0
