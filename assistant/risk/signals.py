"""Risk signals: one function each, reading a deal's state and returning a RiskReason or None.

A reason carries the signal's strength (`value`, the model's feature: 0 when the signal is absent),
a sentence a manager can read, and the records that show it (activities, audit entries, tasks,
stage changes, calls). The model turns strengths into weights (log-odds of losing the deal).
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.baselines import Baselines, SegmentRate
from assistant.risk.facts import RECENT_DAYS, ActivityFact, AuditFact, DealState, RiskData
from assistant.risk.mentions import NOTHING_FOUND, TextFindings, competitors_in, objections, text_findings

DECISION_TITLE_PATTERN = re.compile(
    r"\b(ceo|cfo|cto|coo|cio|cro|chief|vp|vice president|president|founder|owner|head of)\b", re.IGNORECASE
)
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


def _days(later: datetime, earlier: datetime) -> int:
    return (later - earlier).days


def _activity_ref(activity: ActivityFact) -> RecordRef:
    return RecordRef(type="activity", id=activity.id, name=f"{activity.subject} ({activity.occurred_at:%Y-%m-%d})")


def _audit_ref(entry: AuditFact, field_name: str) -> RecordRef:
    old, new = entry.changes[field_name]
    return RecordRef(type="audit", id=entry.id, name=f"{field_name} {old} -> {new} ({entry.at:%Y-%m-%d})")


def _deal_ref(state: DealState) -> RecordRef:
    return RecordRef(type="deal", id=state.facts.id, name=state.facts.name)


def stale_activity(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """No activity for much longer than deals in this stage usually go between touches."""
    touches = state.touches
    since = touches[-1].occurred_at if touches else state.facts.created_at
    days = _days(state.now, since)
    cadence = ctx.baselines.cadence(state.stage_id)
    threshold = max(7.0, 2 * cadence)
    if days < threshold:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        stage = ctx.data.stage(state.stage_id).name
        what = "activity" if touches else "activity since the deal was created"
        sentence = f"No {what} for {days} days; deals in {stage} are usually touched every {cadence:.0f} days."
        return sentence, [_activity_ref(touches[-1])] if touches else [_deal_ref(state)]

    return RiskReason.lazy("stale_activity", min(3.0, days / threshold), render)


def thin_engagement(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Far fewer logged interactions than a typical deal of this age has had."""
    age = max(1, _days(state.now, state.facts.created_at))
    expected = ctx.baselines.touches_at_close * min(1.0, age / ctx.baselines.cycle_days)
    touches = len(state.touches)
    if expected < 2 or touches >= 0.8 * expected:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        noun = "interaction" if touches == 1 else "interactions"
        sentence = f"Only {touches} logged {noun} in {age} days; a typical deal has about {expected:.0f} by this point."
        return sentence, [_activity_ref(a) for a in state.touches[-3:]] or [_deal_ref(state)]

    return RiskReason.lazy("thin_engagement", min(2.0, math.log2(expected / max(touches, 0.5))), render)


