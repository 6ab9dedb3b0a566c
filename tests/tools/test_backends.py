"""Every tool runs on SQLite and PostgreSQL alike (dialect-specific SQL would fail here)."""

from collections.abc import Callable

from sqlalchemy import select

from assistant.crm.db import session_factory
from assistant.crm.deps import Deps
from assistant.crm.models import Deal
from assistant.crm.settings import Settings
from tests import support
from tests.support import WEST_MANAGER
from tests.support.tools import READ_CALLS
from tools.registry import TOOLSET, get_tool


def test_tools_on_each_backend(any_db_url: str, settings_for: Callable[..., Settings]) -> None:
    settings = settings_for(any_db_url)
    with session_factory(settings)() as session:
        deps = Deps(support.principal(session, WEST_MANAGER), session, support.CLOCK, settings)
        for name, args in READ_CALLS:
            assert get_tool(name).run(deps, args).records, name
        deal_id = session.scalars(select(Deal.id).where(Deal.owner_id.in_(deps.principal.visible_owner_ids))).first()
        get_tool("get_deal").run(deps, {"deal_id": deal_id})
        get_tool("draft_followup_email").run(deps, {"deal_id": deal_id})
        proposal = get_tool("update_deal").run(deps, {"deal_id": deal_id, "next_step": "Call the CFO"})
        result = TOOLSET.writes["update_deal"].apply(deps, proposal.payload)
        assert session.get(Deal, deal_id).next_step == "Call the CFO"
        TOOLSET.writes["update_deal"].undo(deps, result)
        assert session.get(Deal, deal_id).next_step == proposal.changes[0].old
