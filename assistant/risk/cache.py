"""A small process-level cache of fitted risk models, one per (database, day, competitor list).

Fitting reads the org's whole history, so it is done once a day per database and shared by every
request (threads included: a second request for the same key waits for the first fit instead of
fitting again). The day is part of the key, so the first request on a new day fits afresh and
drops the older days' entries for that database. The cache holds at most MAX_ENTRIES models.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

Value = TypeVar("Value")
MAX_ENTRIES = 8


@dataclass(frozen=True)
class CacheKey:
    database: Hashable
    day: date
    variant: Hashable = ()


class DailyCache(Generic[Value]):
    """Thread-safe, bounded (least recently used goes first), single-flight per key."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[CacheKey, Value] = OrderedDict()
        self._pending: dict[CacheKey, threading.Lock] = {}
        self._lock = threading.Lock()

    def get_or_build(self, key: CacheKey, build: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            key_lock = self._pending.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key]
            try:
                value = build()
            except BaseException:
                with self._lock:
                    self._pending.pop(key, None)
                raise
            with self._lock:
                for stale in [k for k in self._entries if k.database == key.database and k.day != key.day]:
                    del self._entries[stale]
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._pending.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def cached_keys(self) -> list[CacheKey]:
        with self._lock:
            return list(self._entries)


FITTED_MODELS: DailyCache[object] = DailyCache()
"""the fitted risk models (assistant.risk.engine.FittedRisk) of this process"""


def clear_risk_cache() -> None:
    """Forget every fitted model (tests, or after a bulk import that should be reflected at once)."""
    FITTED_MODELS.clear()
