"""Call recordings and the background jobs that process them."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    payload: Mapped[dict] = mapped_column(default=dict)
    result: Mapped[dict] = mapped_column(default=dict)
    progress: Mapped[float] = mapped_column(default=0.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)


class CallRecording(Base):
    __tablename__ = "call_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), default=None)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), default=None, index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    audio_path: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(default=0)
    duration_s: Mapped[float | None] = mapped_column(default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    transcript: Mapped[str | None] = mapped_column(Text, default=None)
    segments: Mapped[list] = mapped_column(default=list)
    summary: Mapped[dict] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
