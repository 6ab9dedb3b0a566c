"""Every write: who, what record, old and new values, when, through which channel."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class Channel(StrEnum):
    api = "api"
    web = "web"
    slack = "slack"
    email = "email"
    cli = "cli"
    import_ = "import"
    system = "system"


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    changes: Mapped[dict] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)


Index("ix_audit_entity", AuditEntry.entity_type, AuditEntry.entity_id)
