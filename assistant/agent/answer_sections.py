"""Tool results that are one record in depth, as figures and sections of linked lines: a deal, an account, a
deal's risk, a meeting prep brief, a follow-up email draft, the weekly brief."""

from collections.abc import Callable
from typing import Any

from assistant.agent.answer_format import day, money
from assistant.agent.answer_tables import DEALS, TABLES, Context, build_table
from assistant.crm.schemas.chat import AnswerCell, AnswerFigure, AnswerSection, RecordRef

Parts = tuple[list[AnswerFigure], list[AnswerSection]]
CHANGES_SHOWN = 10


def _ref(data: dict[str, Any] | None) -> RecordRef | None:
    if not data or data.get("id") is None:
        return None
    return RecordRef(type=str(data["type"]), id=int(data["id"]), name=str(data["name"]))


def _lines(items: list[dict[str, Any]]) -> list[AnswerCell]:
    """PrepLine-shaped items (text, record, flag) as linked lines."""
    return [AnswerCell(text=i["text"], record=_ref(i.get("record")), flag=i.get("flag")) for i in items]


def _activity_lines(items: list[dict[str, Any]], tasks: bool = False) -> list[AnswerCell]:
    lines = []
    for a in items:
        ref = RecordRef(type="activity", id=a["id"], name=a["subject"])
        when = f"due {day(a.get('due_date'))}" if tasks else f"{day(a['occurred_at'])} {a['type']}"
        lines.append(AnswerCell(text=f"{when}: {a['subject']}", record=ref))
    return lines


def _section(title: str, lines: list[AnswerCell]) -> list[AnswerSection]:
    return [AnswerSection(title=title, lines=lines)] if lines else []


def deal_detail(r: dict[str, Any], context: Context) -> Parts:
    deal = r["deal"]
    figures = [
        AnswerFigure(label="Amount", value=money(deal["amount"], deal.get("currency"))),
        AnswerFigure(label="Stage", value=f"{deal['stage']} ({deal['probability']}%)"),
        AnswerFigure(label="Close", value=day(deal.get("close_date"))),
        AnswerFigure(label="Owner", value=(deal.get("owner") or {}).get("name", "—")),
    ]
    if deal.get("next_step"):
        figures.append(AnswerFigure(label="Next step", value=deal["next_step"]))
    sections = _section("Recent activity", _activity_lines(r.get("recent_activities") or []))
    sections += _section("Open tasks", _activity_lines(r.get("open_tasks") or [], tasks=True))
    return figures, sections


def account_overview(r: dict[str, Any], context: Context) -> Parts:
    figures = [
        AnswerFigure(label="Open pipeline", value=f"{money(r['open_pipeline_amount'])} ({r['open_deal_count']} deals)"),
        AnswerFigure(label="Won", value=f"{money(r['won_amount'])} ({r['won_deal_count']} deals)"),
        AnswerFigure(label="Lost deals", value=str(r["lost_deal_count"])),
        AnswerFigure(label="Contacts", value=str(r["contact_count"])),
    ]
    if (employees := (r.get("account") or {}).get("employees")) is not None:
        figures.append(AnswerFigure(label="Employees", value=f"{employees:,}"))
    table = build_table(DEALS, {"deals": r.get("open_deals") or []}, context)
    sections = [AnswerSection(title="Open deals", table=table)] if table else []
    contacts = [
        AnswerCell(
            text=f"{c['name']}{', ' + c['title'] if c.get('title') else ''}", record=_ref({**c, "type": "contact"})
        )
        for c in r.get("contacts") or []
    ]
    sections += _section("Contacts", contacts)
    sections += _section("Recent activity", _activity_lines(r.get("recent_activities") or []))
    sections += _section("Open tasks", _activity_lines(r.get("open_tasks") or [], tasks=True))
    return figures, sections


def deal_risk(r: dict[str, Any], context: Context) -> Parts:
    figures = [
        AnswerFigure(label="Risk", value=f"{r['score']} ({r['level']})"),
        AnswerFigure(label="Amount", value=money(r["amount"], r.get("currency"))),
        AnswerFigure(label="Stage", value=r["stage"]),
        AnswerFigure(label="Close", value=day(r.get("close_date"))),
    ]
    reasons = [
        AnswerCell(text=x["sentence"], record=_ref(next(iter(x.get("evidence") or []), None)))
        for x in r.get("reasons") or []
    ]
    actions = [AnswerCell(text=a) for a in r.get("suggested_next_actions") or []]
    return figures, _section("Why", reasons) + _section("Suggested next actions", actions)


