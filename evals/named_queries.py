"""Named queries for facts that need more than one aggregate: `{named: NAME, args: {...}}`.

Each computes a documented sales definition straight from the tables, independently of the tools,
so a case checks the tool's figure against the definition, not against itself.

Common args: owner (an email or `me`), team (a team name), scope (`me`, `all` or an email: what that
person may see), start / end (dates or `today±Nd`, inclusive, on the deal's close date or the lead's
creation date).
"""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from assistant.crm.models import Activity
from evals.facts import ENTITIES, QueryContext, _condition, _scope_principal, named_query, resolve_value


def _rows(context: QueryContext, entity: str, args: dict[str, Any], date_field: str, **where: Any) -> list[dict]:
    spec = ENTITIES[entity]
    base, fields = spec.base()
    conditions = dict(where)
    if args.get("owner"):
        conditions["owner"] = args["owner"]
    if args.get("team"):
        conditions["team"] = args["team"]
    for name, value in conditions.items():
        base = base.where(_condition(fields[name], value, name, context))
    start, end = (
        resolve_value(args.get("start"), date_field, context),
        resolve_value(args.get("end"), date_field, context),
    )
    column = fields[date_field]
    if start is not None:
        base = base.where(
            column >= (start if date_field == "close_date" else datetime.combine(start, datetime.min.time()))
        )
    if end is not None:
        base = base.where(
            column <= end
            if date_field == "close_date"
            else column < datetime.combine(end + timedelta(days=1), datetime.min.time())
        )
    scope = args.get("scope", "all")
    if scope != "all":
        from assistant.crm.access import scope_for

        base = base.where(scope_for(_scope_principal(scope, context), spec.model))
    names = list(fields)
    query = base.with_only_columns(*[fields[name] for name in names])
    return [dict(zip(names, row, strict=True)) for row in context.session.execute(query)]


@named_query("weighted_pipeline")
def weighted_pipeline(context: QueryContext, args: dict[str, Any]) -> float:
    """Sum of amount x stage probability over open deals (closing in start..end when given)."""
    rows = _rows(context, "deals", args, "close_date", status="open")
    return round(sum(float(row["amount"]) * row["probability"] / 100 for row in rows), 2)


@named_query("win_rate_percent")
def win_rate_percent(context: QueryContext, args: dict[str, Any]) -> float | None:
    """Won / (won + lost) by count, in percent, over deals closed with a close date in start..end."""
    rows = [row for row in _rows(context, "deals", args, "close_date") if row["status"] != "open"]
    if not rows:
        return None
    return round(100 * sum(row["status"] == "won" for row in rows) / len(rows), 1)


@named_query("sales_cycle_average_days")
def sales_cycle_average_days(context: QueryContext, args: dict[str, Any]) -> float | None:
    """Mean days from creation to close over won deals with a close date in start..end."""
    days = []
    for row in _rows(context, "deals", args, "close_date", status="won"):
        end = row["closed_at"].date() if row["closed_at"] else row["close_date"]
        days.append(max(0, (end - row["created_at"].date()).days))
    return round(sum(days) / len(days), 1) if days else None


@named_query("lead_conversion_percent")
def lead_conversion_percent(context: QueryContext, args: dict[str, Any]) -> float | None:
    """Converted / all leads created in start..end, in percent."""
    rows = _rows(context, "leads", args, "created_at")
    if not rows:
        return None
    return round(100 * sum(row["status"] == "converted" for row in rows) / len(rows), 1)


@named_query("top_performer")
def top_performer(context: QueryContext, args: dict[str, Any]) -> str | None:
    """The owner with the highest won amount (or count, with metric: won_count) closing in start..end."""
    totals: dict[str, list[float]] = defaultdict(list)
    for row in _rows(context, "deals", args, "close_date", status="won"):
        totals[row["owner_name"]].append(float(row["amount"]))
    if not totals:
        return None
    metric = (lambda values: len(values)) if args.get("metric") == "won_count" else sum
    return sorted(totals.items(), key=lambda item: (-metric(item[1]), item[0]))[0][0]


@named_query("stale_deal_count")
def stale_deal_count(context: QueryContext, args: dict[str, Any]) -> int:
    """Open deals with no call, email, meeting or note (tasks don't count) since today - days."""
    cutoff = datetime.combine(context.today - timedelta(days=int(args.get("days", 14))), datetime.min.time())
    ids = [row["id"] for row in _rows(context, "deals", args, "close_date", status="open")]
    touched = set(
        context.session.scalars(
            select(Activity.deal_id)
            .where(Activity.deal_id.in_(ids), Activity.type != "task")
            .group_by(Activity.deal_id)
            .having(func.max(Activity.occurred_at) >= cutoff)
        )
    )
    return len([deal_id for deal_id in ids if deal_id not in touched])


@named_query("forecast")
def forecast(context: QueryContext, args: dict[str, Any]) -> float:
    """figure: commit (Negotiation or probability >= 75, plus won) or best_case (also Proposal / >= 50),
    over deals closing in start..end; won deals count at their amount."""
    rows = _rows(context, "deals", args, "close_date")
    won = sum(float(row["amount"]) for row in rows if row["status"] == "won")
    threshold = 75 if args.get("figure", "commit") == "commit" else 50
    stages = {"negotiation"} if threshold == 75 else {"negotiation", "proposal"}
    open_rows = [row for row in rows if row["status"] == "open"]
    chosen = sum(
        float(row["amount"]) for row in open_rows if row["stage"].lower() in stages or row["probability"] >= threshold
    )
    return round(won + chosen, 2)
