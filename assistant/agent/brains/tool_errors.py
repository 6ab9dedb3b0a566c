"""Tool errors a model (or a person) can act on: the field, what was given, what is accepted, where ids come from."""

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from assistant.crm.errors import DealwiseError, NotFound

ID_SOURCES = {
    "deal_id": "find_deals",
    "account_id": "find_accounts",
    "contact_id": "find_contacts or get_account_overview",
    "lead_id": "find_leads",
    "call_id": "find_calls",
    "owner_id": 'the person\'s own id ("me") or find_deals results',
}
GIVEN_CHARS = 60


def id_hint(field: str, available: Mapping[str, Any]) -> str:
    """Which tool gives a valid value for an id field, when that tool is available."""
    source = ID_SOURCES.get(field)
    if source is None:
        return ""
    tools = [name for name in source.replace(" or ", ",").split(",") if name.strip() in available]
    if field == "owner_id":
        return ' (use "me" for the person asking; never guess an id)'
    return f" (take the id from a {' or '.join(t.strip() for t in tools)} result; never guess an id)" if tools else ""


def _given(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= GIVEN_CHARS else text[: GIVEN_CHARS - 3] + "..."


def validation_message(name: str, exc: ValidationError, available: Mapping[str, Any]) -> str:
    """One line per field: what is wrong, the value given, and how to get a valid one."""
    by_field: dict[str, list[str]] = {}
    given: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"] if isinstance(part, str)]
        field = loc[0] if loc else "input"
        by_field.setdefault(field, [])
        if error["msg"] not in by_field[field]:
            by_field[field].append(error["msg"])
        if error["type"] != "missing":
            given[field] = _given(error.get("input"))
    parts = []
    for field, messages in by_field.items():
        shown = f" (given {given[field]})" if field in given else ""
        parts.append(f"{field}{shown}: {'; or '.join(messages)}{id_hint(field, available)}")
    return f"invalid arguments for {name}: " + " | ".join(parts)


def crm_error_message(exc: DealwiseError, args: Mapping[str, Any], available: Mapping[str, Any]) -> str:
    """A refusal from the CRM layer, with where a valid id comes from when an id was not found."""
    text = str(exc)
    if isinstance(exc, NotFound):
        hints = [id_hint(field, available) for field in args if field.endswith("_id")]
        text += next((hint for hint in hints if hint), "")
    return text
