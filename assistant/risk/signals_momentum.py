"""Risk signals from how a deal moves: touches, stage age, close dates, next step, open tasks and amount."""

import math
from datetime import date

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.facts import DealState
from assistant.risk.reasons import RiskReason, SignalContext, activity_ref, audit_ref, days_between, deal_ref


def stale_activity(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """No activity for much longer than deals in this stage usually go between touches."""
    touches = state.touches
    since = touches[-1].occurred_at if touches else state.facts.created_at
    days = days_between(state.now, since)
    cadence = ctx.baselines.cadence(state.stage_id)
    threshold = max(7.0, 2 * cadence)
    if days < threshold:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        stage = ctx.data.stage(state.stage_id).name
        what = "activity" if touches else "activity since the deal was created"
        sentence = f"No {what} for {days} days; deals in {stage} are usually touched every {cadence:.0f} days."
        return sentence, [activity_ref(touches[-1])] if touches else [deal_ref(state)]

    return RiskReason.lazy("stale_activity", min(3.0, days / threshold), render)


def thin_engagement(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """Far fewer logged interactions than a typical deal of this age has had."""
    age = max(1, days_between(state.now, state.facts.created_at))
    expected = ctx.baselines.touches_at_close * min(1.0, age / ctx.baselines.cycle_days)
    touches = len(state.touches)
    if expected < 2 or touches >= 0.8 * expected:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        noun = "interaction" if touches == 1 else "interactions"
        sentence = f"Only {touches} logged {noun} in {age} days; a typical deal has about {expected:.0f} by this point."
        return sentence, [activity_ref(a) for a in state.touches[-3:]] or [deal_ref(state)]

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
        return sentence, [audit_ref(e, "close_date") for e in slips]

    return RiskReason.lazy("close_date_slipped", min(3.0, float(len(slips))), render)


def close_date_past(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """The close date has passed and the deal is still open."""
    if not state.is_open or state.close_date is None or state.close_date >= state.now.date():
        return None
    close_date = state.close_date

    def render() -> tuple[str, list[RecordRef]]:
        overdue = (state.now.date() - close_date).days
        evidence = [deal_ref(state)]
        setters = [e for e in state.audits if isinstance(e.changes.get("close_date"), list)]
        if setters:
            evidence.append(audit_ref(setters[-1], "close_date"))
        sentence = f"Close date {close_date.isoformat()} passed {overdue} days ago and the deal is still open."
        return sentence, evidence

    return RiskReason.lazy("close_date_past", 1.0, render)


def stage_stalled(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """In the current stage far longer than the pipeline's median for that stage."""
    age = days_between(state.now, state.stage_entered_at)
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
        return sentence, [deal_ref(state)]

    return RiskReason.lazy("stage_stalled", min(3.0, age / threshold), render)


def no_next_step(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """No next step is recorded on an open deal."""
    if not state.is_open or (state.next_step or "").strip():
        return None
    return RiskReason.lazy("no_next_step", 1.0, lambda: ("No next step is recorded on the deal.", [deal_ref(state)]))


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
        return sentence, [audit_ref(e, "amount") for e in cuts]

    return RiskReason.lazy("amount_cut", min(2.0, 0.5 + 2 * share), render)
