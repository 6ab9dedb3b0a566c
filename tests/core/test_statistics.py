"""ANALYZE on SQLite and a column that is NULL on almost every row (activities.lead_id): the statistic SQLite keeps
for its index says every row shares one key, and a per-lead lookup then walks another index over every activity
(a leads list on the medium demo set took a minute). refresh_statistics drops such statistics."""

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from assistant.crm.db import make_engine, refresh_statistics


def test_a_mostly_null_column_keeps_its_index_lookups(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'stats.db'}")
    with Session(engine) as session:
        session.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, lead_id INTEGER, kind TEXT, at TEXT)"))
        session.execute(text("CREATE INDEX ix_events_lead ON events (lead_id)"))
        session.execute(text("CREATE INDEX ix_events_at ON events (at)"))
        session.execute(text("CREATE INDEX ix_events_kind ON events (kind)"))
        rows = [{"lead": 7 if i % 500 == 0 else None, "kind": f"k{i % 5}", "at": f"2026-01-{i % 28 + 1:02d}"}
                for i in range(3000)]  # fmt: skip
        session.execute(text("INSERT INTO events (lead_id, kind, at) VALUES (:lead, :kind, :at)"), rows)
        refresh_statistics(session)
        kept = dict(session.execute(text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'events'")).all())
        plan = " ".join(
            str(row[-1])
            for row in session.execute(text("EXPLAIN QUERY PLAN SELECT max(at) FROM events WHERE lead_id = 7"))
        )
    assert "ix_events_lead" not in kept
    assert "ix_events_kind" in kept and "ix_events_at" in kept
    assert "ix_events_lead" in plan, plan
