"""Migrations match the models on both databases; demo data is deterministic and realistic."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.db import make_engine
from assistant.crm.migrate import check
from assistant.crm.models import Account, Activity, Deal, Stage, User
from ingest.demo import generate


def test_migrations_match_models(any_db_url: str):
    engine = make_engine(any_db_url)
    check(engine)
    engine.dispose()


def _snapshot(session: Session) -> list[tuple]:
    rows = session.execute(select(Deal.name, Deal.amount, Deal.close_date, Deal.owner_id).order_by(Deal.id))
    return [tuple(row) for row in rows]


def test_demo_is_deterministic_for_a_seed(tmp_path):
    from assistant.crm.migrate import upgrade

    snapshots = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade(engine)
        with Session(engine) as session:
            generate(session, size="small", seed=seed, today=date(2026, 1, 10))
            session.commit()
            snapshots.append(_snapshot(session))
        engine.dispose()
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]


def test_demo_has_the_shape_people_talk_about(db: Session):
    assert db.scalar(select(func.count()).select_from(Account)) == 60
    roles = dict(db.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles == {"admin": 1, "manager": 2, "rep": 6}
    by_stage = dict(db.execute(select(Stage.name, func.count(Deal.id)).join(Deal).group_by(Stage.name)).all())
    assert by_stage.get("Closed Won", 0) > 5 and by_stage.get("Closed Lost", 0) > 5
    assert sum(by_stage.get(s, 0) for s in ("Prospecting", "Qualification", "Proposal", "Negotiation")) > 30
    today = date(2026, 11, 20)
    open_deals = db.scalars(select(Deal).join(Stage).where(Stage.is_closed.is_(False))).all()
    assert any(d.close_date < today for d in open_deals), "some open deals are slipping past their close date"
    assert any(d.close_date > today for d in open_deals)
    kinds = set(db.scalars(select(Activity.type).distinct()))
    assert {"call", "email", "meeting", "note", "task"} <= kinds
    bodies = " ".join(db.scalars(select(Activity.body).where(Activity.body.is_not(None)).limit(400)))
    for word in ("pricing", "budget", "Northwind CRM", "proposal"):
        assert word.lower() in bodies.lower()
