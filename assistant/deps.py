"""The one dependency object a turn passes to every tool: no globals, no hidden lookups."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from assistant.clock import Clock
from assistant.principal import Principal
from assistant.settings import Settings

if TYPE_CHECKING:
    from ingest.vector_store import NoteIndex


@dataclass
class Deps:
    principal: Principal
    session: Session
    clock: Clock
    settings: Settings
    retriever: "NoteIndex | None" = None
