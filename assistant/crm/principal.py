"""Who is asking: resolved once per request by every channel, then passed everywhere."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.crm.models import Channel, Role, Team, User


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    name: str
    role: Role
    team_id: int | None
    channel: Channel
    visible_owner_ids: frozenset[int] | None
    """Users whose records this person may see; None means everyone (admin)."""

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_manager(self) -> bool:
        return self.role == Role.manager

    def with_channel(self, channel: Channel) -> "Principal":
        return Principal(self.user_id, self.email, self.name, self.role, self.team_id, channel, self.visible_owner_ids)


def visible_owner_ids(session: Session, user: User) -> frozenset[int] | None:
    if user.role == Role.admin:
        return None
    if user.role == Role.manager:
        managed = select(Team.id).where(Team.manager_id == user.id)
        conditions = [User.team_id.in_(managed)]
        if user.team_id is not None:
            conditions.append(User.team_id == user.team_id)
        members = session.scalars(select(User.id).where(or_(*conditions))).all()
        return frozenset({user.id, *members})
    return frozenset({user.id})


def principal_for(session: Session, user: User, channel: Channel) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=Role(user.role),
        team_id=user.team_id,
        channel=channel,
        visible_owner_ids=visible_owner_ids(session, user),
    )
