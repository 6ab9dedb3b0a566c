"""How values read in a structured answer: "3 Dec 2026", "3 Dec 2026, 12:58", "$45,000", "Close date"."""

import re
from datetime import date, datetime
from typing import Any

from assistant.crm.schemas.chat import AnswerCell, RecordRef

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
LINKED_VALUE = re.compile(r"^(?P<name>.+) \(#(?P<id>\d+)\)$")
FIELD_LABELS = {
    "occurred_at": "When",
    "due_date": "Due",
    "close_date": "Close date",
    "next_step": "Next step",
    "stage": "Stage",
    "amount": "Amount",
    "body": "Notes",
    "subject": "Subject",
    "type": "Type",
    "deal": "Deal",
    "account": "Account",
    "contact": "Contact",
}
LONG_TEXT = 280


def money(amount: Any, currency: str | None = "USD") -> str:
    if amount is None or amount == "":
        return "—"
    value = float(amount)
    code = (currency or "USD").upper()
    digits = f"{value:,.0f}" if value == round(value) or abs(value) >= 100 else f"{value:,.2f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{digits}" if symbol else f"{code} {digits}"


def _parsed(value: Any) -> date | datetime | None:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str) and ISO_MOMENT.match(value.strip()):
        text = value.strip()
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    return None


def day(value: Any) -> str:
    """3 Dec 2026 (a date, a datetime or an ISO string); '—' when unset."""
    parsed = _parsed(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    return f"{parsed.day} {parsed:%b} {parsed.year}"


def moment(value: Any) -> str:
    """3 Dec 2026, 12:58 for a datetime (the day alone at midnight or for a date)."""
    parsed = _parsed(value)
    if not isinstance(parsed, datetime) or (parsed.hour, parsed.minute) == (0, 0):
        return day(value)
    return f"{day(parsed)}, {parsed:%H:%M}"


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def shown(field: str, value: Any, currency: str | None = None) -> AnswerCell:
    """A proposed or current value as a person reads it: dates spelled out, amounts with currency, a linked
    record ("Hooli - Analytics Suite (#11)") as a link, long text clipped."""
    if value is None or value == "":
        return AnswerCell(text="—")
    if field == "amount" and isinstance(value, int | float | str) and re.fullmatch(r"[\d.]+", str(value)):
        return AnswerCell(text=money(value, currency))
    if isinstance(value, str):
        linked = LINKED_VALUE.match(value)
        if linked and field in ("deal", "account", "contact", "lead"):
            ref = RecordRef(type=field, id=int(linked["id"]), name=linked["name"])
            return AnswerCell(text=linked["name"], record=ref)
        if _parsed(value) is not None:
            return AnswerCell(text=moment(value))
        flat = " ".join(value.split())
        return AnswerCell(text=flat if len(flat) <= LONG_TEXT else flat[: LONG_TEXT - 1] + "…")
    if isinstance(value, date | datetime):
        return AnswerCell(text=moment(value))
    return AnswerCell(text=str(value))


ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b")
FIELD_IN_TEXT = re.compile(r"\b(" + "|".join(k for k in FIELD_LABELS if "_" in k) + r")\b")


def readable(text: str) -> str:
    """A summary as a person reads it: "close_date 2026-11-25 -> 2026-12-03" reads "close date 25 Nov 2026 →
    3 Dec 2026"."""
    text = ISO_IN_TEXT.sub(lambda m: moment(m.group(0)), text)
    text = FIELD_IN_TEXT.sub(lambda m: label(m.group(1)).lower(), text)
    return text.replace(" -> ", " → ")
