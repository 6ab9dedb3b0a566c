"""Exchange rates an admin sets, so amounts in different currencies can be converted, never silently added."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.crm.models.base import Base
from assistant.crm.models.users import User


class ExchangeRate(Base):
    """1 ``currency`` = ``rate`` ``base_currency``, as set by an admin on ``set_at``."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("currency", "base_currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    base_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(24, 10))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    set_at: Mapped[datetime] = mapped_column(DateTime)

    set_by: Mapped[User | None] = relationship(lazy="joined")
