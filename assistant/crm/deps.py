"""The one dependency object a turn passes to every tool: no globals, no hidden lookups."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.principal import Principal
from assistant.crm.settings import Settings


class RetrievedChunk(Protocol):
    record_type: str
    record_id: int
    text: str
    score: float


class Retriever(Protocol):
    """The semantic index as tools use it (``ingest.vector_store.NoteIndex`` in production)."""

    def query(
        self,
        text: str,
        *,
        owner_ids: list[int] | None,
        n: int = 5,
        account_id: int | None = None,
        deal_id: int | None = None,
    ) -> Sequence[RetrievedChunk]: ...

    def count(self) -> int: ...


@dataclass
class Deps:
    principal: Principal
    session: Session
    clock: Clock
    settings: Settings
    retriever: Retriever | None = None
