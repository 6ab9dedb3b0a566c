"""What the offline-brain tests check answers against: SQL over the demo data, and the answer's own parts."""

from datetime import date
from typing import Any

from sqlalchemy import text

DEALS = "FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON u.id = d.owner_id"
"""deals with their stage and owner, for the figures an answer must state"""
EAST_MANAGER = "david.kim@dealwise.demo"
ERIN = "erin.chen@dealwise.demo"
JACK = "jack.miller@dealwise.demo"
NINA = "nina.rossi@dealwise.demo"
OMAR = "omar.haddad@dealwise.demo"
SAM = "sam.taylor@dealwise.demo"
OPEN = "s.is_closed = 0"
WON = "s.is_closed = 1 AND s.is_won = 1"
LOST = "s.is_closed = 1 AND s.is_won = 0"
WEST = "u.team_id = (SELECT id FROM teams WHERE name = 'West')"
EAST = "u.team_id = (SELECT id FROM teams WHERE name = 'East')"
"""the demo's reps, and the SQL conditions the offline-brain tests build their expected figures from"""


def rows(db, sql: str, **params: Any) -> list[Any]:
    return list(db.execute(text(sql), params).all())


def money(value: float) -> str:
    """A figure as answers write dollars: $1,234,500."""
    return f"${value:,.0f}"


def day(value: object) -> str:
    """An ISO date or timestamp as answers write a day: Oct 29, 2026."""
    return date.fromisoformat(str(value)[:10]).strftime("%b %-d, %Y")


def tool(response) -> str:
    """The first tool the answer called ('' when none)."""
    return response.tool_calls[0].name if response.tool_calls else ""
