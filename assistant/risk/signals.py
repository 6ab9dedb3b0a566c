"""Risk signals: one function each, reading a deal's state and returning a RiskReason or None.

The signals live by what they read: ``signals_momentum`` (touches, stage age, close dates, next
step, tasks, amount), ``signals_people`` (who is engaged), ``signals_conversations`` (competitors
and objections) and ``signals_history`` (win rates by lead source and size). This module lists
them in the model's feature order; ``assistant.risk.reasons`` holds what they return.
"""

import math

from assistant.risk.facts import DealState
from assistant.risk.reasons import RiskReason, Signal, SignalContext
from assistant.risk.signals_conversations import competitor_mentioned, negative_call_signals
from assistant.risk.signals_history import weak_deal_size, weak_lead_source
from assistant.risk.signals_momentum import (
    amount_cut,
    close_date_past,
    close_date_slipped,
    no_next_step,
    overdue_task,
    stage_stalled,
    stale_activity,
    thin_engagement,
)
from assistant.risk.signals_people import no_decision_maker, single_threaded

__all__ = ["FEATURES", "SIGNALS", "RiskReason", "SignalContext", "feature_vector", "log_odds", "read_signals"]

SIGNALS: dict[str, Signal] = {
    "stale_activity": stale_activity,
    "thin_engagement": thin_engagement,
    "close_date_slipped": close_date_slipped,
    "close_date_past": close_date_past,
    "stage_stalled": stage_stalled,
    "no_next_step": no_next_step,
    "overdue_task": overdue_task,
    "single_threaded": single_threaded,
    "no_decision_maker": no_decision_maker,
    "amount_cut": amount_cut,
    "competitor_mentioned": competitor_mentioned,
    "negative_call_signals": negative_call_signals,
    "weak_lead_source": weak_lead_source,
    "weak_deal_size": weak_deal_size,
}
FEATURES = list(SIGNALS)


def read_signals(state: DealState, ctx: SignalContext) -> list[RiskReason]:
    """Every signal present on the deal, in FEATURES order."""
    return [reason for signal in SIGNALS.values() if (reason := signal(state, ctx)) is not None]


def feature_vector(reasons: list[RiskReason]) -> list[float]:
    values = {reason.signal: reason.value for reason in reasons}
    return [values.get(name, 0.0) for name in FEATURES]


def log_odds(probability: float) -> float:
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