def close_date_slipped(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The close date was pushed out (how often, how far) according to the audit log."""
    slips = []
    for entry in state.audits:
        change = entry.changes.get("close_date")
        if isinstance(change, list) and len(change) == 2 and change[0] and change[1] and change[1] > change[0]:
            slips.append(entry)
    if not slips:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        first_old = slips[0].changes["close_date"][0]
        last_new = slips[-1].changes["close_date"][1]
        pushed = (date.fromisoformat(str(last_new)[:10]) - date.fromisoformat(str(first_old)[:10])).days
        times = "once" if len(slips) == 1 else f"{len(slips)} times"
        sentence = f"Close date pushed out {times}, {pushed} days in all (from {first_old[:10]} to {last_new[:10]})."
        return sentence, [_audit_ref(e, "close_date") for e in slips]

    return RiskReason.lazy("close_date_slipped", min(3.0, float(len(slips))), render)


def close_date_past(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The close date has passed and the deal is still open."""
    if not state.is_open or state.close_date is None or state.close_date >= state.now.date():
        return None
    close_date = state.close_date

    def render() -> tuple[str, list[RecordRef]]:
        overdue = (state.now.date() - close_date).days
        evidence = [_deal_ref(state)]
        setters = [e for e in state.audits if isinstance(e.changes.get("close_date"), list)]
        if setters:
            evidence.append(_audit_ref(setters[-1], "close_date"))
        sentence = f"Close date {close_date.isoformat()} passed {overdue} days ago and the deal is still open."
        return sentence, evidence

    return RiskReason.lazy("close_date_past", 1.0, render)


def stage_stalled(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """In the current stage far longer than the pipeline's median for that stage."""
    age = _days(state.now, state.stage_entered_at)
    median = ctx.baselines.stage_median(state.stage_id)
    threshold = max(14.0, 2 * median)
    if age < threshold:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        stage = ctx.data.stage(state.stage_id).name
        sentence = f"In {stage} for {age} days; the median deal moves on after {median:.0f} days."
        if state.stage_change_id is not None:
            entered = f"entered {stage} ({state.stage_entered_at:%Y-%m-%d})"
            return sentence, [RecordRef(type="stage_change", id=state.stage_change_id, name=entered)]
        return sentence, [_deal_ref(state)]

    return RiskReason.lazy("stage_stalled", min(3.0, age / threshold), render)


def no_next_step(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """No next step is recorded on an open deal."""
    if not state.is_open or (state.next_step or "").strip():
        return None
    return RiskReason.lazy("no_next_step", 1.0, lambda: ("No next step is recorded on the deal.", [_deal_ref(state)]))


def overdue_task(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Open tasks past their due date."""
    today = state.now.date()
    overdue = [task for task in state.open_tasks if task.due_date is not None and task.due_date < today]
    if not overdue:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        oldest = min(overdue, key=lambda task: task.due_date)  # type: ignore[arg-type,return-value]
        late = (today - oldest.due_date).days  # type: ignore[operator]
        count = "1 open task is" if len(overdue) == 1 else f"{len(overdue)} open tasks are"
        sentence = f"{count} overdue: '{oldest.subject}' was due {oldest.due_date} ({late} days late)."
        return sentence, [RecordRef(type="activity", id=t.id, name=f"{t.subject} (due {t.due_date})") for t in overdue]

    return RiskReason.lazy("overdue_task", min(2.0, float(len(overdue))), render)


def single_threaded(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """At most one contact engaged across the deal's activities."""
    engaged = state.engaged
    if len(engaged) > 1 or not state.touches:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        if not engaged:
            sentence = f"No contact is named on any of the {len(state.touches)} logged activities."
            return sentence, [_activity_ref(a) for a in state.touches[-3:]]
        contact_id, activities = next(iter(engaged.items()))
        contact = ctx.data.contacts.get(contact_id)
        who = f"{contact.name}{f', {contact.title}' if contact and contact.title else ''}" if contact else "one contact"
        plural = "activity" if len(activities) == 1 else "activities"
        sentence = f"Single-threaded: only {who} has been engaged ({len(activities)} {plural})."
        evidence = [RecordRef(type="contact", id=contact_id, name=contact.name if contact else str(contact_id))]
        return sentence, evidence + [_activity_ref(a) for a in activities[-3:]]

    return RiskReason.lazy("single_threaded", 1.0, render)


@lru_cache(maxsize=4096)
def is_decision_maker(title: str | None) -> bool:
    return bool(title) and bool(DECISION_TITLE_PATTERN.search(title or ""))


def no_decision_maker(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """None of the contacts engaged holds a decision-making title (CEO, CFO, CTO, VP...)."""
    if not state.touches:
        return None
    titles = [ctx.data.contacts[c] for c in state.engaged if c in ctx.data.contacts]
    if any(is_decision_maker(contact.title) for contact in titles):
        return None

    def render() -> tuple[str, list[RecordRef]]:
        seen = ", ".join(f"{c.name} ({c.title or 'no title'})" for c in titles) or "nobody named"
        evidence = [RecordRef(type="contact", id=c.id, name=c.name) for c in titles]
        return f"No decision maker engaged; contacts so far: {seen}.", evidence or [_deal_ref(state)]

    return RiskReason.lazy("no_decision_maker", 1.0, render)


def amount_cut(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The amount was lowered (audit log amount decreases)."""
    cuts = []
    for entry in state.audits:
        change = entry.changes.get("amount")
        if isinstance(change, list) and len(change) == 2 and None not in change and float(change[1]) < float(change[0]):
            cuts.append(entry)
    if not cuts:
        return None
    highest = max(float(e.changes["amount"][0]) for e in cuts)
    now_amount = float(cuts[-1].changes["amount"][1])
    share = (highest - now_amount) / highest if highest > 0 else 0.0

    def render() -> tuple[str, list[RecordRef]]:
        times = "once" if len(cuts) == 1 else f"{len(cuts)} times"
        sentence = f"Amount cut {times}, from ${highest:,.0f} to ${now_amount:,.0f} ({share:.0%} less)."
        return sentence, [_audit_ref(e, "amount") for e in cuts]

    return RiskReason.lazy("amount_cut", min(2.0, 0.5 + 2 * share), render)


def _recent_findings(state: DealState, ctx: SignalContext) -> list[tuple[ActivityFact, TextFindings]]:
    """The recent touches whose text names a competitor or raises an objection, oldest first."""
    key = ("findings", ctx.competitors)
    if key not in state.derived:
        known = ctx.data.text_matches.setdefault(ctx.competitors, {})
        findings = []
        for activity in state.recent_touches:
            found = known.get(activity.id)
            if found is None:
                found = known[activity.id] = text_findings(activity, ctx.competitors)
            if found is not NOTHING_FOUND:
                findings.append((activity, found))
        state.derived[key] = findings
    return state.derived[key]


def competitor_mentioned(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """A competitor came up in activities or call summaries of the last 90 days."""
    recent = state.recent_touches
    activities = [(a, found[0]) for a, found in _recent_findings(state, ctx) if found[0]]
    calls = [
        (call, found)
        for call in state.calls
        if (found := competitors_in(str(call.summary).lower(), ctx.competitors))
        and _days(state.now, call.created_at) <= RECENT_DAYS
    ]
    if not activities and not calls:
        return None
    mentions = len(activities) + len(calls)

    def render() -> tuple[str, list[RecordRef]]:
        names: dict[str, int] = {}
        for _, found in [*activities, *calls]:
            for name in found:
                names[name] = names.get(name, 0) + 1
        evidence = [_activity_ref(a) for a, _ in activities]
        evidence += [RecordRef(type="call", id=call.id, name=call.filename) for call, _ in calls]
        listed = " and ".join(sorted(names, key=lambda n: -names[n]))
        sentence = f"{listed} came up in {mentions} of {len(recent)} records in the last {RECENT_DAYS} days."
        return sentence, evidence

    return RiskReason.lazy("competitor_mentioned", 3.0 * mentions / (len(recent) + 2), render)


def negative_call_signals(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Budget, authority or timeline objections in recent calls, notes and call summaries (BANT)."""
    recent = state.recent_touches
    activities = [(a, found[1]) for a, found in _recent_findings(state, ctx) if found[1]]
    calls = []
    for call in state.calls:
        if _days(state.now, call.created_at) > RECENT_DAYS:
            continue
        hits = objections(str(call.summary))
        bant = call.summary.get("bant") if isinstance(call.summary, dict) else None
        if isinstance(bant, dict):
            hits += [
                (kind, str(bant[kind])) for kind in ("budget", "authority", "timeline") if _bant_negative(bant, kind)
            ]
        if hits:
            calls.append((call, hits))
    if not activities and not calls:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        found: dict[str, str] = {}
        for _, hits in [*activities, *calls]:
            for kind, phrase in hits:
                found.setdefault(kind, phrase)
        evidence = [_activity_ref(a) for a, _ in activities]
        evidence += [RecordRef(type="call", id=call.id, name=call.filename) for call, _ in calls]
        listed = "; ".join(f"{kind}: '{phrase}'" for kind, phrase in found.items())
        return f"Objections in recent conversations ({listed}).", evidence

    share = (len(activities) + len(calls)) / (len(recent) + 2)
    return RiskReason.lazy("negative_call_signals", 3.0 * share, render)


def _bant_negative(bant: dict[str, object], kind: str) -> bool:
    value = bant.get(kind)
    if isinstance(value, dict):
        value = value.get("status") or value.get("summary")
    return isinstance(value, str) and bool(
        objections(value) or value.lower() in {"no", "missing", "at risk", "unknown"}
    )


def _segment_reason(signal: str, what: str, segment: SegmentRate | None, state: DealState) -> RiskReason | None:
    if segment is None or segment.deficit < 0.15:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        sentence = (
            f"{what} {segment.label} have won {segment.rate:.0%} of the time ({segment.closed} closed) "
            f"against {segment.base_rate:.0%} overall."
        )
        return sentence, [_deal_ref(state)]

    return RiskReason.lazy(signal, min(2.0, segment.deficit), render)


def weak_lead_source(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The deal's lead source wins less often than the org's average (smoothed historical rate)."""
    segment = ctx.baselines.win_rates.for_source(state.facts.lead_source, ctx.own_outcome)
    return _segment_reason("weak_lead_source", "Deals from", segment, state)


def weak_deal_size(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Deals of this size win less often than the org's average (smoothed historical rate)."""
    segment = ctx.baselines.win_rates.for_size(state.amount, ctx.own_outcome)
    return _segment_reason("weak_deal_size", "Deals sized", segment, state)


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
