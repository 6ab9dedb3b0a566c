"""The org's risk engine: baselines and a model fitted on its history, and the assessment of any deal in it.

The fit (every deal loaded in bulk) is cached per database and day (assistant.risk.cache); a request
then loads only the deals it assesses: one deal with a few targeted queries, a team's in bulk.

Training rows are closed deals as they stood TRAINING_CUTOFF before they closed (only what was known
then), with lead-source and size win rates that leave the deal itself out.
"""

import gc
import threading
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select
from sqlalchemy.orm import Session

from assistant.crm.errors import NotFound
from assistant.crm.services.catalog import competitor_names
from assistant.crm.settings import Settings
from assistant.risk.baselines import Baselines, compute_baselines
from assistant.risk.cache import FITTED_MODELS, CacheKey
from assistant.risk.facts import DealFacts, DealState, RiskData, load_facts, load_stages, state_at
from assistant.risk.model import RiskModel, level_for, train
from assistant.risk.signals import RiskReason, SignalContext, feature_vector, read_signals

TRAINING_CUTOFF = timedelta(days=1)


@dataclass
class Assessment:
    state: DealState
    probability: float
    reasons: list[RiskReason]

    @property
    def deal(self) -> DealFacts:
        return self.state.facts

    @property
    def score(self) -> int:
        return round(self.probability * 100)

    @property
    def level(self) -> str:
        return level_for(self.probability)


def closed_before(data: RiskData, deals: Iterable[DealFacts], moment: datetime) -> list[DealFacts]:
    return [
        deal for deal in deals if deal.closed_at is not None and deal.closed_at < moment and data.won(deal) is not None
    ]


def training_rows(
    data: RiskData, deals: list[DealFacts], baselines: Baselines, competitors: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of closed deals as they stood just before closing, and 1 where the deal was lost."""
    rows, lost = [], []
    for deal in deals:
        won = data.won(deal)
        assert deal.closed_at is not None and won is not None
        as_of = deal.closed_at - TRAINING_CUTOFF
        context = SignalContext(data, baselines, competitors, own_outcome=won)
        rows.append(feature_vector(read_signals(state_at(deal, data.stages, as_of), context)))
        lost.append(0.0 if won else 1.0)
    return np.array(rows, dtype=float).reshape(len(rows), -1), np.array(lost)


def assess_state(
    state: DealState, data: RiskData, baselines: Baselines, model: RiskModel, competitors: tuple[str, ...]
) -> Assessment:
    reasons = read_signals(state, SignalContext(data, baselines, competitors))
    probability, weighted = model.explain(reasons)
    return Assessment(state, probability, weighted)


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while facts for thousands of deals are built and scored.

    The facts hold no reference cycles (reference counting frees them), but allocating a few
    hundred thousand objects triggers repeated collections that traverse them all: about a
    quarter of team_risk's CPU time on the medium demo set. Nested and concurrent pauses are counted; the
    collector is re-enabled when the last one ends, if it was enabled before the first.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


@dataclass(frozen=True)
class FittedRisk:
    """What a fit on the org's history yields; shared (read-only) by every request of the day."""

    baselines: Baselines
    model: RiskModel
    competitors: tuple[str, ...]
    fitted_at: datetime


def fit_risk(session: Session, now: datetime, competitors: tuple[str, ...]) -> FittedRisk:
    """Load every deal in bulk, compute baselines from their history and fit the model on those closed before now."""
    with paused_gc():
        baselines, rows, lost = _history(session, now, competitors)
    return FittedRisk(baselines, train(rows, lost), competitors, now)


def _history(session: Session, now: datetime, competitors: tuple[str, ...]) -> tuple[Baselines, np.ndarray, np.ndarray]:
    """Baselines and training rows; the facts behind them are freed when this returns."""
    data = load_facts(session)
    history = list(data.deals.values())
    closed = closed_before(data, history, now)
    baselines = compute_baselines(data, history, closed)
    rows, lost = training_rows(data, closed, baselines, competitors)
    return baselines, rows, lost


@dataclass
class RiskEngine:
    """The day's fitted model plus the facts of the deals this request looks at, loaded on demand."""

    session: Session
    fitted: FittedRisk
    now: datetime
    data: RiskData

    @property
    def baselines(self) -> Baselines:
        return self.fitted.baselines

    @property
    def model(self) -> RiskModel:
        return self.fitted.model

    @property
    def competitors(self) -> tuple[str, ...]:
        return self.fitted.competitors

    def without_facts(self) -> "RiskEngine":
        """An engine on the same fitted model and session with no deal facts loaded (a scratch copy)."""
        return RiskEngine(self.session, self.fitted, self.now, RiskData({}, self.data.stages, {}))

    def load(self, deals: Iterable[int] | Select[Any]) -> None:
        """Bulk-load the facts of deals not loaded yet: given by id, or by a one-column select of ids."""
        if isinstance(deals, Select):
            loaded = load_facts(self.session, deals)
        else:
            missing = {deal_id for deal_id in deals if deal_id not in self.data.deals}
            if not missing:
                return
            loaded = load_facts(self.session, missing)
        for deal_id, facts in loaded.deals.items():
            self.data.deals.setdefault(deal_id, facts)
        self.data.contacts.update(loaded.contacts)

    def assess(self, deal_id: int, as_of: datetime | None = None) -> Assessment:
        """The deal now, or as it stood at `as_of` (seen from then)."""
        if deal_id not in self.data.deals:
            self.load([deal_id])
        facts = self.data.deals.get(deal_id)
        if facts is None:
            raise NotFound("deal", deal_id)
        state = state_at(facts, self.data.stages, as_of or datetime.max, now=as_of or self.now)
        return assess_state(state, self.data, self.baselines, self.model, self.competitors)


def database_key(session: Session) -> Hashable:
    """Which database a session reads: its URL (and, for in-memory SQLite, the engine itself)."""
    bind = session.get_bind()
    url = bind.url
    rendered = url.render_as_string(hide_password=True)
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    return (rendered, id(bind)) if in_memory else rendered


def build_engine(session: Session, now: datetime, settings: Settings | None = None) -> RiskEngine:
    """The risk engine for this request: the day's fitted model (fitted on the first call of the day, then
    cached per database and competitor list) and an empty set of deal facts that fills as deals are assessed.
    Competitors are the database's and ``settings.competitors``."""
    competitors = competitor_names(session, settings)
    key = CacheKey(database_key(session), now.date(), competitors)
    fitted = FITTED_MODELS.get_or_build(key, lambda: fit_risk(session, now, competitors))
    assert isinstance(fitted, FittedRisk)
    return RiskEngine(session, fitted, now, RiskData({}, load_stages(session), {}))
