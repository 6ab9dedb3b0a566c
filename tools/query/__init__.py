"""The query tool: one typed, read-only question over a set of CRM records (see tools/query/spec.py)."""

from assistant.crm.deps import Deps
from tools.query.run import run_query
from tools.query.spec import QueryInput, QueryResultPublic

__all__ = ["QueryInput", "QueryResultPublic", "query"]


def query(deps: Deps, args: QueryInput) -> QueryResultPublic:
    """Count, total, average, median, min/max, win rate or lead conversion over deals, accounts, contacts,
    leads, activities or tasks the person can see; or list them. Filter by owner ("me", "my_team" or user
    ids), team, stage names, status (deals: open/won/lost/closed), a period on a date field, amount range,
    industry, region, lead source, activity type, empty fields (`missing`), overdue, no activity in N days.
    Group by stage, owner, account, industry, region, month, quarter, year, source, status or type; or
    compare periods, people or teams side by side. The answer states what was computed in `description`.

    Use it for "average value of what I won last quarter", "open pipeline per account, biggest first",
    "deal count by stage", "deals without a next step", "my win rate this quarter vs last".
    """
    return run_query(deps, args)
