"""What a deployment decides about its own sales process: its competitors (stages live on pipelines)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Competitor
from assistant.crm.settings import Settings


def competitor_names(session: Session, settings: Settings | None = None) -> tuple[str, ...]:
    """The competitors stored in the database, then those named by DEALWISE_COMPETITORS, each once."""
    stored = session.scalars(select(Competitor.name).order_by(Competitor.id))
    names = [*stored, *(settings.competitors if settings is not None else [])]
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))
