"""What is normal in this org: activity cadence and time in each stage, win rates by lead source and size.

Baselines are computed from a set of deals (the training history) and then used to judge any deal,
so a backtest builds them from its training fold only.
"""

import bisect
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from assistant.risk.facts import DealFacts, RiskData

DEFAULT_CADENCE_DAYS = 7.0
DEFAULT_STAGE_DAYS = 30.0
MIN_SAMPLES = 5
SMOOTHING = 10.0
"""pseudo-deals at the overall win rate added to every segment"""


@dataclass(frozen=True)
class SegmentRate:
    label: str
    rate: float
    closed: int
    base_rate: float
    deficit: float = field(init=False)
    """how far below the overall win rate this segment is, in log-odds (0 when at or above)"""

    def __post_init__(self) -> None:
        object.__setattr__(self, "deficit", max(0.0, _logit(self.base_rate) - _logit(self.rate)))


def _logit(p: float) -> float:
    p = min(max(p, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


@dataclass
class WinRates:
    won: int = 0
    closed: int = 0
    by_source: dict[str, list[int]] = field(default_factory=dict)
    by_band: dict[int, list[int]] = field(default_factory=dict)
    size_edges: list[float] = field(default_factory=list)
    _memo: dict[tuple[str, object, bool | None], SegmentRate | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """segment rates already worked out (the counts are final once `win_rates` has filled them)"""

    @property
    def base(self) -> float:
        return self.won / self.closed if self.closed else 0.5

    def band(self, amount: float) -> int:
        return bisect.bisect_right(self.size_edges, amount)

    def band_label(self, band: int) -> str:
        edges = self.size_edges
        if not edges:
            return "any size"
        if band == 0:
            return f"under ${edges[0]:,.0f}"
        if band >= len(edges):
            return f"${edges[-1]:,.0f} and over"
        return f"${edges[band - 1]:,.0f}-${edges[band]:,.0f}"

    def _rate(self, label: str, counts: list[int] | None, own_outcome: bool | None) -> SegmentRate | None:
        if not counts or not self.closed:
            return None
        won, closed = counts
        base_won, base_closed = self.won, self.closed
        if own_outcome is not None:
            won, closed = won - int(own_outcome), closed - 1
            base_won, base_closed = base_won - int(own_outcome), base_closed - 1
        if closed <= 0 or base_closed <= 0:
            return None
        base = base_won / base_closed
        rate = (won + SMOOTHING * base) / (closed + SMOOTHING)
        return SegmentRate(label, rate, closed, base)

    def for_source(self, source: str | None, own_outcome: bool | None = None) -> SegmentRate | None:
        """Smoothed win rate of deals from this lead source; `own_outcome` leaves the deal itself out."""
        if not source:
            return None
        key = ("source", source, own_outcome)
        if key not in self._memo:
            self._memo[key] = self._rate(source, self.by_source.get(source), own_outcome)
        return self._memo[key]

    def for_size(self, amount: float, own_outcome: bool | None = None) -> SegmentRate | None:
        band = self.band(amount)
        key = ("band", band, own_outcome)
        if key not in self._memo:
            self._memo[key] = self._rate(self.band_label(band), self.by_band.get(band), own_outcome)
        return self._memo[key]


@dataclass
class Baselines:
    cadence_days: dict[int, float]
    cadence_overall: float
    stage_days: dict[int, float]
    stage_days_overall: float
    win_rates: WinRates
    touches_at_close: float = 10.0
    """median number of logged interactions on a closed deal"""
    cycle_days: float = 90.0
    """median days from creation to close"""

    def cadence(self, stage_id: int) -> float:
        return self.cadence_days.get(stage_id, self.cadence_overall)

    def stage_median(self, stage_id: int) -> float:
        return self.stage_days.get(stage_id, self.stage_days_overall)


def _stage_at(deal: DealFacts, moment: datetime) -> int:
    stage_id = deal.stage_changes[0].to_stage_id if deal.stage_changes else deal.stage_id
    for change in deal.stage_changes:
        if change.changed_at > moment:
            break
        stage_id = change.to_stage_id
    return stage_id


def _medians(samples: dict[int, list[float]], overall: list[float], default: float) -> tuple[dict[int, float], float]:
    overall_median = statistics.median(overall) if len(overall) >= MIN_SAMPLES else default
    per_stage = {
        stage_id: statistics.median(values) for stage_id, values in samples.items() if len(values) >= MIN_SAMPLES
    }
    return per_stage, overall_median


def win_rates(data: RiskData, deals: list[DealFacts]) -> WinRates:
    """Won/closed counts overall, by lead source and by size quartile, over the closed deals given."""
    rates = WinRates()
    closed = [(deal, data.won(deal)) for deal in deals if data.won(deal) is not None]
    if not closed:
        return rates
    amounts = sorted(deal.amount for deal, _ in closed)
    if len(amounts) >= 4 * MIN_SAMPLES:
        rates.size_edges = sorted({amounts[len(amounts) * q // 4] for q in (1, 2, 3)})
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_band: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for deal, won in closed:
        rates.won += int(bool(won))
        rates.closed += 1
        if deal.lead_source:
            by_source[deal.lead_source][0] += int(bool(won))
            by_source[deal.lead_source][1] += 1
        band = rates.band(deal.amount)
        by_band[band][0] += int(bool(won))
        by_band[band][1] += 1
    rates.by_source, rates.by_band = dict(by_source), dict(by_band)
    return rates


def compute_baselines(data: RiskData, deals: list[DealFacts], outcome_deals: list[DealFacts]) -> Baselines:
    """Cadence and stage-time medians from `deals`' history; win rates from the closed `outcome_deals`."""
    gaps: dict[int, list[float]] = defaultdict(list)
    all_gaps: list[float] = []
    stays: dict[int, list[float]] = defaultdict(list)
    all_stays: list[float] = []
    for deal in deals:
        touches = [activity for activity in deal.activities if activity.type != "task"]
        for previous, current in zip(touches, touches[1:], strict=False):
            gap = (current.occurred_at - previous.occurred_at).total_seconds() / 86400
            gaps[_stage_at(deal, current.occurred_at)].append(gap)
            all_gaps.append(gap)
        for entered, left in zip(deal.stage_changes, deal.stage_changes[1:], strict=False):
            if data.stages[entered.to_stage_id].is_closed:
                continue
            days = (left.changed_at - entered.changed_at).total_seconds() / 86400
            stays[entered.to_stage_id].append(days)
            all_stays.append(days)
    touch_counts = [sum(1 for a in deal.activities if a.type != "task") for deal in outcome_deals]
    cycles = [(deal.closed_at - deal.created_at).days for deal in outcome_deals if deal.closed_at is not None]
    cadence, cadence_overall = _medians(gaps, all_gaps, DEFAULT_CADENCE_DAYS)
    stage_days, stage_overall = _medians(stays, all_stays, DEFAULT_STAGE_DAYS)
    return Baselines(
        cadence_days={stage: max(1.0, days) for stage, days in cadence.items()},
        cadence_overall=max(1.0, cadence_overall),
        stage_days={stage: max(1.0, days) for stage, days in stage_days.items()},
        stage_days_overall=max(1.0, stage_overall),
        win_rates=win_rates(data, outcome_deals),
        touches_at_close=statistics.median(touch_counts) if len(touch_counts) >= MIN_SAMPLES else 10.0,
        cycle_days=max(1.0, statistics.median(cycles)) if len(cycles) >= MIN_SAMPLES else 90.0,
    )
