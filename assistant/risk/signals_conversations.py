"""Risk signals from what was said: competitors and budget, authority or timeline objections in recent
activities and call summaries."""

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.facts import RECENT_DAYS, ActivityFact, DealState
from assistant.risk.mentions import NOTHING_FOUND, TextFindings, competitors_in, objections, text_findings
from assistant.risk.reasons import RiskReason, SignalContext, activity_ref, days_between


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
        and days_between(state.now, call.created_at) <= RECENT_DAYS
    ]
    if not activities and not calls:
        return None
    mentions = len(activities) + len(calls)

    def render() -> tuple[str, list[RecordRef]]:
        names: dict[str, int] = {}
        for _, found in [*activities, *calls]:
            for name in found:
                names[name] = names.get(name, 0) + 1
        evidence = [activity_ref(a) for a, _ in activities]
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
        if days_between(state.now, call.created_at) > RECENT_DAYS:
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
        evidence = [activity_ref(a) for a, _ in activities]
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
