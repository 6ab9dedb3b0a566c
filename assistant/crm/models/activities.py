"""Calls, emails, meetings, notes and tasks, linked to the records they concern."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.crm.models.base import Base, ExternalRef, Timestamps
from assistant.crm.models.crm import Account, Contact, Lead
from assistant.crm.models.deals import Deal
from assistant.crm.models.users import User


class ActivityType(StrEnum):
    call = "call"
    email = "email"
    meeting = "meeting"
    note = "note"
    task = "task"


class Activity(Base, Timestamps, ExternalRef):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text, default=None)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str | None] = mapped_column(String(16), default=None)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), default=None, index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), default=None)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), default=None, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    account: Mapped[Account | None] = relationship(lazy="joined")
    contact: Mapped[Contact | None] = relationship(lazy="joined")
    deal: Mapped[Deal | None] = relationship(lazy="joined")
    lead: Mapped[Lead | None] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")


Index("ix_activities_deal_when", Activity.deal_id, Activity.occurred_at, Activity.type)
Index("ix_activities_account_when", Activity.account_id, Activity.occurred_at)
Index("ix_activities_author_when", Activity.author_id, Activity.occurred_at)
Index("ix_activities_when", Activity.occurred_at)
# The columns assistant.crm.access.activity_scope reads: carried in the two indexes below, type-filtered lists,
# counts and task lists are answered from the index alone (no row reads, no activity bodies).
_SCOPE_COLUMNS = (Activity.author_id, Activity.deal_id, Activity.account_id, Activity.lead_id)
Index("ix_activities_type_when_scope", Activity.type, Activity.occurred_at, *_SCOPE_COLUMNS)
Index("ix_activities_tasks_due_scope", Activity.type, Activity.status, Activity.due_date, *_SCOPE_COLUMNS)
