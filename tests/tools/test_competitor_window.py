"""The competitor-mention count over an explicit window, checked against the texts in the database."""

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.deps import Deps
from assistant.crm.models import Activity, CallRecording
from assistant.crm.settings import Settings
from tests import support
from tests.support import WEST_MANAGER
from tools.insights import CompetitorMentionsInput, competitor_mentions


def _texts(db: Session, email: str, start: date, end: date) -> list[str]:
    principal = support.principal(db, email)
    low, high = datetime.combine(start, time.min), datetime.combine(end, time.max)
    activities = db.execute(
        select(Activity.subject, Activity.body).where(
            scope_for(principal, Activity), Activity.occurred_at >= low, Activity.occurred_at <= high
        )
    ).all()
    calls = db.scalars(
        select(CallRecording.transcript).where(
            scope_for(principal, CallRecording), CallRecording.created_at >= low, CallRecording.created_at <= high
        )
    ).all()
    return [f"{subject} {body or ''}".lower() for subject, body in activities] + [(t or "").lower() for t in calls]


def test_an_explicit_window_counts_only_the_texts_inside_it(db: Session, settings: Settings) -> None:
    deps = Deps(support.principal(db, WEST_MANAGER), db, support.CLOCK, settings)
    q3 = competitor_mentions(deps, CompetitorMentionsInput(start=date(2026, 7, 1), end=date(2026, 9, 30)))
    texts = _texts(db, WEST_MANAGER, date(2026, 7, 1), date(2026, 9, 30))
    assert q3.texts_read == len(texts) and q3.until == date(2026, 9, 30)
    for row in q3.competitors:
        assert row.mentions == sum(row.name.lower() in text for text in texts)
    since = competitor_mentions(deps, CompetitorMentionsInput(start=date(2026, 8, 1)))
    assert since.since == date(2026, 8, 1) and since.until is None
