"""The flat query a model is given stands for the structured one: its title and score filters reach the query tool."""

from sqlalchemy import select

from assistant.crm.deps import Deps
from assistant.crm.models import Contact, Lead
from tests import support
from tests.support import ADMIN
from tools.query import query
from tools.surface import FlatQueryInput, structured


def test_a_models_title_and_score_filters_narrow_the_records(db, settings) -> None:
    deps = Deps(support.principal(db, ADMIN), db, support.CLOCK, settings)
    cfos = {c.id for c in db.scalars(select(Contact)) if "financial" in (c.title or "").lower()}
    contacts = query(deps, structured(deps, FlatQueryInput(object="contacts", title="Financial", limit=200)))
    assert {item.id for item in contacts.items} == cfos and cfos
    hot = {lead.id for lead in db.scalars(select(Lead)) if (lead.score or 0) >= 70}
    leads = query(deps, structured(deps, FlatQueryInput(object="leads", score_min=70, limit=200)))
    assert {item.id for item in leads.items} == hot and hot
