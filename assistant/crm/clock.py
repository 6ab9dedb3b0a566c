"""The clock lives in Deps so evals and tests replay exactly."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Clock:
    now_fn: Callable[[], datetime] = field(default=_utcnow)

    def now(self) -> datetime:
        return self.now_fn()

    def today(self) -> date:
        return self.now().date()

    @classmethod
    def fixed(cls, moment: datetime) -> "Clock":
        return cls(now_fn=lambda: moment)
