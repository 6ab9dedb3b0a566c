"""Pipelines, their ordered stages, deals and every stage change."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.crm.models.base import Base, ExternalRef, Timestamps
from assistant.crm.models.crm import Account, Contact
from assistant.crm.models.users import User


class Pipeline(Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_default: Mapped[bool] = mapped_column(default=False)

    stages: Mapped[list["Stage"]] = relationship(order_by="Stage.position", back_populates="pipeline")


class Stage(Base):
    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("pipeline_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    probability: Mapped[int] = mapped_column(default=0)
    is_closed: Mapped[bool] = mapped_column(default=False)
    is_won: Mapped[bool] = mapped_column(default=False)
    forecast_category: Mapped[str] = mapped_column(String(20), default="pipeline")
    """pipeline, best_case, commit, closed or omitted (Salesforce's ForecastCategory, lower-cased)"""

    pipeline: Mapped[Pipeline] = relationship(back_populates="stages")


class Deal(Base, Timestamps, ExternalRef):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    primary_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=Decimal(0))
    """in the deal's own currency; four decimals, so three-decimal currencies and imported amounts stay exact"""
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    close_date: Mapped[date | None] = mapped_column(Date, default=None)
    next_step: Mapped[str | None] = mapped_column(Text, default=None)
    lead_source: Mapped[str | None] = mapped_column(String(60), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    account: Mapped[Account] = relationship(lazy="joined")
    primary_contact: Mapped[Contact | None] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(lazy="joined")
    stage: Mapped[Stage] = relationship(lazy="joined")
    pipeline: Mapped[Pipeline] = relationship()


# Carries every column a scope's totals read (owner, stage, dates, currency, amount, account): a manager's sums,
# counts, win rates and cycle times by stage, owner, quarter or account come from the index, not the deal rows.
# SQLite keeps the id in every index entry; PostgreSQL needs it included for the records behind an answer.
Index(
    "ix_deals_owner_stage_totals",
    Deal.owner_id,
    Deal.stage_id,
    Deal.close_date,
    Deal.currency,
    Deal.amount,
    Deal.account_id,
    Deal.closed_at,
    Deal.created_at,
    postgresql_include=["id"],
)


class DealStageHistory(Base):
    __tablename__ = "deal_stage_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), default=None)
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), default=None)

    from_stage: Mapped[Stage | None] = relationship(foreign_keys=[from_stage_id], lazy="joined")
    to_stage: Mapped[Stage] = relationship(foreign_keys=[to_stage_id], lazy="joined")
    changed_by: Mapped[User | None] = relationship(lazy="joined")
