"""A query's answer in words: what was computed, the figure, the groups or records, and what was not done.

Every figure comes from the query result; amounts carry their currency and are never added across
currencies; the first sentence repeats the result's own description of what was computed.
"""

import calendar
import re
from datetime import date
from typing import Any

from tools.query.spec import QueryItem, QueryResultPublic, QueryRow

SHOWN_ITEMS = 25
SHOWN_ROWS = 15
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


SHORT_RANKING = 3
"""a ranking of this many groups or fewer is shown whole even when one leader was asked for"""


def money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:,.0f}" if value == round(value) or abs(value) >= 100 else f"{value:,.2f}"
    code = (currency or "USD").upper()
    symbol = SYMBOLS.get(code)
    return f"{symbol}{text}" if symbol else f"{text} {code}"


def day(value: date | None) -> str:
    return f"{value:%b} {value.day}, {value.year}" if value else "not set"


def figure(result: QueryResultPublic, value: float | None, currency: str | None = None) -> str:
    if value is None:
        return "n/a"
    if result.measure in ("win_rate", "conversion_rate") or result.field == "probability":
        return f"{value:.1f}%".replace(".0%", "%")
    if result.measure in ("count", "distinct", "list"):
        return f"{int(value):,}"
    if result.field in ("days_to_close", "days_since_activity", "age_days"):
        return f"{value:,.1f} days".replace(".0 days", " days")
    if result.field in ("amount", "weighted_amount"):
        return money(value, currency or result.currency)
    return f"{value:,.1f}".replace(".0", "") if value != round(value) else f"{int(value):,}"


def key(label: str) -> str:
    """A calendar bucket as people write it: '2026-03' is 'Mar 2026', '2026-Q4' is 'Q4 2026'."""
    if month := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return f"{calendar.month_abbr[int(month[2])]} {month[1]}"
    if quarter := re.fullmatch(r"(\d{4})-(Q[1-4])", label):
        return f"{quarter[2]} {quarter[1]}"
    return label


def _one_owner(result: QueryResultPublic) -> bool:
    """A list kept to the asker's or one person's records: no owner to repeat on every line."""
    return " of yours" in result.description or " owned by " in result.description


def _several_owners(result: QueryResultPublic) -> bool:
    """Whether a list holds several people's records: then each line says whose it is."""
    return len({item.owner for item in result.items if item.owner}) > 1


CREATED_ASKED = re.compile(r"\b(?:oldest|newest|created|opened|added)\b")
"""a list about when deals were made: each deal's line says when"""


