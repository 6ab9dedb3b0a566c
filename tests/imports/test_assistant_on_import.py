"""The assistant answers from what an import brought into an empty Dealwise, asked as the imported admin and as
an imported owner (a user the import created from Salesforce's User.csv); the imported notes are searchable."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.agent.brains.factory import make_assistant
from assistant.agent.conversation import Assistant
from assistant.crm.db import session_factory
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.services.rates import set_rate
from assistant.crm.settings import Settings
from ingest.embeddings import LocalEmbedder
from ingest.imports import ImportReport
from ingest.indexing import build_retriever
from tests import support
from tests.imports.export_salesforce import (
    ADMIN_EMAIL,
    BIGGEST_OPEN_CONVERTED,
    RATES,
    TASKS,
    WIN_RATE_2025,
    write_salesforce,
)
from tests.support.imports import by_source

pytestmark = pytest.mark.parametrize("empty_settings", ["sqlite"], indirect=True)
LUCIA = "lucia.fernandez@andina.example"


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


@pytest.fixture
def ask(
    import_into: Callable[..., ImportReport], empty_settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> Iterator[Callable[[str, str], ChatResponse]]:
    """The Salesforce export imported; ask(email, message) -> the assistant's response."""
    write_salesforce(tmp_path / "export")
    import_into("salesforce", tmp_path / "export")
    sessions = session_factory(empty_settings)
    assistant: Assistant = make_assistant(empty_settings, sessions, support.CLOCK, embedder=embedder)

    def run(email: str, message: str) -> ChatResponse:
        with sessions() as session:
            person = support.principal(session, email)
        return assistant.ask(person, message)

    yield run


def test_an_imported_owner_asks_for_the_biggest_open_deal(ask: Callable[[str, str], ChatResponse]) -> None:
    response = ask(LUCIA, "what's the biggest open deal")
    first = response.answer.split("\n- ", 1)[1]
    assert first.startswith("Northwind - Expansion LatAm: $180,000"), response.answer
    assert {record.name for record in response.records} >= {"Northwind - Expansion LatAm"}


def test_the_imported_admin_asks_for_the_win_rate_of_a_past_year(ask: Callable[[str, str], ChatResponse]) -> None:
    won, closed = WIN_RATE_2025
    response = ask(ADMIN_EMAIL, "what was our win rate in 2025")
    assert f"{100 * won / closed:.1f}" in response.answer or f"{100 * won // closed}%" in response.answer
    assert f"{closed} closed deals" in response.answer, response.answer
    assert "2024" not in response.answer


def test_the_biggest_open_deal_across_currencies_uses_the_admin_set_rates(
    ask: Callable[[str, str], ChatResponse], empty_settings: Settings
) -> None:
    with session_factory(empty_settings)() as session:
        for currency, rate in RATES.items():
            set_rate(session, None, currency, Decimal(rate), "USD", support.NOW)
        session.commit()
    response = ask(ADMIN_EMAIL, "what's the biggest open deal")
    assert response.answer.split("\n- ", 1)[1].startswith(BIGGEST_OPEN_CONVERTED), response.answer


def test_imported_notes_are_searchable_right_after_the_import(
    import_into: Callable[..., ImportReport], empty_settings: Settings, tmp_path: Path
) -> None:
    write_salesforce(tmp_path / "export")
    report = import_into("salesforce", tmp_path / "export", index=True)
    assert "8 activities indexed for search (7 text chunks)" in report.notes
    hits = build_retriever(empty_settings).query("el precio por tienda preocupa", owner_ids=None, n=1)
    with session_factory(empty_settings)() as session:
        call = by_source(session, "activity", "salesforce")[TASKS["call"][:15]]
        assert (hits[0].record_type, hits[0].record_id) == ("activity", call.id)
        lucia = support.principal(session, LUCIA)
    assert hits[0].metadata["owner_id"] == lucia.user_id
