"""dealwise users list|add|token."""

from typing import Annotated

import typer
from sqlalchemy import select

from adapters.cli.runtime import cli_session
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Role, User
from assistant.crm.schemas.users import UserCreate
from assistant.crm.security import issue_token
from assistant.crm.services.users import create_user, team_by_name, user_by_email

app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


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
        except (DealwiseError, ValueError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from error
        typer.echo(f"created {user.email} ({user.role})")


@app.command("token")
def token(email: str) -> None:
    """Print a new API token for EMAIL."""
    with cli_session() as session:
        user = user_by_email(session, email)
        if user is None:
            typer.echo(f"error: no user with email {email}", err=True)
            raise typer.Exit(2)
        typer.echo(issue_token(session, user, label="cli"))