def _item_line(item: QueryItem, result: QueryResultPublic) -> str:
    if item.type == "deal":
        parts = [money(item.amount, item.currency), item.stage or ""]
        if item.status == "open":
            parts.append(f"close {day(item.close_date)}")
        elif item.close_date:
            parts.append(f"{item.status} {day(item.close_date)}")
        if item.when is not None and CREATED_ASKED.search(result.description):  # "the oldest", "created in Q3"
            parts.append(f"created {day(item.when)}")
        if result.field == "days_to_close" and item.days is not None:
            parts.append(f"{item.days} days to close")
        elif item.last_activity is not None or "activity" in result.description:
            touched = "recently touched" in result.description and item.days is not None
            ago = f" ({item.days} days ago)" if touched else ""
            touch = f"last activity {day(item.last_activity)}{ago}" if item.last_activity else "no activity logged"
            parts.append(touch)
        if item.owner:
            parts.append(f"owner {item.owner}")
        if item.contact:  # one deal picked out: who to ring about it
            parts.append(f"primary contact {item.contact}")
        if item.detail:
            parts.append(f"next step: {item.detail}")
        return f"{item.name}: " + ", ".join(p for p in parts if p)
    if item.type == "activity":
        when = f"due {day(item.due_date)}" if item.due_date else day(item.when)
        where = f" ({item.deal})" if item.deal else f" ({item.account})" if item.account else ""
        kind = f"{item.detail}: " if item.detail and item.detail != "task" else ""
        whose = "owner" if item.detail == "task" else "by"
        picked = result.count > len(result.items)  # "the oldest overdue task across the company": whose it is
        several = _several_owners(result) or picked
        owner = f", {whose} {item.owner}" if item.owner and not _one_owner(result) and several else ""
        return f"{kind}{item.name}{where}, {when}{owner}"
    if item.type == "lead":
        touched = f", last activity {day(item.last_activity)}" if item.last_activity else ", no activity logged"
        company = f" ({item.account})" if item.account else ""
        owner = f", owner {item.owner}" if item.owner and not _one_owner(result) else ""
        score = f", score {item.score}" if item.score is not None else ""
        score += f", source {item.detail}" if item.detail else ""
        few = len(result.items) <= FEW_LEADS
        reach = ", ".join(value for value in (item.email, item.phone) if value) if few else ""
        reach = f", {reach}" if reach else ""  # a few leads in view: how to reach them too
        title = f", {item.title}" if item.title else ""
        return f"{item.name}{company}: {item.status}{score}{title}{owner}{reach}{touched}"
    extra = f" at {item.account}" if item.account else ""
    detail = f", {item.detail}" if item.detail else ""
    detail += f", {item.employees:,} employees" if item.employees is not None else ""
    reach = ", ".join(value for value in (item.email, item.phone) if value)
    detail += f" ({reach})" if reach else ""
    if item.type == "account" and item.owner and _several_owners(result):
        detail += f", owner {item.owner}"  # "say whose account each one is"
    if item.type in ("account", "contact") and "activity" in result.description:  # "… no call in 60 days": when, then
        detail += f", last activity {day(item.last_activity)}" if item.last_activity else ", no activity logged"
    return f"{item.name}{extra}{detail}"


FEW_LEADS = 5
"""at most this many leads listed: each line says how to reach them"""


def _row_line(row: QueryRow, result: QueryResultPublic) -> str:
    noun = result.object.removesuffix("s") if row.count == 1 else result.object
    noun = noun.replace("activitie", "activity")
    value = figure(result, row.value, row.currency)
    if result.measure == "count" and row.amount is not None:
        return f"{key(row.key)}: {value} {noun}, {money(row.amount, row.currency)}"
    if result.measure in ("count", "distinct"):
        return f"{key(row.key)}: {value}"
    if row.hits is not None and result.measure in ("win_rate", "conversion_rate"):
        done = "won" if result.measure == "win_rate" else "converted"
        missed = f", {row.count - row.hits} lost" if result.measure == "win_rate" else ""
        return f"{key(row.key)}: {value} ({row.hits} of {row.count} {noun} {done}{missed})"
    if row.amount is not None and result.field == "weighted_amount":  # "both the raw total and the weighted"
        return (
            f"{key(row.key)}: {value} weighted ({row.count} {noun}, {money(row.amount, row.currency)} before weighting)"
        )
    if row.amount is not None and result.measure in ("avg", "median"):  # "… and average deal size for each team"
        return f"{key(row.key)}: {value} ({row.count} {noun}, {money(row.amount, row.currency)} in total)"
    return f"{key(row.key)}: {value} ({row.count} {noun})"


def _superlative(result: QueryResultPublic) -> str:
    """'biggest open pipeline', 'most open deals', 'lowest win rate', 'quickest average close'…"""
    high = result.ranked != "asc"
    noun = result.object
    status = next((w for w in ("open", "won", "lost") if f" {w} " in f" {result.description.lower()} "), "")
    if result.measure == "count":
        return f"{'most' if high else 'fewest'} {status + ' ' if status else ''}{noun}"
    if result.measure in ("win_rate", "conversion_rate"):
        rate = "win rate" if result.measure == "win_rate" else "lead conversion rate"
        return f"{'highest' if high else 'lowest'} {rate}"
    if result.field == "days_to_close":
        return "slowest average close (most days)" if high else "quickest average close (fewest days)"
    if result.measure in ("min", "max") and result.field == "amount":
        return f"{'largest' if high else 'smallest'} single {status + ' ' if status else ''}deal"
    if result.field == "amount" and result.measure in ("avg", "median"):
        return f"{'highest' if high else 'lowest'} {word_of(result.measure)} {status + ' ' if status else ''}deal size"
    if result.field in ("amount", "weighted_amount") and status == "open":
        what = "open pipeline" if result.field == "amount" else "weighted open pipeline"
        return f"{'biggest' if high else 'smallest'} {what}"
    word = {"sum": "total", "avg": "average", "median": "median", "min": "smallest", "max": "largest"}
    field = (result.field or "amount").replace("_", " ")
    return f"{'highest' if high else 'lowest'} {word.get(result.measure, '')} {status + ' ' if status else ''}{field}"


