"""Writes are narrower than reads: who may edit, reassign and link each writable record, by role pair.

Each case is one (person acting, owner of the records) pair and one kind of record, with fresh
records for both people. Over REST it tries the three writes in turn and checks the answer and the
database: an edit of a plain field, a link to another record, and an owner change (for an activity,
its author, which nobody may change). The rules (assistant.crm.access.WRITE_RULES): owners change
their records, managers their team's, admins everything; only managers (within their team) and
admins reassign; a record outside someone's scope is 404, one they may only read is 403.
"""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import Account, Activity, Contact, Deal, Lead
from assistant.crm.settings import Settings
from tests.hardening.pairs import PAIRS, Pair
from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER, auth
from tests.support.hardening import Records, user_id

KINDS = ["account", "contact", "lead", "deal", "activity"]
MODELS = {"account": Account, "contact": Contact, "lead": Lead, "deal": Deal, "activity": Activity}
EDITS = {
    "account": ("industry", "Matrix industry"),
    "contact": ("title", "Matrix CFO"),
    "lead": ("score", 55),
    "deal": ("next_step", "Send the matrix"),
    "activity": ("subject", "Matrix note, edited"),
}


def _row(settings: Settings, kind: str, record_id: int) -> object:
    with session_factory(settings)() as session:
        return session.get(MODELS[kind], record_id)


def _link(kind: str, theirs: Records, mine: Records) -> tuple[str, str, dict[str, int], str, int]:
    """(method, path, body, field to check, expected value) of linking their record to another one."""
    if kind == "account":
        return "PATCH", f"/api/accounts/{theirs.account}", {"parent_id": mine.account}, "parent_id", mine.account
    if kind == "contact":
        return "PATCH", f"/api/contacts/{theirs.contact}", {"account_id": mine.account}, "account_id", mine.account
    if kind == "deal":
        body = {"primary_contact_id": theirs.contact}
        return "PATCH", f"/api/deals/{theirs.deal}", body, "primary_contact_id", theirs.contact
    if kind == "lead":
        body = {"account_id": mine.account}
        return "POST", f"/api/leads/{theirs.lead}/convert", body, "converted_account_id", mine.account
    return "PATCH", f"/api/activities/{theirs.activity}", {"deal_id": mine.deal}, "deal_id", mine.deal


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_rest_writes_by_role_pair(
    pair: Pair,
    kind: str,
    shared_client: TestClient,
    shared_tokens: dict[str, str],
    shared_settings: Settings,
    shared_db: Session,
    records_of: Callable[[str], Records],
):
    theirs, mine = records_of(pair.owner), records_of(pair.actor)
    headers = auth(shared_tokens[pair.actor])
    record_id = getattr(theirs, kind)
    path = f"/api/{'activities' if kind == 'activity' else kind + 's'}/{record_id}"
    unseen = 404

    field, value = EDITS[kind]
    edit = shared_client.patch(path, json={field: value}, headers=headers)
    assert edit.status_code == (200 if pair.sees else unseen), edit.text
    assert (getattr(_row(shared_settings, kind, record_id), field) == value) is pair.sees

    method, link_path, body, link_field, expected = _link(kind, theirs, mine)
    link = shared_client.request(method, link_path, json=body, headers=headers)
    assert link.status_code == (200 if pair.sees else unseen), link.text
    assert (getattr(_row(shared_settings, kind, record_id), link_field) == expected) is pair.sees

    target = user_id(shared_db, pair.reassign_to)
    owner_field = "author_id" if kind == "activity" else "owner_id"
    reassign = shared_client.patch(path, json={owner_field: target}, headers=headers)
    if kind == "activity":
        assert reassign.status_code == 422 and "author_id" in reassign.text
        expected_owner = theirs.owner_id
    elif pair.reassigns:
        assert reassign.status_code == 200, reassign.text
        expected_owner = target
    else:
        assert reassign.status_code == (403 if pair.sees else unseen), reassign.text
        if pair.sees:
            assert "only a manager or an admin may reassign" in reassign.json()["detail"]
        expected_owner = theirs.owner_id
    assert getattr(_row(shared_settings, kind, record_id), owner_field) == expected_owner


def test_manager_reassigns_only_within_their_team(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_db: Session, records_of: Callable[[str], Records]
):
    alices = records_of(ALICE)
    headers = auth(shared_tokens[WEST_MANAGER])
    for path in (f"/api/accounts/{alices.account}", f"/api/deals/{alices.deal}", f"/api/leads/{alices.lead}"):
        outside = shared_client.patch(path, json={"owner_id": user_id(shared_db, BOB)}, headers=headers)
        assert outside.status_code == 422 and "outside your team" in outside.text
        null = shared_client.patch(path, json={"owner_id": None}, headers=headers)
        assert null.status_code == 422
    with_admin = shared_client.patch(
        f"/api/deals/{alices.deal}", json={"owner_id": user_id(shared_db, BOB)}, headers=auth(shared_tokens[ADMIN])
    )
    assert with_admin.status_code == 200 and with_admin.json()["owner"]["email"] == BOB
