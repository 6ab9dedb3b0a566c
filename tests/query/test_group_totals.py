"""A group-by's overall figure, added up from its groups where that is exact, is the figure the same question
without a group-by gives, for every measure and group-by, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.settings import Settings
from tests import support
from tests.support import ADMIN, WEST_MANAGER
from tools.query import QueryInput, query

GROUPS = ("stage", "status", "owner", "team", "account", "industry", "region", "source", "currency", "quarter")
MEASURES = [
    {"measure": "count"},
    {"measure": "sum"},
    {"measure": "sum", "field": "weighted_amount", "filters": {"status": "open"}},
    {"measure": "min"},
    {"measure": "max", "filters": {"status": "won"}},
    {"measure": "median"},
    {"measure": "avg", "field": "days_to_close", "filters": {"status": "won"}},
    {"measure": "sum", "field": "days_to_close", "filters": {"status": "won"}},
    {"measure": "win_rate"},
    {"object": "leads", "measure": "count"},
    {"object": "activities", "measure": "count"},
]


@pytest.mark.parametrize("email", [WEST_MANAGER, ADMIN])
def test_a_group_by_totals_what_the_question_without_it_does(any_db_url: str, email: str) -> None:
    engine = create_engine(any_db_url)
    with Session(engine) as db:
        deps = Deps(support.principal(db, email), db, support.CLOCK, Settings(database_url=any_db_url))
        for spec in MEASURES:
            whole = query(deps, QueryInput.model_validate(spec))
            assert whole.count, spec
            groups = [g for g in GROUPS if spec.get("object", "deals") == "deals"] or ["owner", "team"]
            for group in groups:
                grouped = query(deps, QueryInput.model_validate({**spec, "group_by": group, "limit": 200}))
                assert (grouped.value, grouped.count, grouped.by_currency) == (
                    whole.value,
                    whole.count,
                    whole.by_currency,
                ), (spec, group)
    engine.dispose()