def word_of(measure: str) -> str:
    return "median" if measure == "median" else "average"


def _amounts(result: QueryResultPublic) -> str:
    return "; ".join(money(t.value, t.currency) for t in result.amounts)


def _totals(result: QueryResultPublic) -> str:
    if result.by_currency:
        return "; ".join(f"{money(t.value, t.currency)} over {t.count}" for t in result.by_currency)
    said = figure(result, result.value, result.currency)
    if result.measure == "count" and result.object == "deals" and result.rows and len(result.amounts) == 1:
        total = result.amounts[0]  # "how many per rep, and what's that worth all together"
        return f"{said} deals, {money(total.value, total.currency)}"
    return said


def _grouped_comparison(result: QueryResultPublic) -> list[str]:
    """Each group's figure on every side ("Sam Taylor: Q2 2026 $40,000 (2) → Q3 2026 $65,000 (3), up $25,000"),
    then who went up and who went down, earlier to later, when two periods are compared."""
    sides = list(dict.fromkeys(row.side for row in result.rows if row.side))
    if result.compared_by == "period":
        starts = {row.side: row.start for row in result.rows if row.start is not None}
        sides.sort(key=lambda side: starts.get(side) or date.min)
    cells = {(row.key, row.side): row for row in result.rows}
    lines: list[str] = []
    went_up: list[str] = []
    went_down: list[str] = []
    for group in dict.fromkeys(row.key for row in result.rows):
        shown = []
        for side in sides:
            cell = cells.get((group, side))
            counted = f" ({cell.count})" if cell is not None and result.measure != "count" else ""
            if cell is not None and result.measure == "count" and cell.amount is not None:
                counted = f" ({money(cell.amount, cell.currency)})"  # "won: West 11 ($365,000) → East 9 (…)"
            value = figure(result, cell.value, cell.currency) + counted if cell and cell.value is not None else "none"
            shown.append(f"{side} {value}")
        line = f"- {key(group)}: " + " → ".join(shown)
        change = next((cells[(group, s)].change for s in sides if (group, s) in cells and cells[(group, s)].change
                       is not None), None)  # fmt: skip
        if change is not None:
            gap = figure(result, abs(change), next((r.currency for r in result.rows if r.key == group), None))
            line += f", up {gap}" if change > 0 else f", down {gap}" if change < 0 else ", no change"
            (went_up if change > 0 else went_down if change < 0 else []).append(key(group))
        lines.append(line)
    if len(sides) == 2 and any(row.change is not None for row in result.rows):
        lines.append(f"Up from {sides[0]} to {sides[1]}: {', '.join(went_up) or 'none'}.")
        lines.append(f"Down: {', '.join(went_down) or 'none'}.")
        changed = [row for row in result.rows if row.change]
        rise = max(changed, key=lambda row: row.change or 0.0, default=None)
        fall = min(changed, key=lambda row: row.change or 0.0, default=None)
        if rise is not None and (rise.change or 0) > 0:  # "which of my reps improved most from Q3 to Q4"
            lines.append(f"Biggest rise: {key(rise.key)}, up {figure(result, rise.change, rise.currency)}.")
        if fall is not None and (fall.change or 0) < 0:
            lines.append(f"Biggest fall: {key(fall.key)}, down {figure(result, abs(fall.change or 0), fall.currency)}.")
    return lines


