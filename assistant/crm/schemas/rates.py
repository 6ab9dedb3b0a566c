"""Exchange rates: what an admin sets, and a conversion that says which rate it used."""

from decimal import Decimal

from pydantic import BaseModel, Field

from assistant.crm.schemas.common import Currency, Public, Timestamp, UserRef


class ExchangeRateSet(BaseModel):
    rate: Decimal = Field(gt=0, max_digits=24, decimal_places=10, description="1 currency = rate base_currency")
    base_currency: Currency = "USD"


class ExchangeRatePublic(Public):
    currency: str
    base_currency: str
    rate: Decimal
    set_by: UserRef | None
    set_at: Timestamp


class Conversion(BaseModel):
    """An amount converted with an admin-set rate; ``note`` is the sentence an answer shows with it."""

    amount: Decimal
    currency: str
    converted: Decimal
    to_currency: str
    rate: Decimal
    note: str
