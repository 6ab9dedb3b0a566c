"""Who is writing on Slack: a Dealwise user linked by Slack id, or matched once by their Slack profile email."""

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.db import session_scope
from assistant.crm.models import Channel, User
from assistant.crm.principal import Principal, principal_for

log = logging.getLogger(__name__)

REFUSAL = (
    "Sorry, I can only help people who have a Dealwise account, and I could not match your Slack profile "
    "to one. Ask your Dealwise admin to add you with the email address on your Slack profile."
)


def _linked_principal(sessions: sessionmaker[Session], slack_user_id: str) -> Principal | None:
    with session_scope(sessions) as session:
        user = session.scalars(select(User).where(User.slack_user_id == slack_user_id)).first()
        if user is None or not user.is_active:
            return None
        return principal_for(session, user, Channel.slack)


def _link_by_email(sessions: sessionmaker[Session], slack_user_id: str, email: str) -> Principal | None:
    with session_scope(sessions) as session:
        user = session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
        if user is None or not user.is_active:
            return None
        if user.slack_user_id is None:
            user.slack_user_id = slack_user_id
        elif user.slack_user_id != slack_user_id:
            log.warning("Slack user %s has the email of a user linked to %s", slack_user_id, user.slack_user_id)
            return None
        return principal_for(session, user, Channel.slack)


async def slack_principal(
    sessions: sessionmaker[Session], client: AsyncWebClient, slack_user_id: str | None
) -> Principal | None:
    """The Dealwise principal for a Slack user, or None for anyone Dealwise does not know."""
    if not slack_user_id:
        return None
    principal = await asyncio.to_thread(_linked_principal, sessions, slack_user_id)
    if principal is not None:
        return principal
    try:
        info = await client.users_info(user=slack_user_id)
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", slack_user_id, exc.response.get("error"))
        return None
    user = info.get("user") or {}
    email = (user.get("profile") or {}).get("email")
    if not email or user.get("is_bot") or user.get("deleted"):
        return None
    return await asyncio.to_thread(_link_by_email, sessions, slack_user_id, email)
