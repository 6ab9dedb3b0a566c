"""A group-by on accounts with a limit reads only the leading groups from the database: the rows, ties with the
last one shown (after rounding) and totals must be those the same group-by over every group gives."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.models import Deal
from assistant.crm.settings import Settings
from tests import support
from tests.support import WEST_MANAGER
from tools.query import QueryInput, query

SHAPES: list[dict[str, Any]] = [
    {"measure": "sum", "sort": "value"},
    {"measure": "sum", "sort": "value", "order": "asc"},
    {"measure": "count", "sort": "value"},
    {"measure": "avg", "sort": "value", "filters": {"status": "open"}},
    {"measure": "max", "order": "asc"},
    {"measure": "win_rate", "sort": "value"},
]


def _shown(rows: list[Any], limit: int) -> list[Any]:
    """What a limit keeps of every group in order: the first ``limit`` and those tied with the last."""
    kept = rows[:limit]
    last = kept[-1].value if kept else None
    return kept + [row for row in rows[limit:] if last is not None and row.value == last]


def _amounts(db: Session, how: str) -> None:
    ids = list(db.scalars(select(Deal.id).order_by(Deal.id)))
    for i, deal_id in enumerate(ids):
        if how == "equal":
            amount = Decimal(1000)
        elif how == "within_rounding":
            amount = Decimal(1000) + Decimal("0.001") * (i % 5)
        else:
            continue
        db.execute(update(Deal).where(Deal.id == deal_id).values(amount=amount))
    db.commit()


@pytest.mark.parametrize("how", ["as_generated", "equal", "within_rounding"])
def test_the_leading_accounts_are_those_of_the_whole_group_by(any_db_url: str, how: str) -> None:
    engine = create_engine(any_db_url)
    with Session(engine) as db:
        _amounts(db, how)
        deps = Deps(support.principal(db, WEST_MANAGER), db, support.CLOCK, Settings(database_url=any_db_url))
        for shape in SHAPES:
            every = query(deps, QueryInput.model_validate({**shape, "group_by": "account", "limit": 200}))
            assert len(every.rows) > 10, shape
            for limit in (1, 3, 5):
                leading = query(deps, QueryInput.model_validate({**shape, "group_by": "account", "limit": limit}))
                expected = _shown(every.rows, limit)
                assert [(r.key, r.value, r.count) for r in leading.rows] == [
                    (r.key, r.value, r.count) for r in expected
                ], (shape, limit)
                assert (leading.value, leading.count, leading.by_currency) == (
                    every.value,
                    every.count,
                    every.by_currency,
                ), (shape, limit)
    engine.dispose()
