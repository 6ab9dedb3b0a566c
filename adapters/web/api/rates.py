"""GET /api/rates (anyone signed in), PUT and DELETE /api/rates/{currency} (admins): exchange rates that other
code converts with, saying so (assistant.crm.services.rates)."""

from fastapi import APIRouter, Response

from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.schemas.common import Currency
from assistant.crm.schemas.rates import ExchangeRatePublic, ExchangeRateSet
from assistant.crm.services.rates import rates, remove_rate, set_rate

router = APIRouter(prefix="/api/rates", tags=["exchange rates"])


@router.get("")
def list_rates(db: DbSession, principal: CurrentPrincipal) -> list[ExchangeRatePublic]:
    return [ExchangeRatePublic.model_validate(row) for row in rates(db)]


@router.put("/{currency}")
def put_rate(
    currency: Currency, data: ExchangeRateSet, db: DbSession, principal: CurrentPrincipal, context: Context
) -> ExchangeRatePublic:
    """Set 1 {currency} = rate base_currency (admins); replaces an earlier rate for the pair."""
    row = set_rate(db, principal, currency, data.rate, data.base_currency, context.clock.now())
    return ExchangeRatePublic.model_validate(row)


@router.delete("/{currency}", status_code=204)
def delete_rate(
    currency: Currency, db: DbSession, principal: CurrentPrincipal, base_currency: Currency = "USD"
) -> Response:
    remove_rate(db, principal, currency, base_currency)
    return Response(status_code=204)
