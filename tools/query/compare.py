"""Comparisons: the same measure on two or more periods, people or teams, side by side."""

from sqlalchemy import select

from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Team, User
from assistant.crm.schemas.chat import RecordRef
from tools.query.describe import describe, period_phrase
from tools.query.engine import RATES, overall, rate_hits, selection_for
from tools.query.filters import active_reps
from tools.query.groups import grouped_rows
from tools.query.items import matched_refs
from tools.query.spec import PeriodSpec, QueryFilters, QueryInput, QueryResultPublic, QueryRow


def _sides(deps: Deps, q: QueryInput) -> list[tuple[str, QueryFilters, RecordRef | None, bool]]:
    """(label, filters, record link, visible) for each side of the comparison."""
    assert q.compare is not None
    compare, base = q.compare, q.filters
    principal = deps.principal
    if compare.by == "period":
        if len(compare.periods) < 2:
            raise ValidationFailed("compare.periods", "name at least two periods to compare")
        return [(_period_label(p), base.model_copy(update={"period": p}), None, True) for p in compare.periods]
    if compare.by == "owner":
        if len(compare.owner_ids) + len(compare.team_ids) < 2 or not compare.owner_ids:
            raise ValidationFailed("compare.owner_ids", "name at least two people to compare (user ids)")
        names = dict(deps.session.execute(select(User.id, User.name).where(User.id.in_(compare.owner_ids))).all())
        missing = [i for i in compare.owner_ids if i not in names]
        if missing:
            raise ValidationFailed("compare.owner_ids", f"there is no user {missing[0]}; find people by name first")
        visible = principal.visible_owner_ids
        return [
            (
                names[i],
                base.model_copy(update={"owner_ids": [i], "owner": None}),
                RecordRef(type="user", id=i, name=names[i]),
                visible is None or i in visible,
            )
            for i in compare.owner_ids
        ] + _team_sides(deps, compare.team_ids, base, beside_people=True)
    if len(compare.team_ids) < 2:
        raise ValidationFailed("compare.team_ids", "name at least two teams to compare (team ids)")
    return _team_sides(deps, compare.team_ids, base)


def _team_sides(
    deps: Deps, team_ids: list[int], base: QueryFilters, beside_people: bool = False
) -> list[tuple[str, QueryFilters, None, bool]]:
    """A side per team; a team is shown only to someone who may see every member's records (a rep set against
    the whole team would otherwise be compared with their own deals)."""
    session, visible = deps.session, deps.principal.visible_owner_ids
    teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    members = {i: set(session.scalars(select(User.id).where(User.team_id == i))) for i in team_ids}
    update = {"owner_ids": [], "owner": None}
    return [
        (
            f"{teams.get(i, f'team {i}')} team" if beside_people else teams.get(i, f"team {i}"),
            base.model_copy(update={"team_ids": [i], **update}),
            None,
            visible is None or members[i] <= visible,
        )
        for i in team_ids
    ]


def _changes(rows: list[QueryRow], q: QueryInput) -> None:
    """Two sides split into groups: each group gets a row on both (a missing count or sum is 0), and the later
    period's row (else the second side's) carries the change from the other."""
    sides = list(dict.fromkeys(row.side for row in rows))
    if len(sides) != 2:
        return
    if q.compare is not None and q.compare.by == "period":
        first_start = next((r.start for r in rows if r.side == sides[0]), None)
        second_start = next((r.start for r in rows if r.side == sides[1]), None)
        if first_start and second_start and second_start < first_start:
            sides.reverse()
    earlier, later = sides
    cells = {(row.key, row.side, row.currency): row for row in rows}
    for (group, side, currency), row in list(cells.items()):
        other = earlier if side == later else later
        if (group, other, currency) not in cells and q.measure in ("sum", "count"):
            template = next(r for r in rows if r.side == other)
            filler = QueryRow(key=group, value=0.0, count=0, currency=currency, ref=row.ref, side=other,
                              start=template.start, end=template.end)  # fmt: skip
            cells[(group, other, currency)] = filler
            rows.append(filler)
    for (group, side, currency), row in cells.items():
        before = cells.get((group, earlier, currency))
        if side == later and before is not None and row.value is not None and before.value is not None:
            row.change = round(row.value - before.value, 2)


def _counted_twice(deps: Deps, q: QueryInput, rows: list[QueryRow]) -> int:
    """Records on a person's side that the side of their own team counts again ("Nina against East as a whole")."""
    if q.compare is None or q.compare.by != "owner" or not q.compare.team_ids or q.group_by is not None:
        return 0
    teams = dict(deps.session.execute(select(User.id, User.team_id).where(User.id.in_(q.compare.owner_ids))).all())
    people = {ref.id: row.count for row in rows if (ref := row.ref) is not None and ref.type == "user"}
    if any(row.ref is None and row.value is None and not row.count for row in rows):
        return 0  # a team side this person cannot see counted nothing
    return sum(count for person, count in people.items() if teams.get(person) in q.compare.team_ids)


