"""Linking a dictated note's words to the account, deal and contact, including names the speech model misheard."""

from collections.abc import Callable

import pytest

from assistant.crm.deps import Deps
from ingest.dictation import extract_fields
from tests.support import ALICE
from tests.support.calls import GRACE_IVANOVA, OCEANIC_ACCOUNT, OCEANIC_DEAL


@pytest.mark.parametrize(
    "note",
    [
        "Just left Oceanic Airlines. Grace Ivanova is the decision maker.",
        "Just left oceanic airlines, they need a proposal, race Ivan over in the decision maker.",
    ],
)
def test_note_links_the_contact_it_names_even_misheard(deps_for: Callable[..., Deps], note: str) -> None:
    fields = extract_fields(deps_for(ALICE), note)
    assert fields.account is not None and fields.account.id == OCEANIC_ACCOUNT
    assert fields.deal is not None and fields.deal.id == OCEANIC_DEAL
    assert fields.contact is not None and fields.contact.id == GRACE_IVANOVA
    assert fields.decision_maker == "Grace Ivanova"


def test_note_without_a_contact_name_links_no_contact(deps_for: Callable[..., Deps]) -> None:
    fields = extract_fields(deps_for(ALICE), "Just left oceanic airlines, the weather is the decision maker now.")
    assert fields.account is not None and fields.account.id == OCEANIC_ACCOUNT
    assert fields.contact is None
    assert fields.decision_maker is None
