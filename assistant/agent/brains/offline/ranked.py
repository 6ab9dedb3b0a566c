"""A deal named by its rank instead of its name: "my biggest deal", "our oldest open opportunity",
"the deal closing soonest". Resolved with the person's own scope, open deals first."""

import re

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assistant.agent.brains.offline.linking import Entity, Mention
from assistant.crm.access import scope_for
from assistant.crm.models import Deal, Stage
from assistant.crm.principal import Principal

RANKED = re.compile(
    r"\b(?P<whose>my|our|the|team'?s?)\s+(?P<rank>biggest|largest|highest[- ]value|most valuable|smallest|oldest|"
    r"newest|latest|most recent)\s+(?:open\s+)?(?:deal|opportunity|opp)\b|"
    r"\b(?:deal|opportunity|opp)\s+(?:of mine\s+)?closing\s+(?P<soon>soonest|next|first)\b",
    re.I,
)


def _ordered(rank: str, query: Select[tuple[int, str, int | None]]) -> Select[tuple[int, str, int | None]]:
    word = rank.lower().replace("-", " ")
    if word in ("biggest", "largest", "highest value", "most valuable"):
        return query.order_by(Deal.amount.desc().nulls_last(), Deal.id)
    if word == "smallest":
        return query.order_by(Deal.amount.asc().nulls_last(), Deal.id)
    if word == "oldest":
        return query.order_by(Deal.created_at.asc(), Deal.id)
    if word in ("newest", "latest", "most recent"):
        return query.order_by(Deal.created_at.desc(), Deal.id.desc())
    return query.order_by(Deal.close_date.asc().nulls_last(), Deal.id)


def ranked_deal(
    message: str, session: Session, principal: Principal, account_ids: list[int] | None = None
) -> Mention | None:
    """The open deal the message points at by rank ("my biggest deal"), within what the person can see; "my"
    means the deals they own, "our"/"the" every open deal in their scope; at the accounts named, when any."""
    found = RANKED.search(message)
    if found is None:
        return None
    query = (
        select(Deal.id, Deal.name, Deal.account_id)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False), scope_for(principal, Deal))
    )
    if (found["whose"] or "my").lower() == "my":
        query = query.where(Deal.owner_id == principal.user_id)
    if account_ids:  # "my biggest deal at Meridian Hotels": that account's
        query = query.where(Deal.account_id.in_(account_ids))
    row = session.execute(_ordered(found["rank"] or "soonest", query).limit(1)).first()
    if row is None:
        return None
    return Mention(Entity("deal", row.id, row.name, row.account_id), found.group(0), 1.0)