def _reps_of(deps: Deps, team_ids: list[int]) -> int:
    """How many active reps the teams have (the divisor of a team's per-rep average)."""
    return len(list(deps.session.scalars(active_reps(team_ids))))


def _period_label(period: PeriodSpec) -> str:
    return period.label or period_phrase(period).removeprefix("between ").removeprefix("in ")


SAME_AXIS = {"period": ("month", "quarter", "year"), "owner": ("owner", "team"), "team": ("owner", "team")}
"""group-bys that only cut the compared sides again (months of compared months, owners of compared teams)"""


def run_comparison(deps: Deps, q: QueryInput, field: str | None) -> QueryResultPublic:
    if q.compare is not None and q.group_by in SAME_AXIS[q.compare.by]:
        q = q.model_copy(update={"group_by": None})
    session = deps.session
    rows: list[QueryRow] = []
    notes: list[str] = []
    records: list[RecordRef] = []
    counted = 0
    hidden: list[str] = []
    for label, filters, ref, visible in _sides(deps, q):
        start = filters.period.start if q.compare and q.compare.by == "period" and filters.period else None
        end = filters.period.end if q.compare and q.compare.by == "period" and filters.period else None
        if not visible:
            notes.append(f"you cannot see {label}'s {q.object}, so their side is not shown")
            hidden.append(label)
            rows.append(QueryRow(key=label, value=None, count=0, ref=ref))
            continue
        selection, side_notes = selection_for(deps, q, filters)
        notes.extend(n for n in side_notes if n not in notes)
        if q.group_by is not None:  # "each rep's won amount, Q2 against Q3": the groups on every side
            side = q.model_copy(update={"filters": filters, "compare": None, "sort": None, "order": None})
            grouped, (_, count, _, _) = grouped_rows(session, selection, side, field)
            counted += count
            rows.extend(row.model_copy(update={"side": label, "start": start, "end": end}) for row in grouped)
            records.extend(row.ref for row in grouped if row.ref and row.ref not in records)
            continue
        value, count, currency, by_currency = overall(session, selection, q, field)
        if value is None and count == 0 and q.measure in ("sum", "count", "distinct"):
            value = 0.0
        if ref is None and q.compare is not None and q.compare.per_rep and q.measure in ("sum", "count"):
            reps = _reps_of(deps, filters.team_ids)
            label = f"{label} average per rep ({reps} reps)"
            value = round(value / reps, 2) if value is not None and reps else value
            by_currency = (
                [t.model_copy(update={"value": round((t.value or 0) / reps, 2)}) for t in by_currency]
                if reps
                else by_currency
            )
        counted += count
        if by_currency:
            rows.extend(
                QueryRow(key=label, value=t.value, count=t.count, currency=t.currency, ref=ref, start=start, end=end)
                for t in by_currency
            )
        else:
            row = QueryRow(key=label, value=value, count=count, currency=currency, ref=ref, start=start, end=end)
            row.hits = rate_hits(value, count) if q.measure in RATES else None  # "73.3% (11 of 15 deals won)"
            totalled = q.measure == "count" or (q.measure in ("avg", "median") and field == "amount")
            totalled = totalled or (q.measure == "sum" and field == "weighted_amount")  # "raw and weighted"
            if totalled and q.object == "deals" and count:
                summed = q.model_copy(update={"measure": "sum", "field": "amount"})
                amount, _, amount_currency, mixed = overall(session, selection, summed, "amount")
                if not mixed:
                    row.amount, row.currency = amount, amount_currency  # "13 deals, $460,500"
            rows.append(row)
        records.extend([ref] if ref else [])
        records.extend(matched_refs(session, selection, q)[:20])
    if q.group_by is not None:
        _changes(rows, q)
    counted -= _counted_twice(deps, q, rows)
    currencies = {r.currency for r in rows if r.currency}
    shown = [r for r in rows if r.value is not None]
    same_unit = len({r.currency for r in shown if r.currency}) <= 1
    two_sides = len(shown) == 2 and same_unit and q.group_by is None
    difference = round(shown[0].value - shown[1].value, 2) if two_sides else None  # type: ignore[operator]
    result = QueryResultPublic(
        description="",
        object=q.object,
        measure=q.measure,
        field=field,
        group_by=q.group_by,
        compared_by=q.compare.by if q.compare else None,
        value=None,
        count=counted,
        currency=next(iter(currencies)) if len(currencies) == 1 else None,
        rows=rows,
        difference=difference,
        hidden_owners=hidden,
        notes=notes,
        records=records,
    )
    period = q.filters.period
    if period is not None and q.compare is not None and q.compare.by != "period":
        result.period_label, result.period_start, result.period_end = period.label, period.start, period.end
    result.description = describe(q, result, deps.principal, session)
    return result
