"""Related records outside the reader's scope lose their names on the way out.

A record someone may open can point at one they may not (a contact's account, an account's parent,
an activity's deal, ...). ``hide_out_of_scope`` walks a REST response or a tool result, checks every
such reference in one query per record type, and reduces the hidden ones to their id (REST) or drops
them (tool results, which feed answers: a record nobody may open is not worth naming).
"""

from collections import defaultdict
from typing import Any, TypeVar, get_args

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.models import Account, Contact, Deal, Lead
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.common import AccountRef, ContactRef, DealRef, LeadRef, RecordLink

M = TypeVar("M")

LINK_MODELS: dict[type[RecordLink], type] = {AccountRef: Account, ContactRef: Contact, DealRef: Deal, LeadRef: Lead}
KIND_MODELS: dict[str, type] = {"account": Account, "contact": Contact, "deal": Deal, "lead": Lead}
Slot = tuple[Any, Any]
"""(container, key): a model and a field name, or a list and an index"""


def _collect(value: Any, slots: dict[type, list[tuple[Slot, int]]], container: Any = None, key: Any = None) -> None:
    if isinstance(value, RecordLink):
        model = LINK_MODELS.get(type(value))
        if model is not None and container is not None:
            slots[model].append(((container, key), value.id))
        return
    if isinstance(value, RecordRef):
        model = KIND_MODELS.get(value.type)
        if model is not None and container is not None:
            slots[model].append(((container, key), value.id))
        return
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _collect(getattr(value, name), slots, value, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, slots, value, index)


def _visible_ids(session: Session, principal: Principal, model: type, ids: set[int]) -> set[int]:
    query = select(model.id).where(scope_for(principal, model), model.id.in_(sorted(ids)))  # type: ignore[attr-defined]
    return set(session.scalars(query))


def hide_out_of_scope(session: Session, principal: Principal, result: M, keep_ids: bool = True) -> M:
    """``result`` with every reference to a record this person may not open hidden, in place.

    keep_ids: a hidden link becomes ``{"id": ...}`` (REST); otherwise it becomes None where the field
    allows it, and a hidden entry of a ``records`` list is removed (tool results).
    """
    if principal.visible_owner_ids is None:
        return result
    slots: dict[type, list[tuple[Slot, int]]] = defaultdict(list)
    _collect(result, slots)
    dropped: dict[int, tuple[list[Any], set[int]]] = {}
    for model, found in slots.items():
        visible = _visible_ids(session, principal, model, {record_id for _, record_id in found})
        for (container, key), record_id in found:
            if record_id in visible:
                continue
            current = container[key] if isinstance(container, list) else getattr(container, key)
            if isinstance(container, list) and (isinstance(current, RecordRef) or not keep_ids):
                dropped.setdefault(id(container), (container, set()))[1].add(key)
            elif isinstance(current, RecordLink):
                hidden = current.hidden() if keep_ids or not _nullable(container, key) else None
                setattr(container, key, hidden)
    for container, indexes in dropped.values():
        container[:] = [item for index, item in enumerate(container) if index not in indexes]
    return result


def _nullable(container: Any, key: str) -> bool:
    field = type(container).model_fields.get(key)
    return field is not None and type(None) in get_args(field.annotation)
