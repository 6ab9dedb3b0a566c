"""A log of changes to the records people are named by, so every worker sees a rename on the next message."""

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class NameChange(Base):
    """One record created, renamed, reassigned, closed or deleted (entity_id 0: reload that whole kind)."""

    __tablename__ = "name_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int]
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
