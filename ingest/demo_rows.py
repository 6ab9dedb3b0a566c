"""Bulk inserts for the demo generator: rows with explicit ids, collected per table and written in chunks."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session


class RowBatch:
    """Collects rows per table and inserts them in chunks (the large set has a million activities)."""

    def __init__(self, session: Session, chunk: int = 5_000) -> None:
        self.session = session
        self.chunk = chunk
        self.rows: dict[type, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        """rows inserted so far, by table name"""

    def add(self, model: type, row: dict[str, Any]) -> None:
        rows = self.rows.setdefault(model, [])
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush()

    def flush(self, model: type | None = None) -> None:
        for target in [model] if model else list(self.rows):
            rows = self.rows.get(target) or []
            if rows:
                self.session.execute(insert(target), rows)
                name = target.__tablename__  # type: ignore[attr-defined]
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                self.rows[target] = []


class IdSequence:
    """The next explicit id for each kind of record the generator numbers itself."""

    def __init__(self, *kinds: str) -> None:
        self._next = dict.fromkeys(kinds, 1)

    def peek(self, kind: str) -> int:
        return self._next[kind]

    def take(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value