def team_risk(r: dict[str, Any], context: Context) -> Parts:
    figures = [
        AnswerFigure(label="Open deals", value=f"{r['open_deals']} worth {money(r['total_pipeline'])}"),
        AnswerFigure(label="Risk-weighted", value=money(r["risk_weighted_pipeline"])),
        AnswerFigure(label="At risk", value=money(r["amount_at_risk"])),
        AnswerFigure(label="High / medium / low", value=f"{r['high']} / {r['medium']} / {r['low']}"),
    ]
    table = build_table(TABLES["team_risk"], r, context)
    sections = [AnswerSection(title="Riskiest first", table=table)] if table else []
    every_change = r.get("changes_since_last_week") or []
    changes = [
        AnswerCell(text=c["sentence"], record=RecordRef(type="deal", id=c["deal_id"], name=c["deal_name"]))
        for c in every_change[:CHANGES_SHOWN]
    ]
    if len(every_change) > CHANGES_SHOWN:
        changes.append(AnswerCell(text=f"…and {len(every_change) - CHANGES_SHOWN} more changes"))
    return figures, sections + _section("Since last week", changes)


def meeting_prep(r: dict[str, Any], context: Context) -> Parts:
    figures = [
        AnswerFigure(label="Open pipeline", value=f"{money(r['open_pipeline_amount'])} ({len(r['open_deals'])} deals)"),
        AnswerFigure(label="Decides", value=", ".join(r.get("decision_makers") or []) or "nobody engaged yet"),
        AnswerFigure(label="Overdue tasks", value=str(r.get("overdue_count", 0))),
    ]
    table = build_table(DEALS, {"deals": r.get("open_deals") or []}, context)
    sections = [AnswerSection(title="Open deals", table=table)] if table else []
    people = [
        AnswerCell(
            text=f"{p['contact']['name']}{', ' + p['title'] if p.get('title') else ''}"
            + (" · decision maker" if p["decision_maker"] else "")
            + (f" · last spoke {day(p['last_interaction_at'])}" if p.get("last_interaction_at") else ""),
            record=_ref(p["contact"]),
        )
        for p in r.get("stakeholders") or []
    ]
    sections += _section("Stakeholders", people)
    for title, key in (
        ("Last three interactions", "last_interactions"),
        ("Open tasks", "open_tasks"),
        ("Objections", "objections"),
        ("Competitors", "competitors"),
        ("Questions to ask", "questions"),
        ("Talking points", "talking_points"),
    ):
        sections += _section(title, _lines(r.get(key) or []))
    return figures, sections


def email_draft(r: dict[str, Any], context: Context) -> Parts:
    based = r.get("based_on")
    lines = []
    if based:
        ref = RecordRef(type="activity", id=based["activity_id"], name=based["subject"])
        who = f" with {based['contact_name']}" if based.get("contact_name") else ""
        lines.append(AnswerCell(text=f"Based on the {based['type']}{who} on {day(based['occurred_at'])}", record=ref))
    lines += [AnswerCell(text=f"Left out: {item}") for item in r.get("left_out") or []]
    email = f"To: {r['to_name']} <{r['to']}>\nSubject: {r['subject']}\n\n{r['body'].strip()}"
    return [], [AnswerSection(title="For you", lines=lines), AnswerSection(title="Email (not sent)", text=email)]


def weekly_brief(r: dict[str, Any], context: Context) -> Parts:
    return team_risk(r, context)


HEADLINES: dict[str, Callable[[dict[str, Any]], str]] = {
    "draft_followup_email": lambda r: f"Draft to {r['to_name']} <{r['to']}>, not sent.",
    "meeting_prep": lambda r: f"Meeting prep for {r['account']['name']}",
    "weekly_brief": lambda r: r["subject"],
}
"""headlines for answers whose text opens with more than a headline"""

SECTIONS: dict[str, Callable[[dict[str, Any], Context], Parts]] = {
    "get_deal": deal_detail,
    "get_account_overview": account_overview,
    "deal_risk": deal_risk,
    "team_risk": team_risk,
    "weekly_brief": weekly_brief,
    "meeting_prep": meeting_prep,
    "draft_followup_email": email_draft,
}
