"""dealwise rates list | set CURRENCY RATE [--base USD] | remove CURRENCY [--base USD]: admin-set exchange rates."""

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from adapters.cli.runtime import cli_session, settings, upgrade_database
from assistant.crm.clock import Clock
from assistant.crm.models import Channel
from assistant.crm.services.rates import rates, remove_rate, set_rate

app = typer.Typer(
    help="Exchange rates, so amounts in different currencies are converted (and said so), never added as they are.",
    no_args_is_help=True,
)
Base = Annotated[str, typer.Option("--base", help="the currency the rate is in")]


@app.command("list")
def list_rates() -> None:
    """One rate a line: 1 CURRENCY = RATE BASE, when and by whom it was set."""
    config = settings()
    upgrade_database(config)
    with cli_session(config) as session:
        rows = rates(session)
        if not rows:
            typer.echo("no exchange rates set; add one with `dealwise rates set EUR 1.08`")
        for row in rows:
            who = row.set_by.email if row.set_by else "the command line"
            typer.echo(
                f"1 {row.currency} = {row.rate.normalize():f} {row.base_currency}\t{row.set_at:%Y-%m-%d %H:%M}\t{who}"
            )


@app.command("set")
def set_exchange_rate(
    currency: Annotated[str, typer.Argument(help="ISO 4217 code, e.g. EUR")],
    rate: Annotated[str, typer.Argument(help="how many of the base currency one unit is worth, e.g. 1.08")],
    base: Base = "USD",
) -> None:
    """Set 1 CURRENCY = RATE BASE (replacing an earlier rate for the pair); audited, channel cli."""
    try:
        value = Decimal(rate)
    except InvalidOperation as error:
        raise typer.BadParameter(
            f"{rate!r} is not a number; write it with a '.' decimal point", param_hint="RATE"
        ) from error
    config = settings()
    upgrade_database(config)
    with cli_session(config) as session:
        row = set_rate(session, None, currency, value, base, Clock().now(), channel=Channel.cli.value)
        typer.echo(f"1 {row.currency} = {row.rate.normalize():f} {row.base_currency}")


@app.command("remove")
def remove_exchange_rate(currency: str, base: Base = "USD") -> None:
    """Remove the rate of CURRENCY in BASE; audited, channel cli."""
    config = settings()
    upgrade_database(config)
    with cli_session(config) as session:
        remove_rate(session, None, currency, base, channel=Channel.cli.value)
        typer.echo(f"removed the {currency.upper()}/{base.upper()} rate")
