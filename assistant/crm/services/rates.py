"""Exchange rates set by admins, and conversions with them that say so. Amounts in different currencies are
never added together silently: convert each with ``convert`` (and show its ``note``), or report per currency."""

from datetime import datetime
from decimal import Decimal

from babel.numbers import list_currencies
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.audit import record
from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.models import ExchangeRate
from assistant.crm.principal import Principal
from assistant.crm.schemas.rates import Conversion

CURRENCIES = frozenset(list_currencies())
CENTS = Decimal("0.01")


def _code(value: str, field: str) -> str:
    code = value.strip().upper()
    if code not in CURRENCIES:
        raise ValidationFailed(field, f"{value!r} is not an ISO 4217 currency code (e.g. USD, EUR, COP)")
    return code


def _require_admin(principal: Principal | None) -> None:
    if principal is not None and not principal.is_admin:
        raise Forbidden("only admins set exchange rates")


def set_rate(
    session: Session,
    principal: Principal | None,
    currency: str,
    rate: Decimal,
    base: str,
    now: datetime,
    channel: str | None = None,
) -> ExchangeRate:
    """1 currency = rate base; replaces an earlier rate for the pair. None as principal: the command line."""
    _require_admin(principal)
    code, base_code = _code(currency, "currency"), _code(base, "base_currency")
    if code == base_code:
        raise ValidationFailed("currency", f"{code} is the base currency itself")
    if not rate > 0:
        raise ValidationFailed("rate", f"must be more than 0, got {rate}")
    row = session.scalars(
        select(ExchangeRate).where(ExchangeRate.currency == code, ExchangeRate.base_currency == base_code)
    ).first()
    old = row.rate if row is not None else None
    if row is None:
        row = ExchangeRate(currency=code, base_currency=base_code, rate=rate, set_at=now)
        session.add(row)
    row.rate, row.set_at = rate, now
    row.set_by_id = principal.user_id if principal else None
    session.flush()
    record(session, principal, "update" if old is not None else "create", "exchange_rate", row.id,
           {"currency": code, "base_currency": base_code, "rate": (old, rate)}, channel)  # fmt: skip
    return row


def remove_rate(
    session: Session, principal: Principal | None, currency: str, base: str, channel: str | None = None
) -> None:
    _require_admin(principal)
    code, base_code = _code(currency, "currency"), _code(base, "base_currency")
    row = session.scalars(
        select(ExchangeRate).where(ExchangeRate.currency == code, ExchangeRate.base_currency == base_code)
    ).first()
    if row is None:
        raise NotFound("exchange rate", f"{code}/{base_code}")
    record(session, principal, "delete", "exchange_rate", row.id, {"currency": code, "rate": (row.rate, None)}, channel)
    session.delete(row)
    session.flush()


def rates(session: Session) -> list[ExchangeRate]:
    return list(session.scalars(select(ExchangeRate).order_by(ExchangeRate.base_currency, ExchangeRate.currency)))


def rate_between(session: Session, currency: str, to_currency: str) -> tuple[Decimal, ExchangeRate] | None:
    """How many to_currency one currency is worth, from a rate set for the pair or for the opposite pair."""
    for left, right, inverse in ((currency, to_currency, False), (to_currency, currency, True)):
        row = session.scalars(
            select(ExchangeRate).where(ExchangeRate.currency == left, ExchangeRate.base_currency == right)
        ).first()
        if row is not None:
            return (Decimal(1) / row.rate if inverse else row.rate), row
    return None


def convert(session: Session, amount: Decimal, currency: str, to_currency: str) -> Conversion | None:
    """The amount in to_currency with an admin-set rate, and a note naming the rate; None without a rate."""
    code, target = currency.upper(), to_currency.upper()
    if code == target:
        return Conversion(amount=amount, currency=code, converted=amount, to_currency=target, rate=Decimal(1), note="")
    found = rate_between(session, code, target)
    if found is None:
        return None
    rate, row = found
    who = f", set by {row.set_by.name}" if row.set_by is not None else ""
    note = (f"converted from {code} at 1 {row.currency} = {row.rate.normalize():f} {row.base_currency} "
            f"(rate of {row.set_at:%Y-%m-%d}{who})")  # fmt: skip
    converted = (Decimal(amount) * rate).quantize(CENTS)
    return Conversion(amount=amount, currency=code, converted=converted, to_currency=target, rate=rate, note=note)
