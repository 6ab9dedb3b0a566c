"""One-time codes that only the assistant's proposal mail carries: a reply must show one to confirm or cancel."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.crm.models.base import Base


class EmailConfirmation(Base):
    __tablename__ = "email_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    pending_action_id: Mapped[str] = mapped_column(ForeignKey("pending_actions.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[str] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(300), index=True)
    """the Message-ID of the proposal mail that carried the code; a confirmation must reply to it"""
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