def _comparison(result: QueryResultPublic) -> list[str]:
    if any(row.side for row in result.rows):
        return _grouped_comparison(result)
    lines = [f"- {_row_line(row, result)}" if row.value is not None else f"- {row.key}: {_no_value(row, result)}"
             for row in result.rows]  # fmt: skip
    shown = [r for r in result.rows if r.value is not None]
    if result.difference is not None and len(shown) == 2:
        first, second = shown
        if result.difference == 0:
            level = f"{first.key} and {second.key} are level."
            lines.append(level[0].upper() + level[1:])
        else:
            higher, lower = (first, second) if result.difference > 0 else (second, first)
            gap = figure(result, abs(result.difference), first.currency or second.currency)
            if result.measure in ("win_rate", "conversion_rate"):
                gap = gap.replace("%", " percentage points")
            if result.field == "days_to_close":
                sentence = f"{lower.key} closes faster than {higher.key}, by {gap} on average."
            elif result.measure in ("sum", "count") and "lost" in result.description:
                sentence = f"{higher.key} lost more than {lower.key}, by {gap}."
            else:
                sentence = f"{higher.key} is higher than {lower.key} by {gap}."
            lines.append(sentence[0].upper() + sentence[1:])
    return lines


def _no_value(row: QueryRow, result: QueryResultPublic) -> str:
    if row.key in result.hidden_owners:
        return "not visible to you"
    return f"no {result.object} to measure (0 {result.object})"


def _none_found(result: QueryResultPublic) -> str:
    """'None found: there are no won deals across the company closed in 2025, so there is no one to rank.'"""
    description = result.description
    grouped = re.search(r",? per ([\w ]+)$", description)
    core = description[: grouped.start()] if grouped else description
    subject = re.search(r"^(?:The 0 |.*?\bof the 0 |The number of )(.+)$", core)
    if subject is None:
        return f"None found: {description[0].lower() + description[1:]} is 0."
    ranking = f", so there is no {grouped[1]} to rank" if grouped and result.ranked else ""
    summed = result.measure in ("sum", "count") or (result.measure == "list" and result.object == "deals")
    zero = money(0, result.currency) if result.measure == "list" else figure(result, 0)
    total = f" ({zero} in total)" if summed and not ranking else ""
    if re.search(r"\bnamed (?:like )?['\u2018\u201c\"]", subject[1]) and not grouped:
        return f"I can't find any {subject[1]}."  # "my Tyrell Biotech expansion deal" where there is none
    return f"None found: there are no {subject[1]}{total}{ranking}."


