"""Turning a query's filters into SQL conditions on a Selection, and saying what could not be applied."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Select, func, or_, select
from sqlalchemy.orm import Session

from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Activity, Contact, Deal, Lead, Stage, Team, User
from assistant.crm.principal import Principal
from tools.query.sources import Selection, day_start
from tools.query.spec import PeriodSpec, QueryFilters


def _literal(text: str) -> str:
    """Text for a LIKE pattern, its wildcards read as themselves ("50%", "add_on")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _lowered(values: list[str]) -> list[str]:
    return [v.strip().lower() for v in values if v.strip()]


def stage_ids(session: Session, names: list[str]) -> list[int]:
    """The ids of the stages with these names (any pipeline); a name no pipeline has is refused with the list."""
    wanted = _lowered(names)
    rows = session.execute(select(Stage.id, Stage.name)).all()
    known = {name.lower() for _, name in rows}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        listed = ", ".join(sorted(dict.fromkeys(name for _, name in rows)))
        raise ValidationFailed(
            "stages", f"no stage is called {unknown[0]!r}; the stages are {listed} (open/won/lost is a status)"
        )
    return [i for i, name in rows if name.lower() in wanted]


def team_member_ids(session: Session, team_ids: list[int]) -> list[int]:
    return list(session.scalars(select(User.id).where(User.team_id.in_(team_ids))))


def active_reps(team_ids: list[int] | None = None) -> Select[tuple[int]]:
    """The ids of the active reps (of these teams, when given): whom a per-rep figure counts."""
    reps = select(User.id).where(User.is_active.is_(True), User.role == "rep")
    return reps.where(User.team_id.in_(team_ids)) if team_ids else reps


def period_bounds(selection: Selection, period: PeriodSpec) -> list[Any]:
    column = selection.date(period.field)
    is_date = isinstance(column.type, Date)
    conditions = []
    if period.start is not None:
        conditions.append(column >= (period.start if is_date else day_start(period.start)))
    if period.end is not None:
        end = period.end if is_date else day_start(period.end + timedelta(days=1))
        conditions.append(column <= end if is_date else column < end)
    return conditions


def _owner_conditions(selection: Selection, session: Session, filters: QueryFilters, notes: list[str]) -> None:
    principal: Principal = selection.principal
    owner = selection.owner_id()
    if filters.owner == "me":
        selection.where(owner == principal.user_id)
    elif filters.owner == "my_team":
        if principal.team_id is None:
            notes.append("you are on no team, so this covers everyone you can see")
        else:
            selection.where(owner.in_(team_member_ids(session, [principal.team_id])))
    if filters.owner_ids:
        selection.where(owner.in_(filters.owner_ids))
        hidden_owner_note(session, principal, filters.owner_ids, selection.source.plural, notes)
    if filters.exclude_owner_ids:
        selection.where(owner.not_in(filters.exclude_owner_ids))
    if filters.team_ids:
        selection.where(owner.in_(team_member_ids(session, filters.team_ids)))
        if principal.visible_owner_ids is not None:
            names = session.scalars(select(Team.name).where(Team.id.in_(filters.team_ids)))
            members = set(team_member_ids(session, filters.team_ids))
            if members - principal.visible_owner_ids:
                team = ", ".join(names)
                notes.append(f"I can't count the rest of {team}'s records: you see only your own share of them")


def hidden_owner_names(session: Session, principal: Principal, owner_ids: list[int]) -> list[str]:
    """The people among ``owner_ids`` whose records this person may not see."""
    if principal.visible_owner_ids is None:
        return []
    hidden = [i for i in owner_ids if i not in principal.visible_owner_ids]
    return list(session.scalars(select(User.name).where(User.id.in_(hidden)).order_by(User.name))) if hidden else []


def hidden_owner_note(
    session: Session, principal: Principal, owner_ids: list[int], plural: str, notes: list[str]
) -> None:
    names = hidden_owner_names(session, principal, owner_ids)
    if names:
        notes.append(f"you cannot see {', '.join(names)}'s {plural}, so they are not counted")


def _status(selection: Selection, filters: QueryFilters) -> None:
    status = filters.status
    if status is None:
        return
    obj = selection.source.object
    if obj == "deals":
        stage = selection.stage()
        conditions = {
            "open": stage.is_closed.is_(False),
            "closed": stage.is_closed.is_(True),
            "won": stage.is_won.is_(True),
            "lost": stage.is_closed.is_(True) & stage.is_won.is_(False),
        }
        if status not in conditions:
            raise ValidationFailed("status", f"deals are open, won, lost or closed, not {status!r}")
        selection.where(conditions[status])
    elif obj == "tasks":
        selection.where(Activity.status == ("done" if status in ("done", "closed", "won") else "open"))
    elif obj == "leads":
        if status in ("open",):
            selection.where(Lead.status.not_in(["converted", "unqualified"]))
        elif status in ("won", "closed", "done"):
            selection.where(Lead.status == "converted")
    else:
        raise ValidationFailed("status", f"{selection.source.plural} have no status")


