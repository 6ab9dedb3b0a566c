"""dealwise risk backtest|brief."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.failures import CommandError, UsageProblem
from adapters.cli.runtime import cli_session, settings
from assistant.crm.clock import Clock
from assistant.crm.errors import DealwiseError
from assistant.crm.services.catalog import competitor_names
from assistant.crm.services.users import user_by_email

if TYPE_CHECKING:
    from assistant.risk.backtest import Method

app = typer.Typer(help="Deal risk: backtest the model, print a manager's weekly brief.", no_args_is_help=True)


class BacktestMethod(StrEnum):
    kfold = "kfold"
    time = "time"


@app.command("backtest")
def backtest(
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    method: Annotated[
        BacktestMethod, typer.Option(help="kfold (stratified) or time (expanding window)")
    ] = BacktestMethod.kfold,
    folds: Annotated[int, typer.Option(min=2, help="number of folds")] = 5,
) -> None:
    """Out-of-sample AUC, calibration by decile and Brier score of the risk model on closed deals."""
    from assistant.risk.backtest import run_backtest  # heavy: numpy and the risk model, for `risk` only

    chosen: Method = "time" if method is BacktestMethod.time else "kfold"
    config = settings()
    with cli_session(config) as session:
        try:
            report = run_backtest(
                session, Clock().now(), method=chosen, folds=folds, competitors=competitor_names(session, config)
            )
        except DealwiseError as error:
            raise CommandError(
                f"{error}; the backtest needs closed deals (`dealwise import`, or `dealwise demo` to try it)"
            ) from error
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(
        f"{report.method} backtest, {report.folds} folds: {report.scored_deals} of {report.closed_deals} closed deals "
        f"scored out of sample ({report.lost_share:.0%} lost)"
    )
    typer.echo(
        f"AUC {report.auc:.3f}   Brier {report.brier:.4f} "
        f"(always predicting the base rate: {report.base_rate_brier:.4f})"
    )
    typer.echo("decile  deals  predicted loss  observed loss")
    for row in report.calibration:
        typer.echo(
            f"{row.decile:>6}  {row.deals:>5}  {row.predicted_loss_rate:>14.1%}  {row.observed_loss_rate:>13.1%}"
        )


@app.command("brief")
def brief(manager: Annotated[str, typer.Option(help="the manager's email")]) -> None:
    """Print the weekly risk brief for a manager's team."""
    from assistant.risk.brief import manager_brief  # heavy: numpy and the risk model, for `risk` only
    from assistant.risk.engine import build_engine

    config = settings()
    with cli_session(config) as session:
        user = user_by_email(session, manager)
        if user is None:
            raise UsageProblem(f"no user with email {manager}; list them with `dealwise users list`")
        now = Clock().now()
        engine = build_engine(session, now, config)
        _, text = manager_brief(session, user, now, engine=engine)
    typer.echo(text)