def render_query(result: QueryResultPublic, leaders_only: bool = False, both_ends: bool = False) -> str:
    """The answer text for one query result; ``leaders_only``: a ranking asked for its one leader ("which rep has
    the lowest…") names the leader (every one on a tie) and says how many were compared, not the others, unless
    the ranking is short enough to show whole."""
    lines: list[str] = []
    description = result.description
    if result.hidden_owners and result.count == 0 and not result.compared_by:
        names = " and ".join(result.hidden_owners)
        return (
            f"I can't answer that for {names}: you can't see {names}'s {result.object}, so I won't give their figures."
        )
    if result.count == 0 and not result.rows:
        lines.append(_none_found(result))
    elif result.compared_by:
        lines.append(f"{description}:")
        lines.extend(_comparison(result))
    elif result.group_by and result.measure != "distinct" and result.ranked and result.rows:
        top = result.rows[0]
        extra = f" ({money(top.amount, top.currency)})" if result.measure == "count" and top.amount is not None else ""
        tied = [key(row.key) for row in result.rows if row.value == top.value and row.currency == top.currency]
        who = f"{key(top.key)} has" if len(tied) < 2 else f"{', '.join(tied[:-1])} and {tied[-1]} are tied for"
        extra = extra if len(tied) < 2 else ""
        lines.append(f"{who} the {_superlative(result)}: {figure(result, top.value, top.currency)}{extra}.")
        bottom = result.rows[-1]
        if both_ends and len(result.rows) > len(tied):
            lines.append(f"At the other end, {key(bottom.key)}: {figure(result, bottom.value, bottom.currency)}.")
        if leaders_only and not both_ends and len(result.rows) > max(len(tied), SHORT_RANKING):
            leaders = "leader" if len(tied) < 2 else "leaders"
            lines.append(f"{description} ({len(result.rows)} compared), the {leaders}:")
            lines.extend(f"- {_row_line(row, result)}" for row in result.rows[: max(1, len(tied))])
            if result.measure in ("sum", "count") and result.value is not None:
                lines.append(f"Overall: {_totals(result)}.")  # "how many, and who's got them"
        else:
            lines.append(f"{description}:")
            lines.extend(f"- {_row_line(row, result)}" for row in result.rows[:SHOWN_ROWS])
            whole = result.measure in ("sum", "count") and result.value is not None
            if whole and 1 < len(result.rows) <= SHORT_RANKING:  # "how much did West win, and who brought in most"
                lines.append(f"Overall: {_totals(result)}.")
    elif result.group_by and result.measure != "distinct":
        if len(result.rows) == 1 and result.rows[0].value is not None:
            top = result.rows[0]
            lines.append(
                f"{key(top.key)}: {figure(result, top.value, top.currency)} — "
                f"{description[0].lower() + description[1:]}."
            )
        else:
            lines.append(f"{description}:")
            lines.extend(f"- {_row_line(row, result)}" for row in result.rows[:SHOWN_ROWS])
            if len(result.rows) > SHOWN_ROWS:
                lines.append(f"…and more ({len(result.rows)} groups in all).")
            if result.value is not None or result.by_currency:
                lines.append(f"Overall: {_totals(result)}.")
    elif result.measure == "distinct":
        lines.append(f"{figure(result, result.value)} — {description[0].lower() + description[1:]}:")
        lines.extend(f"- {row.key} ({row.count})" for row in result.rows[:SHOWN_ROWS])
    elif result.measure == "list":
        total = f" ({_amounts(result)} in total)" if result.amounts else ""
        lines.append(f"{description}{total}:")
        lines.extend(f"- {_item_line(item, result)}" for item in result.items[:SHOWN_ITEMS])
        if result.count > min(len(result.items), SHOWN_ITEMS):
            lines.append(f"…and more ({result.count} in all).")
    else:
        summed = result.measure in ("count", "avg", "median")  # a count or an average says what it adds up to
        total = f" ({_amounts(result)} in total)" if result.amounts and summed else ""
        if result.amounts and result.field == "weighted_amount" and result.group_by is None:
            total = f" ({_amounts(result)} unweighted)"
        counted = description.removeprefix("The number of ")
        if result.hits is not None and result.measure in ("win_rate", "conversion_rate"):
            done, other = ("won", "lost") if result.measure == "win_rate" else ("converted", "not converted")
            total = f" ({result.hits} {done}, {result.misses} {other})"
        if result.measure == "count" and counted != description and result.value is not None:
            lines.append(f"{_totals(result)} {counted}{total}.")
        else:
            lines.append(f"{description}: {_totals(result)}{total}.")
        if result.items:
            every = len(result.items) >= result.count
            lines.append("They are:" if every else "The biggest:")
            lines.extend(f"- {_item_line(item, result)}" for item in result.items[: len(result.items) if every else 5])
            if result.smallest is not None and not every:
                lines.append(f"The smallest: {_item_line(result.smallest, result)}")
    for note in result.notes:
        lines.append(f"Note: {note}.")
    return "\n".join(lines)


def render_limits(leftovers: list[str], unknown_group: str | None, notes: list[str]) -> str:
    """What the answer did not do, said plainly (empty when everything was used)."""
    lines = [f"Note: {note}." for note in notes]
    if unknown_group:
        lines.append(
            f"I can't group by \u201c{unknown_group}\u201d: it isn't something Dealwise tracks, "
            "so the figures are not split that way."
        )
    if leftovers:
        quoted = ", ".join(f"\u201c{word}\u201d" for word in leftovers)
        lines.append(f"I didn't use {quoted}: I don't have that in the CRM, so the answer above leaves it out.")
    return "\n".join(lines)


def as_result(data: Any) -> QueryResultPublic:
    return data if isinstance(data, QueryResultPublic) else QueryResultPublic.model_validate(data)