def apply_filters(selection: Selection, session: Session, filters: QueryFilters) -> list[str]:
    """Add every filter's condition to ``selection``; the notes say what the person should know about them."""
    notes: list[str] = []
    source = selection.source
    _owner_conditions(selection, session, filters, notes)
    _status(selection, filters)
    if filters.stages:
        if source.object != "deals":
            raise ValidationFailed("stages", "only deals have stages")
        selection.where(Deal.stage_id.in_(stage_ids(session, filters.stages)))
    if filters.exclude_stages:
        if source.object != "deals":
            raise ValidationFailed("exclude_stages", "only deals have stages")
        selection.where(Deal.stage_id.not_in(stage_ids(session, filters.exclude_stages)))
    if filters.lead_status:
        if source.object != "leads":
            raise ValidationFailed("lead_status", "only leads have a lead status")
        selection.where(func.lower(Lead.status).in_(_lowered(filters.lead_status)))
    if filters.period is not None:
        selection.where(*period_bounds(selection, filters.period))
    if filters.amount_min is not None or filters.amount_max is not None:
        if source.object != "deals":
            raise ValidationFailed("amount_min", "only deals have an amount")
        strict = filters.amount_strict
        if filters.amount_min is not None:
            selection.where(Deal.amount > filters.amount_min if strict else Deal.amount >= filters.amount_min)
        if filters.amount_max is not None:
            selection.where(Deal.amount < filters.amount_max if strict else Deal.amount <= filters.amount_max)
    for name, values in (("industry", filters.industries), ("region", filters.regions)):
        if values:
            if source.object in ("leads", "tasks"):
                raise ValidationFailed(name, f"{source.plural} have no {name}")
            selection.where(func.lower(getattr(selection.account(), name)).in_(_lowered(values)))
    if filters.sources:
        column = Deal.lead_source if source.object == "deals" else Lead.source
        if source.object not in ("deals", "leads"):
            raise ValidationFailed("sources", "only deals and leads have a lead source")
        selection.where(func.lower(column).in_(_lowered(filters.sources)))
    if filters.types:
        if source.object != "activities":
            raise ValidationFailed("types", "only activities have a type")
        selection.where(func.lower(Activity.type).in_(_lowered(filters.types)))
    if filters.currencies:
        if source.object != "deals":
            raise ValidationFailed("currencies", "only deals have a currency")
        selection.where(func.upper(Deal.currency).in_([c.upper() for c in filters.currencies]))
    conditions = []
    for name in filters.missing:
        _require(source.missing, name, "missing")
        conditions.append(selection.missing(name))
    for name in filters.present:
        _require(source.missing, name, "present")
        selection.where(~selection.missing(name))
    if filters.overdue:
        if source.object not in ("deals", "tasks"):
            raise ValidationFailed("overdue", "only deals (close date) and tasks (due date) can be overdue")
        conditions.append(selection.overdue())
    if filters.inactive_days is not None:
        if source.object not in ("deals", "accounts", "contacts", "leads"):
            raise ValidationFailed("inactive_days", f"{source.plural} are not touched by activities")
        conditions.append(selection.inactive(filters.inactive_days, filters.inactive_types))
    if filters.match_any and len(conditions) > 1:
        selection.where(or_(*conditions))  # "past its close date or has no next step": either will do
    else:
        for condition in conditions:
            selection.where(condition)
    if filters.account_ids:
        selection.where(selection.dimension("account", None).in_(filters.account_ids))
    if filters.contact_ids:
        column = {Deal: Deal.primary_contact_id, Activity: Activity.contact_id}.get(source.model)
        if column is None:
            raise ValidationFailed("contact_ids", "only deals and activities are tied to a contact")
        selection.where(column.in_(filters.contact_ids))
    if filters.deal_ids:
        column = {Deal: Deal.id, Activity: Activity.deal_id}.get(source.model)
        if column is None:
            raise ValidationFailed("deal_ids", "only activities and tasks belong to a deal")
        selection.where(column.in_(filters.deal_ids))
    if filters.ids:
        selection.where(selection.id.in_(filters.ids))
    if filters.exclude_ids:
        selection.where(selection.id.not_in(filters.exclude_ids))
    if filters.score_min is not None or filters.score_max is not None:
        if source.object != "leads":
            raise ValidationFailed("score_min", "only leads have a score")
        if filters.score_min is not None:
            selection.where(Lead.score >= filters.score_min)
        if filters.score_max is not None:
            selection.where(Lead.score <= filters.score_max)
    if filters.titles:
        if source.object != "contacts":
            raise ValidationFailed("titles", "only contacts have job titles")
        words = [title.lower() for title in filters.titles if title.strip()]
        titles = func.lower(func.coalesce(Contact.title, ""))
        selection.where(or_(*(titles.like(f"%{_literal(word)}%", escape="\\") for word in words)))
    if filters.text:
        name = _name_column(selection)
        selection.where(func.lower(name).like(f"%{_literal(filters.text.lower())}%", escape="\\"))
    return notes


def _require(allowed: tuple[str, ...], name: str, what: str) -> None:
    if name not in allowed:
        raise ValidationFailed(what, f"{name!r} is not a field here; these can be empty: {', '.join(allowed)}")


def _name_column(selection: Selection) -> Any:
    model = selection.model
    if model is Activity:
        return Activity.subject
    if hasattr(model, "first_name"):
        return model.first_name + " " + model.last_name
    return model.name


def is_datetime(value: object) -> bool:
    return isinstance(value, datetime)


def as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
