"""Tool results as the model reads them: bounded in size, with a note of what was cut.

The full result stays in the ToolRun (citations, rich answers and grounding use it); the model gets
at most MAX_ITEMS per list and about MAX_CHARS of JSON (~1,500 tokens: JSON with ids, dates and amounts
runs about three characters a token in Qwen2.5's vocabulary, an estimate).
"""

import json
from typing import Any

from assistant.agent.brains.base import ToolRun

MAX_ITEMS = 10
MAX_CHARS = 4500
MAX_TEXT = 300
LEFT_OUT = ("records",)
"""record references duplicate the ids and names in the result; they serve citations, not the model"""


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str))


def _lists(value: Any, path: str = "") -> list[tuple[str, list[Any]]]:
    found: list[tuple[str, list[Any]]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _lists(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        found.append((path, value))
        for index, item in enumerate(value):
            found += _lists(item, f"{path}[{index}]")
    return found


def _shorten_texts(value: Any) -> bool:
    changed = False
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and len(item) > MAX_TEXT:
                value[key] = item[:MAX_TEXT] + "..."
                changed = True
            else:
                changed = _shorten_texts(item) or changed
    elif isinstance(value, list):
        for item in value:
            changed = _shorten_texts(item) or changed
    return changed


def bounded(payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``payload`` small enough for the model, with ``_cut`` saying what was left out."""
    data = json.loads(json.dumps({k: v for k, v in payload.items() if k not in LEFT_OUT}, default=str))
    totals: dict[str, int] = {}
    for path, items in _lists(data):
        if len(items) > MAX_ITEMS:
            totals.setdefault(path, len(items))
            del items[MAX_ITEMS:]
    if _size(data) > MAX_CHARS and _shorten_texts(data):
        totals.setdefault("long texts", 0)
    while _size(data) > MAX_CHARS:
        shrinkable = [(path, items) for path, items in _lists(data) if len(items) > 1]
        if not shrinkable:
            break
        path, items = max(shrinkable, key=lambda entry: _size(entry[1]))
        totals.setdefault(path, len(items))
        del items[max(1, len(items) // 2) :]
    if totals:
        shown = {path: len(items) for path, items in _lists(data)}
        cut = [
            f"{path}: {shown.get(path, 0)} of {total} shown" if total else f"{path} shortened"
            for path, total in totals.items()
        ]
        data["_cut"] = "; ".join(cut) + ". Ask with narrower filters, or for one record by id, to see more."
    return data


SHOWN_RECORDS = 10
"""records listed under a model's answer that named none of those its query found"""


def with_records_behind(answer: str, runs: list[ToolRun]) -> str:
    """The model's answer, with the records its last list query found listed under it when it names none of them
    ("The 4 deals in Negotiation of yours."): every answer shows the records behind it."""
    last = next((run for run in reversed(runs) if run.result is not None and run.proposal is None), None)
    listed = last is not None and last.name == "query" and last.args.get("measure", "list") == "list"
    items = list(getattr(last.result, "items", None) or []) if listed else []
    if not items or any(item.name in answer for item in items):
        return answer
    lines = [f"- {item.name}" for item in items[:SHOWN_RECORDS]]
    if len(items) > SHOWN_RECORDS:
        lines.append(f"…and {len(items) - SHOWN_RECORDS} more")
    return answer.rstrip() + "\n" + "\n".join(lines)
