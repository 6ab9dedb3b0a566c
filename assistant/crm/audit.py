"""Recording writes in the audit log."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from assistant.crm.models import AuditEntry
from assistant.crm.principal import Principal


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    session: Session,
    principal: Principal | None,
    action: str,
    entity_type: str,
    entity_id: int,
    changes: dict[str, tuple[Any, Any]] | dict[str, Any],
    channel: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=principal.user_id if principal else None,
        channel=channel or (principal.channel.value if principal else "system"),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        changes={
            key: [plain(v) for v in value] if isinstance(value, tuple) else plain(value)
            for key, value in changes.items()
        },
    )
    session.add(entry)
    return entry


def apply_fields(target: object, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set attributes; return {field: (old, new)} for the ones that really changed."""
    changed: dict[str, tuple[Any, Any]] = {}
    for field, new in values.items():
        old = getattr(target, field)
        if isinstance(old, Decimal) and new is not None:
            new = Decimal(str(new))
        if old != new:
            setattr(target, field, new)
            changed[field] = (old, new)
    return changed
