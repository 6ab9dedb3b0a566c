"""dealwise users list|add|token|tokens|revoke|link."""

from typing import Annotated

import pydantic
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.cli.failures import UsageProblem, as_command_error
from adapters.cli.runtime import cli_session, settings
from adapters.web.signin import sign_in_link
from assistant.crm.errors import DealwiseError
from assistant.crm.models import ApiToken, Role, User
from assistant.crm.schemas.users import UserCreate
from assistant.crm.security import utcnow
from assistant.crm.services.tokens import create_token, revoke, token_lifetime, tokens_of
from assistant.crm.services.users import create_user, team_by_name, user_by_email

app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


def _user(session: Session, email: str) -> User:
    user = user_by_email(session, email)
    if user is None:
        typer.echo(f"error: no user with email {email}", err=True)
        raise typer.Exit(2)
    return user


@app.command("list")
def list_users() -> None:
    """One user a line: email, role, team."""
    with cli_session() as session:
        for user in session.scalars(select(User).order_by(User.id)):
            typer.echo(f"{user.email}\t{user.role}\t{user.team.name if user.team else '-'}")


@app.command("add")
def add_user(
    email: str,
    name: Annotated[str, typer.Option(help="display name")],
    role: Annotated[Role, typer.Option()] = Role.rep,
    team: Annotated[str | None, typer.Option(help="team name")] = None,
    password: Annotated[str | None, typer.Option(help="web sign-in password (8+ characters)")] = None,
) -> None:
    with cli_session() as session:
        team_row = team_by_name(session, team) if team else None
        if team and team_row is None:
            raise typer.BadParameter(f"no team named {team!r}", param_hint="--team")
        try:
            data = UserCreate(
                email=email, name=name, role=role, team_id=team_row.id if team_row else None, password=password
            )
            user = create_user(session, None, data)
        except pydantic.ValidationError as error:  # a bad email or password: one line naming the field
            raise as_command_error(error) from error
        except (DealwiseError, ValueError) as error:
            raise UsageProblem(str(error)) from error
        typer.echo(f"created {user.email} ({user.role})")


@app.command("token")
def token(
    email: str,
    name: Annotated[str, typer.Option(help="what the token is for (shown by `users tokens`)")] = "cli",
    days: Annotated[
        int | None, typer.Option(min=0, help="lifetime in days; 0 never expires [default: DEALWISE_API_TOKEN_DAYS]")
    ] = None,
) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is stored)."""
    config = settings()
    with cli_session(config) as session:
        user = _user(session, email)
        _, secret = create_token(session, None, user, name, token_lifetime(days, config.api_token_days))
        typer.echo(secret)


def _state(row: ApiToken) -> str:
    if row.revoked_at is not None:
        return f"revoked {row.revoked_at:%Y-%m-%d %H:%M}"
    if row.expires_at is not None and row.expires_at <= utcnow():
        return f"expired {row.expires_at:%Y-%m-%d %H:%M}"
    return f"expires {row.expires_at:%Y-%m-%d %H:%M}" if row.expires_at else "never expires"


@app.command("tokens")
def tokens(email: str) -> None:
    """EMAIL's API tokens, one a line: id, name, created, state (times in UTC)."""
    with cli_session() as session:
        for row in tokens_of(session, None, _user(session, email)):
            typer.echo(f"{row.id}\t{row.name}\tcreated {row.created_at:%Y-%m-%d %H:%M}\t{_state(row)}")


@app.command("revoke")
def revoke_token(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (see `users tokens EMAIL`); it stops working at once."""
    with cli_session() as session:
        try:
            row = revoke(session, None, token_id)
        except DealwiseError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from error
        typer.echo(f"revoked token {row.id} ({row.name}) of {row.user.email}")


@app.command("link")
def link(email: str) -> None:
    """Print a one-click web sign-in link for EMAIL (works once, for DEALWISE_LOGIN_LINK_MINUTES)."""
    config = settings()
    with cli_session(config) as session:
        typer.echo(sign_in_link(session, config, _user(session, email), config.base_url))
