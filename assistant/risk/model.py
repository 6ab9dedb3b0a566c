"""An explainable logistic regression of "this deal will be lost" on the risk signals.

Each signal's weight is its contribution to the log-odds of losing, so a deal's reasons add up to
its score. Weights are fitted (Newton/IRLS, numpy only) on the org's closed deals as they stood just
before they closed, with an L2 penalty that pulls each weight towards a sensible default: with
little history the defaults dominate, with plenty the data does. Below MIN_CLOSED closed deals the
defaults are used as they are. Weights stay positive (a risk signal never lowers risk; at least a tenth of the default),
and a signal that never varies in the history (e.g. tasks are never open on closed deals) keeps its
default weight rather than being learned from nothing.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from assistant.risk.signals import FEATURES, RiskReason, log_odds

MIN_CLOSED = 40
L2_PENALTY = 2.0
DEFAULT_BASE_RISK = 0.15
DEFAULT_WEIGHTS: dict[str, float] = {
    "stale_activity": 0.8,
    "thin_engagement": 0.5,
    "close_date_slipped": 0.45,
    "close_date_past": 0.9,
    "stage_stalled": 0.5,
    "no_next_step": 0.6,
    "overdue_task": 0.4,
    "single_threaded": 0.8,
    "no_decision_maker": 0.5,
    "amount_cut": 0.5,
    "competitor_mentioned": 0.4,
    "negative_call_signals": 0.4,
    "weak_lead_source": 0.7,
    "weak_deal_size": 0.7,
}
MIN_WEIGHT_SHARE = 0.1
"""a learned weight never drops below this share of its default: the model ranks signals, it does not mute one"""
HIGH_RISK = 0.6
MEDIUM_RISK = 0.35


def level_for(probability: float) -> str:
    if probability >= HIGH_RISK:
        return "high"
    if probability >= MEDIUM_RISK:
        return "medium"
    return "low"


@dataclass
class RiskModel:
    features: list[str]
    weights: np.ndarray
    intercept: float
    trained_on: int = 0
    learned: bool = False
    fixed_features: list[str] = field(default_factory=list)
    """signals that never varied in the history: they keep their default weight"""
    _weights_by_name: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._weights_by_name = {name: float(w) for name, w in zip(self.features, self.weights, strict=True)}

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return _sigmoid(rows @ self.weights + self.intercept)

    def explain(self, reasons: list[RiskReason]) -> tuple[float, list[RiskReason]]:
        """Probability of losing the deal and its reasons weighted, strongest first (zero-weight ones dropped)."""
        weight_of = self._weights_by_name
        weighted = []
        for reason in reasons:
            reason.weight = round(weight_of[reason.signal] * reason.value, 3)
            if reason.weight > 0:
                weighted.append(reason)
        total = self.intercept + sum(reason.weight for reason in weighted)
        return 1.0 / (1.0 + math.exp(-min(max(total, -35.0), 35.0))), sorted(weighted, key=lambda r: -r.weight)

    def describe(self) -> str:
        if self.learned:
            return f"weights learned from {self.trained_on} closed deals"
        return f"default weights (only {self.trained_on} closed deals in the history; {MIN_CLOSED} needed to learn)"

    def as_dict(self) -> dict[str, object]:
        return {
            "learned": self.learned,
            "trained_on": self.trained_on,
            "intercept": round(self.intercept, 4),
            "weights": {name: round(float(w), 4) for name, w in zip(self.features, self.weights, strict=True)},
            "fixed_features": self.fixed_features,
        }


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def default_model(trained_on: int = 0) -> RiskModel:
    weights = np.array([DEFAULT_WEIGHTS[name] for name in FEATURES])
    return RiskModel(list(FEATURES), weights, log_odds(DEFAULT_BASE_RISK), trained_on, learned=False)


def fit_logistic(
    rows: np.ndarray,
    lost: np.ndarray,
    prior: np.ndarray,
    lower: np.ndarray | None = None,
    penalty: float = L2_PENALTY,
    iterations: int = 50,
) -> tuple[np.ndarray, float]:
    """MAP logistic regression: weights >= `lower` (default 0) with a Gaussian prior around `prior`; free intercept."""
    n_features = rows.shape[1]
    lower = np.zeros(n_features) if lower is None else lower
    weights = np.maximum(prior.astype(float), lower)
    rate = float(np.clip(lost.mean(), 1e-3, 1 - 1e-3))
    intercept = float(np.log(rate / (1 - rate))) - float(rows.mean(axis=0) @ weights)
    free = np.ones(n_features, dtype=bool)
    for _ in range(n_features + 1):
        for _ in range(iterations):
            columns = np.flatnonzero(free)
            design = np.hstack([np.ones((rows.shape[0], 1)), rows[:, columns]])
            predicted = _sigmoid(rows @ weights + intercept)
            gradient = design.T @ (predicted - lost)
            gradient[1:] += penalty * (weights[columns] - prior[columns])
            curvature = predicted * (1 - predicted)
            hessian = design.T @ (design * curvature[:, None])
            hessian[np.diag_indices_from(hessian)] += np.r_[1e-6, np.full(len(columns), penalty)]
            step = np.linalg.solve(hessian, gradient)
            intercept -= step[0]
            weights[columns] -= step[1:]
            if np.max(np.abs(step)) < 1e-8:
                break
        below = free & (weights < lower)
        if not below.any():
            break
        weights[below] = lower[below]
        free &= ~below
    return weights, float(intercept)


def train(rows: np.ndarray, lost: np.ndarray) -> RiskModel:
    """A model from feature rows of closed deals (as they stood before closing) and whether each was lost."""
    count = int(len(lost))
    if count < MIN_CLOSED or lost.min() == lost.max():
        return default_model(count)
    prior = np.array([DEFAULT_WEIGHTS[name] for name in FEATURES])
    constant = np.ptp(rows, axis=0) == 0
    observed = rows.copy()
    observed[:, constant] = 0.0
    weights, intercept = fit_logistic(observed, lost.astype(float), prior, lower=MIN_WEIGHT_SHARE * prior)
    fixed = [name for name, is_constant in zip(FEATURES, constant, strict=True) if is_constant]
    return RiskModel(list(FEATURES), weights, intercept, count, learned=True, fixed_features=fixed)
