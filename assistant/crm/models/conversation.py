"""Threads, messages and the write proposals that wait for a confirmation."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class Thread(Base):
    __tablename__ = "threads"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_ref: Mapped[str | None] = mapped_column(String(300), default=None, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[str] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)


Index("ix_messages_thread", Message.thread_id, Message.id)


class PendingAction(Base):
    """A write proposed by a tool; applied once, on confirmation, by the person who asked."""

    __tablename__ = "pending_actions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    thread_id: Mapped[str] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(default=dict)
    preview: Mapped[dict] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    result: Mapped[dict] = mapped_column(default=dict)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class ProcessedEvent(Base):
    """Channel events already handled (Slack event ids, email Message-IDs): retries are answered once."""

    __tablename__ = "processed_events"

    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32), default="accepted")
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)
