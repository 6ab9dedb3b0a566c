"""Imports of other CRMs' exports: runs started from the web API, and the possible duplicates imports found."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    """queued, running, done or failed"""
    dry_run: Mapped[bool] = mapped_column(default=False)
    counts: Mapped[dict] = mapped_column(default=dict)
    rejected: Mapped[list] = mapped_column(default=list)
    warnings: Mapped[list] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class PossibleDuplicate(Base):
    """Two records an import did not merge although they look alike (same name, or same phone and name),
    because their source ids say they are distinct; an admin decides."""

    __tablename__ = "possible_duplicates"
    __table_args__ = (UniqueConstraint("entity_type", "record_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(16))
    """account, contact or lead"""
    record_id: Mapped[int] = mapped_column(index=True)
    other_id: Mapped[int] = mapped_column(index=True)
    matched_on: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open, merged or dismissed"""
    found_at: Mapped[datetime] = mapped_column(DateTime)
