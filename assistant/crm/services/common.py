"""Pieces every record service uses: paging, owner checks, create/update with audit, under the write rules."""

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import KIND_NAMES, can_see, check_reassign
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
    offset = (page - 1) * page_size
    if offset >= total:
        return [], total
    entity = query.column_descriptions[0]["entity"]
    ids = list(session.scalars(query.with_only_columns(entity.id).limit(page_size).offset(offset)))
    if not ids:
        return [], total
    loaded = {row.id: row for row in session.scalars(select(entity).where(entity.id.in_(ids))).unique()}
    return [loaded[record_id] for record_id in ids if record_id in loaded], total


def resolve_owner(session: Session, principal: Principal, owner_id: int | None) -> int:
    """The owner of a new record: the person asking unless they may assign it to someone they see."""
    if owner_id is None or owner_id == principal.user_id:
        return principal.user_id
    owner = session.get(User, owner_id)
    if (
        owner is None
        or not can_see(session, principal, User, owner_id)
        or (principal.visible_owner_ids is not None and owner_id not in principal.visible_owner_ids)
    ):
        raise ValidationFailed("owner_id", f"user {owner_id} does not exist or is outside your team")
    if not owner.is_active:
        raise ValidationFailed("owner_id", f"user {owner_id} is deactivated")
    return owner_id


def create_record(session: Session, principal: Principal, record: T, entity_type: str, values: dict[str, Any]) -> T:
    session.add(record)
    session.flush()
    audit.record(session, principal, "create", entity_type, record.id, values)  # type: ignore[attr-defined]
    return record


def update_record(session: Session, principal: Principal, record: T, values: dict[str, Any]) -> dict[str, Any]:
    """Apply ``values`` to a record fetched with assistant.crm.access.get_writable, and audit the change;
    ``owner_id`` among them is a reassignment and follows its own rule (check_reassign)."""
    kind = KIND_NAMES[type(record)]
    if "owner_id" in values:
        check_reassign(session, principal, kind, record.owner_id, values["owner_id"])  # type: ignore[attr-defined]
    changes = audit.apply_fields(record, values)
    if changes:
        session.flush()
        audit.record(session, principal, "update", kind, record.id, changes)  # type: ignore[attr-defined]
        session.expire(record)
    return changes
