"""Accounts, the people on them, contacts and leads."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.crm.models.base import Base, ExternalRef, Timestamps
from assistant.crm.models.users import User


class Account(Base, Timestamps, ExternalRef):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    domain: Mapped[str | None] = mapped_column(String(200), default=None, index=True)
    industry: Mapped[str | None] = mapped_column(String(100), default=None)
    region: Mapped[str | None] = mapped_column(String(100), default=None)
    employees: Mapped[int | None] = mapped_column(default=None)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    parent: Mapped["Account | None"] = relationship(remote_side=[id], lazy="joined", join_depth=1)


class AccountMember(Base):
    """A user on an account's team besides its owner ("the accounts they are on")."""

    __tablename__ = "account_members"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class Contact(Base, Timestamps, ExternalRef):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None, index=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None, index=True)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    account: Mapped[Account | None] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(lazy="joined")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Lead(Base, Timestamps, ExternalRef):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    company: Mapped[str | None] = mapped_column(String(200), default=None)
    title: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None, index=True)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    source: Mapped[str | None] = mapped_column(String(60), default=None)
    status: Mapped[str] = mapped_column(String(20), default="new")
    score: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    converted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    converted_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    converted_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), default=None)
    converted_deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), default=None)

    owner: Mapped[User] = relationship(lazy="joined")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# A group-by on industry or region looks each deal's account up here instead of in the account rows.
Index("ix_accounts_id_industry_region", Account.id, Account.industry, Account.region)


Index("ix_leads_owner_status", Lead.owner_id, Lead.status)


class Competitor(Base):
    """A competitor whose name in notes and calls is a risk signal; set by admins, imports or the demo."""

    __tablename__ = "competitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
