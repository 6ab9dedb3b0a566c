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

from assistant.crm.access import scope_for
from assistant.crm.models import Activity, Team, User
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


PER_OWNER_MEASURES = (
    "won_amount",
    "won_count",
    "lost_count",
    "win_rate",
    "cycle_days",
    "lead_conversion",
    "open_pipeline",
    "open_count",
)
ADDITIVE = {"won_amount", "won_count", "lost_count", "open_pipeline", "open_count"}


def _cycle_days(row: dict[str, Any]) -> int:
    end = row["closed_at"].date() if row["closed_at"] else row["close_date"]
    return max(0, (end - row["created_at"].date()).days)


def _owner_figure(measure: str, rows: list[dict[str, Any]]) -> float | None:
    won = [row for row in rows if row.get("status") == "won"]
    closed = [row for row in rows if row.get("status") in ("won", "lost")]
    open_rows = [row for row in rows if row.get("status") == "open"]
    if measure == "won_amount":
        return float(sum(float(row["amount"]) for row in won))
    if measure == "won_count":
        return float(len(won))
    if measure == "lost_count":
        return float(len(closed) - len(won))
    if measure == "open_pipeline":
        return float(sum(float(row["amount"]) for row in open_rows))
    if measure == "open_count":
        return float(len(open_rows))
    if measure == "win_rate":
        return round(100 * len(won) / len(closed), 1) if closed else None
    if measure == "cycle_days":
        return round(sum(_cycle_days(row) for row in won) / len(won), 1) if won else None
    if not rows:
        return None
    return round(100 * sum(row["status"] == "converted" for row in rows) / len(rows), 1)


def _reps_in_scope(context: QueryContext, args: dict[str, Any]) -> dict[int, str]:
    query = select(User.id, User.name).where(User.role == "rep")
    scope = args.get("scope", "all")
    visible = None if scope == "all" else _scope_principal(scope, context).visible_owner_ids
    if visible is not None:
        query = query.where(User.id.in_(sorted(visible)))
    if args.get("team"):
        query = query.where(User.team_id.in_(select(Team.id).where(func.lower(Team.name) == args["team"].lower())))
    return {user_id: name for user_id, name in context.session.execute(query)}


def per_owner_figures(context: QueryContext, args: dict[str, Any]) -> dict[str, float]:
    """Each rep's figure (reps the scope sees, of the team when given): rows in start..end grouped by owner."""
    measure = args.get("measure", "won_amount")
    if measure not in PER_OWNER_MEASURES:
        raise ValueError(f"per_owner: unknown measure {measure!r}; known: {PER_OWNER_MEASURES}")
    reps = _reps_in_scope(context, args)
    filters = {key: value for key, value in args.items() if key in ("scope", "team", "start", "end")}
    if measure == "lead_conversion":
        rows = _rows(context, "leads", filters, "created_at")
    else:
        rows = _rows(context, "deals", filters, "close_date")
    grouped: dict[str, list[dict[str, Any]]] = {name: [] for name in reps.values()}
    for row in rows:
        if row["owner_name"] in grouped:
            grouped[row["owner_name"]].append(row)
    figures = {name: _owner_figure(measure, members) for name, members in grouped.items()}
    return {name: value for name, value in figures.items() if value is not None}


@named_query("per_owner")
def per_owner(context: QueryContext, args: dict[str, Any]) -> Any:
    """A figure per rep, then `pick`: top / bottom (the rep names, all of them on a tie), value (one rep's
    figure: `owner` is an email or `me`), or all (names and figures, best first).

    measure: won_amount, won_count, lost_count (closed deals with a close date in start..end), win_rate
    (won / closed, %), cycle_days (mean days from creation to close of won deals), lead_conversion
    (converted / leads created in start..end, %), open_pipeline, open_count. Reps with no figure (no closed
    deal for a win rate, no lead for a conversion rate) are left out; additive figures start at zero."""
    figures = per_owner_figures(context, args)
    pick = args.get("pick", "top")
    if pick == "value":
        owner = resolve_value(args.get("owner", "me"), "owner", context)
        name = context.session.scalar(select(User.name).where(func.lower(User.email) == str(owner).lower()))
        return figures.get(str(name))
    if not figures:
        return None
    if pick == "all":
        ordered = sorted(figures.items(), key=lambda item: (-item[1], item[0]))
        return [part for name, value in ordered for part in (name, value)]
    best = max(figures.values()) if pick == "top" else min(figures.values())
    return sorted(name for name, value in figures.items() if value == best)
