"""Risk signals from the org's history: lead sources and deal sizes that win less often than average."""

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.baselines import SegmentRate
from assistant.risk.facts import DealState
from assistant.risk.reasons import RiskReason, SignalContext, deal_ref


def _segment_reason(signal: str, what: str, segment: SegmentRate | None, state: DealState) -> RiskReason | None:
    if segment is None or segment.deficit < 0.15:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        sentence = (
            f"{what} {segment.label} have won {segment.rate:.0%} of the time ({segment.closed} closed) "
            f"against {segment.base_rate:.0%} overall."
        )
        return sentence, [deal_ref(state)]

    return RiskReason.lazy(signal, min(2.0, segment.deficit), render)


def weak_lead_source(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The deal's lead source wins less often than the org's average (smoothed historical rate)."""
    segment = ctx.baselines.win_rates.for_source(state.facts.lead_source, ctx.own_outcome)
    return _segment_reason("weak_lead_source", "Deals from", segment, state)


def weak_deal_size(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Deals of this size win less often than the org's average (smoothed historical rate)."""
    segment = ctx.baselines.win_rates.for_size(state.amount, ctx.own_outcome)
    return _segment_reason("weak_deal_size", "Deals sized", segment, state)
