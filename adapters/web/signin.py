"""Sign-in help printed at start-up: for each demo user, an API token and a one-click web link."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import User
from assistant.crm.security import issue_token
from assistant.crm.settings import Settings
from ingest.demo import DEMO_DOMAIN


def demo_sign_in_lines(session: Session, settings: Settings, host: str, port: int) -> list[str]:
    users = session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id)).all()
    lines = []
    for user in users:
        token = issue_token(session, user, label="demo")
        lines.append(f"  {user.role:<8} {user.email:<32} http://{host}:{port}/login/token?t={token}")
        lines.append(f"  {'':<8} curl -H 'Authorization: Bearer {token}' http://{host}:{port}/api/deals")
    return lines
