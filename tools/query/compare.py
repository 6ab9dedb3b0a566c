"""Comparisons: the same measure on two or more periods, people or teams, side by side."""

from sqlalchemy import select

from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Team, User
from assistant.crm.schemas.chat import RecordRef
from tools.query.describe import describe, period_phrase
from tools.query.engine import overall, selection_for
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
        if len(compare.owner_ids) < 2:
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
        ]
    if len(compare.team_ids) < 2:
        raise ValidationFailed("compare.team_ids", "name at least two teams to compare (team ids)")
    teams = dict(deps.session.execute(select(Team.id, Team.name).where(Team.id.in_(compare.team_ids))).all())
    return [
        (teams.get(i, f"team {i}"), base.model_copy(update={"team_ids": [i]}), None, True) for i in compare.team_ids
    ]


def _period_label(period: PeriodSpec) -> str:
    return period.label or period_phrase(period).removeprefix("between ").removeprefix("in ")


def run_comparison(deps: Deps, q: QueryInput, field: str | None) -> QueryResultPublic:
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
        value, count, currency, by_currency = overall(session, selection, q, field)
        if value is None and count == 0 and q.measure in ("sum", "count", "distinct"):
            value = 0.0
        counted += count
        if by_currency:
            rows.extend(
                QueryRow(key=label, value=t.value, count=t.count, currency=t.currency, ref=ref, start=start, end=end)
                for t in by_currency
            )
        else:
            row = QueryRow(key=label, value=value, count=count, currency=currency, ref=ref, start=start, end=end)
            if q.measure == "count" and q.object == "deals" and count:
                summed = q.model_copy(update={"measure": "sum", "field": "amount"})
                amount, _, amount_currency, mixed = overall(session, selection, summed, "amount")
                if not mixed:
                    row.amount, row.currency = amount, amount_currency  # "13 deals, $460,500"
            rows.append(row)
        records.extend([ref] if ref else [])
        records.extend(matched_refs(session, selection, q)[:20])
    currencies = {r.currency for r in rows if r.currency}
    shown = [r for r in rows if r.value is not None]
    same_unit = len({r.currency for r in shown if r.currency}) <= 1
    difference = round(shown[0].value - shown[1].value, 2) if len(shown) == 2 and same_unit else None  # type: ignore[operator]
    result = QueryResultPublic(
        description="",
        object=q.object,
        measure=q.measure,
        field=field,
        group_by=None,
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
