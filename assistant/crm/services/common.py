"""Pieces every record service uses: paging, owner checks, create/update with audit."""

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import can_see, get_visible
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import User
from assistant.crm.principal import Principal

T = TypeVar("T")


def paginate(session: Session, query: Select[tuple[T]], page: int, page_size: int) -> tuple[list[T], int]:
    """One page of an ORM query and the total, counting and ordering on ids before loading related rows.

    The models eager-load their related records with joins; sorting the whole filtered set through
    those joins costs more than the page itself, so the page's ids are found first.
    """
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    entity = query.column_descriptions[0]["entity"]
    ids = list(session.scalars(query.with_only_columns(entity.id).limit(page_size).offset((page - 1) * page_size)))
    if not ids:
        return [], total
    loaded = {row.id: row for row in session.scalars(select(entity).where(entity.id.in_(ids))).unique()}
    return [loaded[record_id] for record_id in ids if record_id in loaded], total


def resolve_owner(session: Session, principal: Principal, owner_id: int | None) -> int:
    """The owner of a new record: the person asking unless they may assign it to someone they see."""
    if owner_id is None or owner_id == principal.user_id:
        return principal.user_id
    if not can_see(session, principal, User, owner_id) or (
        principal.visible_owner_ids is not None and owner_id not in principal.visible_owner_ids
    ):
        raise ValidationFailed("owner_id", f"user {owner_id} does not exist or is outside your team")
    return owner_id


def require_visible(session: Session, principal: Principal, model: type, record_id: int | None, field: str) -> None:
    if record_id is not None and not can_see(session, principal, model, record_id):
        raise ValidationFailed(field, f"{field.removesuffix('_id')} {record_id} does not exist")


def create_record(session: Session, principal: Principal, record: T, entity_type: str, values: dict[str, Any]) -> T:
    session.add(record)
    session.flush()
    audit.record(session, principal, "create", entity_type, record.id, values)  # type: ignore[attr-defined]
    return record


def update_record(
    session: Session,
    principal: Principal,
    model: type[T],
    record_id: int,
    entity_type: str,
    values: dict[str, Any],
) -> tuple[T, dict[str, tuple[Any, Any]]]:
    record = get_visible(session, principal, model, record_id)
    changes = audit.apply_fields(record, values)
    if changes:
        session.flush()
        audit.record(session, principal, "update", entity_type, record_id, changes)
    return record, changes
