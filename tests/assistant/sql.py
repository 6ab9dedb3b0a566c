"""What the offline-brain tests check answers against: SQL over the demo data, and the answer's own parts."""

from typing import Any

from sqlalchemy import text

DEALS = "FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON u.id = d.owner_id"
"""deals with their stage and owner, for the figures an answer must state"""
EAST_MANAGER = "david.kim@dealwise.demo"


def rows(db, sql: str, **params: Any) -> list[Any]:
    return list(db.execute(text(sql), params).all())


def money(value: float) -> str:
    """A figure as answers write dollars: $1,234,500."""
    return f"${value:,.0f}"


def tool(response) -> str:
    """The first tool the answer called ('' when none)."""
    return response.tool_calls[0].name if response.tool_calls else ""
