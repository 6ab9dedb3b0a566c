"""One structured answer for every channel, built from a turn's tool results (`ChatResponse.rich`).

The headline is the answer's first paragraph; lists become tables (assistant/agent/answer_tables.py), one
record in depth becomes figures and linked lines (answer_sections.py), and a proposed write becomes a readable
preview: one section per record, its fields with dates spelled out, amounts with currency and linked records,
never the raw values. Plain replies (a question back, an error) get no structured answer.
"""

import logging
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.agent.answer_format import label, readable, shown
from assistant.agent.answer_sections import HEADLINES, SECTIONS
from assistant.agent.answer_tables import QUERY_GROUPS, QUERY_ITEMS, TABLES, Context, build_table, generic_table
from assistant.agent.brains.base import ToolRun
from assistant.crm.models import Deal
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import (
    AnswerCell,
    AnswerSection,
    AnswerTable,
    PendingActionPublic,
    RecordRef,
    RichAnswer,
)

log = logging.getLogger(__name__)
HEADLINE_CHARS = 400
LIST_START = re.compile(r"\n\s*(?:[-*•]|\d+\.)\s")


def headline_of(answer: str) -> str:
    """The answer's first paragraph, up to where a list starts."""
    text = (answer or "").strip()
    first = text.split("\n\n", 1)[0]
    first = LIST_START.split(first, 1)[0].strip()
    return first if len(first) <= HEADLINE_CHARS else first[: HEADLINE_CHARS - 1].rstrip() + "…"


def _run_parts(run: ToolRun, context: Context) -> tuple[list[Any], list[AnswerSection]]:
    data = run.result.model_dump(mode="json") if run.result is not None else {}
    run_context = Context(context.asker, run.args, context.headline)
    if run.name in SECTIONS:
        return SECTIONS[run.name](data, run_context)
    spec = TABLES.get(run.name)
    if run.name == "query":
        spec = QUERY_ITEMS if data.get("items") else QUERY_GROUPS
    table = build_table(spec, data, run_context) if spec else generic_table(data, run_context)
    return [], [AnswerSection(table=table)] if table else []


def _currencies(session: Session | None, action: PendingActionPublic) -> dict[int, str]:
    deal_ids = {c.record_id for c in action.changes if c.record_type == "deal" and c.record_id is not None}
    if session is None or not deal_ids:
        return {}
    rows = session.execute(select(Deal.id, Deal.currency).where(Deal.id.in_(deal_ids)))
    return {deal_id: currency for deal_id, currency in rows}


def proposal_preview(action: PendingActionPublic, session: Session | None = None) -> list[AnswerSection]:
    """What a proposed write will change, once: a section per record, a row per field (now -> after)."""
    currencies = _currencies(session, action)
    groups: dict[tuple[str, int | None, str], list[Any]] = {}
    for change in action.changes:
        groups.setdefault((change.record_type, change.record_id, change.record_name), []).append(change)
    sections = []
    for (kind, record_id, name), changes in groups.items():
        currency = currencies.get(record_id) if record_id is not None else None
        creates = all(c.old is None for c in changes) and record_id is None
        rows = []
        for change in changes:
            after = shown(change.field, change.new, currency)
            if creates:
                rows.append([AnswerCell(text=label(change.field)), after])
            else:
                rows.append([AnswerCell(text=label(change.field)), shown(change.field, change.old, currency), after])
        columns = ["Field", "Value"] if creates else ["Field", "Now", "After"]
        ref = RecordRef(type=kind, id=record_id, name=name) if record_id is not None else None
        title = f"New {kind}: {name}" if creates else name
        table = AnswerTable(columns=columns, rows=rows)
        sections.append(AnswerSection(title=title, record=ref, table=table))
    return sections


def rich_answer(
    answer: str,
    runs: list[ToolRun],
    principal: Principal,
    pending: PendingActionPublic | None = None,
    session: Session | None = None,
) -> RichAnswer | None:
    """The structured form of a turn's answer; None when the turn has nothing but text."""
    headline = headline_of(answer)
    context = Context(principal.name, {}, headline)
    figures: list[Any] = []
    sections: list[AnswerSection] = []
    if pending is not None:
        sections = proposal_preview(pending, session)
        return RichAnswer(headline=readable(pending.summary), sections=sections)
    for run in runs:
        if run.result is None:
            continue
        try:
            more_figures, more_sections = _run_parts(run, context)
        except (KeyError, TypeError, ValueError):  # a tool's output out of step with its layout keeps the text
            log.exception("no structured answer for %s", run.name)
            continue
        figures += more_figures
        sections += more_sections
    if not figures and not sections:
        return None
    shown = [run for run in runs if run.result is not None]
    if len(shown) == 1 and shown[0].name in HEADLINES:
        headline = HEADLINES[shown[0].name](shown[0].result.model_dump(mode="json"))  # type: ignore[union-attr]
    return RichAnswer(headline=headline, figures=figures, sections=sections)
