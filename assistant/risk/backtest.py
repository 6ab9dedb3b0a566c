"""How well the risk score would have predicted outcomes, measured out of sample.

Every closed deal is scored by a model (and baselines, and win rates) built without it:
- `kfold`: stratified k folds (k raised on small histories so each training fold can still learn);
- `time`: an expanding window in close order: train on everything closed before a block, test the block.
Reported: AUC (does a lost deal score above a won one), calibration by decile of predicted risk
(predicted vs observed loss rate), and the Brier score, next to the base-rate Brier for reference.
"""

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
from sqlalchemy.orm import Session

from assistant.crm.errors import ValidationFailed
from assistant.risk.baselines import compute_baselines
from assistant.risk.engine import TRAINING_CUTOFF, closed_before, paused_gc, training_rows
from assistant.risk.facts import DealFacts, RiskData, load_facts, state_at
from assistant.risk.model import MIN_CLOSED, train
from assistant.risk.signals import SignalContext, feature_vector, read_signals

Method = Literal["kfold", "time"]


@dataclass
class CalibrationBin:
    decile: int
    deals: int
    predicted_loss_rate: float
    observed_loss_rate: float


@dataclass
class BacktestReport:
    method: str
    folds: int
    closed_deals: int
    scored_deals: int
    lost_share: float
    auc: float
    brier: float
    base_rate_brier: float
    calibration: list[CalibrationBin] = field(default_factory=list)
    learned_folds: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def auc(scores: np.ndarray, positives: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    positive, negative = scores[positives == 1], scores[positives == 0]
    if len(positive) == 0 or len(negative) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([positive, negative]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([positive, negative])[order]
    position = 0
    while position < len(values):
        end = position
        while end + 1 < len(values) and values[end + 1] == values[position]:
            end += 1
        ranks[order[position : end + 1]] = (position + end) / 2 + 1
        position = end + 1
    rank_sum = ranks[: len(positive)].sum()
    return float((rank_sum - len(positive) * (len(positive) + 1) / 2) / (len(positive) * len(negative)))


def calibration(predicted: np.ndarray, lost: np.ndarray, bins: int = 10) -> list[CalibrationBin]:
    order = np.argsort(predicted, kind="mergesort")
    table = []
    for decile, chunk in enumerate(np.array_split(order, min(bins, len(order))), start=1):
        if len(chunk):
            table.append(
                CalibrationBin(
                    decile, len(chunk), round(float(predicted[chunk].mean()), 3), round(float(lost[chunk].mean()), 3)
                )
            )
    return table


def _folds(deals: list[DealFacts], data: RiskData, method: Method, folds: int) -> list[tuple[list[int], list[int]]]:
    count = len(deals)
    if method == "time":
        order = sorted(range(count), key=lambda i: deals[i].closed_at)  # type: ignore[arg-type,return-value]
        blocks = np.array_split(np.array(order), folds)
        return [([int(i) for block in blocks[:k] for i in block], [int(i) for i in blocks[k]]) for k in range(1, folds)]
    if count > MIN_CLOSED:
        folds = max(folds, math.ceil(count / max(1, count - MIN_CLOSED)))
    folds = min(folds, count)
    rng = np.random.default_rng(7)
    assignment = np.empty(count, dtype=int)
    for outcome in (True, False):
        members = [i for i in range(count) if data.won(deals[i]) is outcome]
        shuffled = rng.permutation(members)
        assignment[shuffled] = np.arange(len(shuffled)) % folds
    return [
        ([i for i in range(count) if assignment[i] != k], [i for i in range(count) if assignment[i] == k])
        for k in range(folds)
    ]


def run_backtest(
    session: Session, now: datetime, method: Method = "kfold", folds: int = 5, competitors: tuple[str, ...] = ()
) -> BacktestReport:
    """Score every closed deal with a model that never saw it; see the module docstring."""
    if method not in ("kfold", "time"):
        raise ValidationFailed("method", "must be 'kfold' or 'time'")
    if folds < 2:
        raise ValidationFailed("folds", "must be at least 2")
    with paused_gc():
        return _backtest(session, now, method, folds, competitors)


def _backtest(
    session: Session, now: datetime, method: Method, folds: int, competitors: tuple[str, ...]
) -> BacktestReport:
    data = load_facts(session)
    closed = closed_before(data, data.deals.values(), now)
    if len(closed) < 2 * folds:
        raise ValidationFailed("history", f"{len(closed)} closed deals are too few to backtest with {folds} folds")
    predictions: list[float] = []
    outcomes: list[float] = []
    splits = _folds(closed, data, method, folds)
    learned = 0
    for train_index, test_index in splits:
        training = [closed[i] for i in train_index]
        baselines = compute_baselines(data, training, training)
        rows, lost = training_rows(data, training, baselines, competitors)
        model = train(rows, lost)
        learned += int(model.learned)
        unobserved = [model.features.index(name) for name in model.fixed_features]
        for i in test_index:
            deal = closed[i]
            assert deal.closed_at is not None
            state = state_at(deal, data.stages, deal.closed_at - TRAINING_CUTOFF)
            reasons = read_signals(state, SignalContext(data, baselines, competitors))
            row = np.array(feature_vector(reasons))
            row[unobserved] = 0.0
            predictions.append(float(model.probability(row)))
            outcomes.append(0.0 if data.won(deal) else 1.0)
    predicted, lost_array = np.array(predictions), np.array(outcomes)
    base = float(lost_array.mean())
    return BacktestReport(
        method=method,
        folds=len(splits),
        closed_deals=len(closed),
        scored_deals=len(predicted),
        lost_share=round(base, 3),
        auc=round(auc(predicted, lost_array), 3),
        brier=round(float(np.mean((predicted - lost_array) ** 2)), 4),
        base_rate_brier=round(float(np.mean((base - lost_array) ** 2)), 4),
        calibration=calibration(predicted, lost_array),
        learned_folds=learned,
    )
