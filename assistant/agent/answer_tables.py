"""Tool results that are lists, as tables: which columns each list shows, and which it drops because the
context already says them (no "owner Rita Lopez" on every row of Rita's own list, no stage column for one stage).

A column marked `obvious_when_same` is dropped when every row holds the same value: silently when the asker is
that person or the request named the value, else once in the table's note ("All: stage Proposal").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.agent.answer_format import day, money
from assistant.crm.schemas.chat import AnswerCell, AnswerTable, RecordRef

Row = dict[str, Any]
EMPTY = "—"
MAX_ROWS = 25


@dataclass(frozen=True)
class Column:
    title: str
    cell: Callable[[Row], AnswerCell]
    obvious_when_same: bool = False
    redundant: Callable[[Row], bool] | None = None
    """true for a row whose other cells already say this one (an account its deal's name starts with)"""


@dataclass(frozen=True)
class TableSpec:
    rows: Callable[[dict[str, Any]], list[Row]]
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Context:
    """What the reader already knows: who asks, what they asked for (the tool arguments) and the headline."""

    asker: str
    args: dict[str, Any]
    headline: str

    def says(self, value: str) -> bool:
        wanted = value.strip().lower()
        if not wanted or wanted == EMPTY:
            return True
        if wanted == self.asker.lower() or wanted in self.headline.lower():
            return True
        return any(isinstance(v, str) and v.strip().lower() == wanted for v in self.args.values())


def text(getter: Callable[[Row], Any]) -> Callable[[Row], AnswerCell]:
    def cell(row: Row) -> AnswerCell:
        value = getter(row)
        return AnswerCell(text=EMPTY if value in (None, "") else str(value))

    return cell


def linked(kind: str, id_of: Callable[[Row], Any], name_of: Callable[[Row], Any]) -> Callable[[Row], AnswerCell]:
    def cell(row: Row) -> AnswerCell:
        record_id, name = id_of(row), name_of(row)
        if record_id is None or name is None:
            return AnswerCell(text=EMPTY if name is None else str(name))
        return AnswerCell(text=str(name), record=RecordRef(type=kind, id=int(record_id), name=str(name)))

    return cell


def _deal_cells(get: Callable[[Row], Row]) -> tuple[Column, ...]:
    return (
        Column("Deal", linked("deal", lambda r: get(r)["id"], lambda r: get(r)["name"])),
        Column("Amount", text(lambda r: money(get(r)["amount"], get(r).get("currency")))),
        Column("Stage", text(lambda r: get(r)["stage"]), obvious_when_same=True),
        Column("Close", text(lambda r: day(get(r)["close_date"]))),
        Column("Owner", text(lambda r: (get(r).get("owner") or {}).get("name")), obvious_when_same=True),
    )


def _same(row: Row) -> Row:
    return row


def _ref_cell(kind: str, key: str) -> Callable[[Row], AnswerCell]:
    return linked(kind, lambda r: (r.get(key) or {}).get("id"), lambda r: (r.get(key) or {}).get("name"))


def _named_after_account(row: Row) -> bool:
    return bool(row.get("account")) and str(row.get("name", "")).startswith(str(row["account"]))


def _overdue(task: Row, result: dict[str, Any]) -> bool:
    due = task.get("due_date")
    return task.get("status") == "open" and bool(due) and str(due) < str(result.get("today"))


def _call_deal(row: Row) -> AnswerCell:
    ref = next((x for x in row["refs"] if x["type"] == "deal" and x["id"] == row.get("deal_id")), None)
    return AnswerCell(text=ref["name"], record=RecordRef(**ref)) if ref else AnswerCell(text=EMPTY)


def _task_due(row: Row) -> AnswerCell:
    return AnswerCell(text=day(row.get("due_date")), flag="overdue" if row.get("overdue") else None)


DEALS = TableSpec(lambda r: r.get("deals") or [], _deal_cells(_same))
TABLES: dict[str, TableSpec] = {
    "find_deals": DEALS,
    "deals_closing": DEALS,
    "stale_deals": TableSpec(
        lambda r: r.get("deals") or [],
        (
            *_deal_cells(lambda row: row["deal"]),
            Column(
                "Last touched", text(lambda r: day(r.get("last_activity_at")) if r.get("last_activity_at") else "never")
            ),
        ),
    ),
    "team_risk": TableSpec(
        lambda r: r.get("deals") or [],
        (
            Column("Deal", linked("deal", lambda r: r["deal_id"], lambda r: r["deal_name"])),
            Column("Risk", lambda r: AnswerCell(text=f"{r['score']} ({r['level']})", flag=r["level"])),
            Column("Amount", text(lambda r: money(r["amount"]))),
            Column("Stage", text(lambda r: r["stage"]), obvious_when_same=True),
            Column("Close", text(lambda r: day(r["close_date"]))),
            Column("Owner", text(lambda r: r["owner"]), obvious_when_same=True),
            Column("Why", text(lambda r: "; ".join(s.rstrip(".") for s in r.get("top_reasons") or []))),
        ),
    ),
    "list_tasks": TableSpec(
        lambda r: [
            {**t, "overdue": t.get("status") == "open" and t.get("due_date") and t["due_date"] < str(r.get("today"))}
            for t in r.get("tasks") or []
        ],  # fmt: skip
        (
            Column("Task", linked("activity", lambda r: r["id"], lambda r: r["subject"])),
            Column("Due", _task_due),
            Column("Deal", _ref_cell("deal", "deal")),
            Column("Account", _ref_cell("account", "account"), obvious_when_same=True),
        ),
    ),
    "list_activities": TableSpec(
        lambda r: r.get("activities") or [],
        (
            Column("When", text(lambda r: day(r["occurred_at"]))),
            Column("Type", text(lambda r: r["type"]), obvious_when_same=True),
            Column("Subject", linked("activity", lambda r: r["id"], lambda r: r["subject"])),
            Column("Deal", _ref_cell("deal", "deal"), obvious_when_same=True),
            Column("By", text(lambda r: r.get("author")), obvious_when_same=True),
        ),
    ),
    "find_accounts": TableSpec(
        lambda r: r.get("accounts") or [],
        (
            Column("Account", linked("account", lambda r: r["id"], lambda r: r["name"])),
            Column("Industry", text(lambda r: r.get("industry")), obvious_when_same=True),
            Column("Region", text(lambda r: r.get("region")), obvious_when_same=True),
            Column("Owner", text(lambda r: (r.get("owner") or {}).get("name")), obvious_when_same=True),
        ),
    ),
    "find_contacts": TableSpec(
        lambda r: r.get("contacts") or [],
        (
            Column("Contact", linked("contact", lambda r: r["id"], lambda r: r["name"])),
            Column("Title", text(lambda r: r.get("title"))),
            Column("Account", _ref_cell("account", "account"), obvious_when_same=True),
            Column("Email", text(lambda r: r.get("email"))),
        ),
    ),
    "find_leads": TableSpec(
        lambda r: r.get("leads") or [],
        (
            Column("Lead", linked("lead", lambda r: r["id"], lambda r: r["name"])),
            Column("Company", text(lambda r: r.get("company"))),
            Column("Status", text(lambda r: r.get("status")), obvious_when_same=True),
            Column("Score", text(lambda r: r.get("score"))),
            Column("Source", text(lambda r: r.get("source")), obvious_when_same=True),
        ),
    ),
    "pipeline_summary": TableSpec(
        lambda r: [{**row, "group_by": r.get("group_by")} for row in r.get("rows") or []],
        (
            Column("Group", text(lambda r: r["key"])),
            Column("Deals", text(lambda r: r["count"])),
            Column("Amount", text(lambda r: money(r["amount"]))),
            Column("Weighted", text(lambda r: money(r["weighted_amount"]))),
        ),
    ),
    "top_performers": TableSpec(
        lambda r: r.get("performers") or [],
        (
            Column("#", text(lambda r: r["rank"])),
            Column("Rep", text(lambda r: r["name"])),
            Column("Won", text(lambda r: money(r["won_amount"]))),
            Column("Deals won", text(lambda r: r["won_count"])),
        ),
    ),
    "find_calls": TableSpec(
        lambda r: [{**c, "refs": r.get("records") or []} for c in r.get("calls") or []],
        (
            Column("When", text(lambda r: day(r.get("created_at")))),
            Column("Recording", linked("call", lambda r: r["call_id"], lambda r: r["filename"])),
            Column(
                "Deal",
                lambda r: next(
                    (
                        AnswerCell(text=x["name"], record=RecordRef(**x))
                        for x in r["refs"]
                        if x["type"] == "deal" and x["id"] == r.get("deal_id")
                    ),
                    AnswerCell(text=EMPTY),
                ),
            ),  # fmt: skip
        ),
    ),
    "search_notes": TableSpec(
        lambda r: r.get("hits") or [],
        (
            Column(
                "Note",
                linked(
                    "activity",
                    lambda r: r["record_id"] if r["record_type"] == "activity" else None,
                    lambda r: r["title"],
                ),
            ),  # fmt: skip
            Column("When", text(lambda r: day(r.get("occurred_at")))),
            Column("Deal", _ref_cell("deal", "deal")),
            Column("Says", text(lambda r: r.get("quoted_text"))),
        ),
    ),
}
TABLES["weekly_brief"] = TABLES["team_risk"]
QUERY_ITEMS = TableSpec(
    lambda r: r.get("items") or [],
    (
        Column(
            "Name", lambda r: AnswerCell(text=r["name"], record=RecordRef(type=r["type"], id=r["id"], name=r["name"]))
        ),
        Column(
            "Amount", text(lambda r: money(r["amount"], r.get("currency")) if r.get("amount") is not None else None)
        ),
        Column("Stage", text(lambda r: r.get("stage")), obvious_when_same=True),
        Column("Status", text(lambda r: r.get("status")), obvious_when_same=True),
        Column("Account", text(lambda r: r.get("account")), obvious_when_same=True, redundant=_named_after_account),
        Column("Close", text(lambda r: day(r["close_date"]) if r.get("close_date") else None)),
        Column("Due", text(lambda r: day(r["due_date"]) if r.get("due_date") else None)),
        Column("Last activity", text(lambda r: day(r["last_activity"]) if r.get("last_activity") else None)),
        Column("Details", text(lambda r: r.get("detail")), obvious_when_same=True),
        Column("Owner", text(lambda r: r.get("owner")), obvious_when_same=True),
    ),
)
QUERY_GROUPS = TableSpec(
    lambda r: r.get("rows") or [],
    (
        Column("Group", lambda r: AnswerCell(text=r["key"], record=RecordRef(**r["ref"]) if r.get("ref") else None)),
        Column("Value", text(lambda r: money(r["value"], r.get("currency")) if r.get("currency") else r.get("value"))),
        Column("Records", text(lambda r: r["count"])),
    ),
)


def build_table(spec: TableSpec, result: dict[str, Any], context: Context) -> AnswerTable | None:
    """The table for a list result, with the columns the context makes obvious left out; None for no rows."""
    rows = spec.rows(result)
    if not rows:
        return None
    shown = rows[:MAX_ROWS]
    cells = [[column.cell(row) for column in spec.columns] for row in shown]
    keep: list[int] = []
    shared: list[str] = []
    for index, column in enumerate(spec.columns):
        values = {row[index].text for row in cells}
        if values == {EMPTY} or (column.redundant is not None and all(column.redundant(row) for row in shown)):
            continue
        if column.obvious_when_same and len(values) == 1 and len(cells) > 1:
            value = next(iter(values))
            if not context.says(value):
                shared.append(f"{column.title.lower()} {value}")
            continue
        keep.append(index)
    notes = [f"All: {', '.join(shared)}."] if shared else []
    total = result.get("count")
    if len(rows) > len(shown) or (isinstance(total, int) and total > len(shown)):
        notes.append(f"First {len(shown)} of {total if isinstance(total, int) else len(rows)}.")
    return AnswerTable(
        columns=[spec.columns[i].title for i in keep],
        rows=[[row[i] for i in keep] for row in cells],
        note=" ".join(notes) or None,
    )


def generic_table(result: dict[str, Any], context: Context) -> AnswerTable | None:
    """A table for a list result no spec knows (a tool added later): its first list of objects, scalar fields as
    columns, the row's name linked when the result cites a record with that id."""
    rows = next((v for v in result.values() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
    if not rows or rows is result.get("records"):
        return None
    keys = [k for k, v in rows[0].items() if isinstance(v, str | int | float) and not isinstance(v, bool)][:6]
    refs = {(r["id"], r["name"]): RecordRef(**r) for r in result.get("records") or []}
    name_key = "name" if "name" in keys else None

    def cell(row: Row, key: str) -> AnswerCell:
        value = row.get(key)
        if key == name_key:
            ref = refs.get((row.get("id"), value))
            return AnswerCell(text=str(value), record=ref)
        if isinstance(value, float) and ("amount" in key or "value" in key):
            return AnswerCell(text=money(value))
        return AnswerCell(text=EMPTY if value is None else str(value))

    columns = tuple(Column(k.replace("_", " ").capitalize(), lambda r, k=k: cell(r, k)) for k in keys if k != "id")
    return build_table(TableSpec(lambda _: rows, columns), result, context) if columns else None
