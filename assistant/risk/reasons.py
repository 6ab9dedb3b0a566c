"""What a risk signal returns, what it reads besides the deal, and the record references its evidence uses.

A reason carries the signal's strength (`value`, the model's feature: 0 when the signal is absent),
a sentence a manager can read, and the records that show it (activities, audit entries, tasks,
stage changes, calls). The model turns strengths into weights (log-odds of losing the deal).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.baselines import Baselines
from assistant.risk.facts import ActivityFact, AuditFact, DealState, RiskData

Render = Callable[[], tuple[str, list[RecordRef]]]


class RiskReason:
    """One signal present on a deal: its strength, and (written on first read) a sentence and the evidence."""

    __slots__ = ("signal", "value", "weight", "_sentence", "_evidence", "_render")

    def __init__(
        self,
        signal: str,
        value: float,
        sentence: str = "",
        evidence: list[RecordRef] | None = None,
        weight: float = 0.0,
        render: Render | None = None,
    ) -> None:
        self.signal = signal
        self.value = value
        """strength of the signal, the model's input (0 = absent)"""
        self.weight = weight
        """contribution to the log-odds of losing the deal, set by the model"""
        self._sentence = sentence
        self._evidence = list(evidence or [])
        self._render = render

    @classmethod
    def lazy(cls, signal: str, value: float, render: Render) -> "RiskReason":
        """A reason whose sentence and evidence are only written when someone reads them (most are never read)."""
        return cls(signal, value, render=render)

    def _resolve(self) -> None:
        if self._render is not None:
            self._sentence, self._evidence = self._render()
            self._render = None

    @property
    def sentence(self) -> str:
        self._resolve()
        return self._sentence

    @property
    def evidence(self) -> list[RecordRef]:
        self._resolve()
        return self._evidence

    def __repr__(self) -> str:
        return f"RiskReason({self.signal!r}, value={self.value:.3f}, weight={self.weight:.3f}, {self.sentence!r})"


@dataclass
class SignalContext:
    data: RiskData
    baselines: Baselines
    competitors: tuple[str, ...] = ()
    own_outcome: bool | None = None
    """the deal's own outcome when it is part of the win-rate history (left out of its own rates)"""


Signal = Callable[[DealState, SignalContext], RiskReason | None]


def days_between(later: datetime, earlier: datetime) -> int:
    return (later - earlier).days


def activity_ref(activity: ActivityFact) -> RecordRef:
    return RecordRef(type="activity", id=activity.id, name=f"{activity.subject} ({activity.occurred_at:%Y-%m-%d})")


def audit_ref(entry: AuditFact, field_name: str) -> RecordRef:
    old, new = entry.changes[field_name]
    return RecordRef(type="audit", id=entry.id, name=f"{field_name} {old} -> {new} ({entry.at:%Y-%m-%d})")


def deal_ref(state: DealState) -> RecordRef:
    return RecordRef(type="deal", id=state.facts.id, name=state.facts.name)
