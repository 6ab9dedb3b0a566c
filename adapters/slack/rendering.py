"""ChatResponse -> Slack Block Kit: the answer, links to the records it rests on, Confirm/Cancel on proposals."""

import json
import re
from typing import Any

from assistant.crm.schemas.chat import ChatResponse, FieldChange, PendingActionPublic, RecordRef

CONFIRM_ACTION = "dealwise_confirm"
CANCEL_ACTION = "dealwise_cancel"
SECTION_LIMIT = 2900
RECORD_LINKS_MAX = 10
FALLBACK_LIMIT = 3500

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """The assistant writes light Markdown; Slack reads mrkdwn."""
    text = escape(markdown)
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    text = _HEADING.sub(lambda m: f"*{m.group(1)}*", text)
    return _BOLD.sub(lambda m: f"*{m.group(1)}*", text)


def record_url(base_url: str, ref: RecordRef) -> str:
    return f"{base_url.rstrip('/')}/records/{ref.type}/{ref.id}"


def record_links(base_url: str, records: list[RecordRef]) -> str:
    linkable = [ref for ref in records if ref.type in ("deal", "account", "contact", "activity", "lead")]
    links = [f"<{record_url(base_url, ref)}|{escape(ref.name)}>" for ref in linkable[:RECORD_LINKS_MAX]]
    more = len(linkable) - RECORD_LINKS_MAX
    return " · ".join(links) + (f" and {more} more" if more > 0 else "")


def _sections(text: str) -> list[dict[str, Any]]:
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len(current) + len(line) > SECTION_LIMIT and current:
            chunks.append(current)
            current = ""
        current += line[:SECTION_LIMIT]
    if current.strip():
        chunks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks]


def _change_line(change: FieldChange) -> str:
    head = f"• {escape(change.record_name)}: *{escape(change.field)}*"
    if change.old is None:
        return f"{head} = {escape(str(change.new))}"
    return f"{head} {escape(str(change.old))} → {escape(str(change.new))}"


def proposal_blocks(thread_id: str, action: PendingActionPublic, describe: bool = True) -> list[dict[str, Any]]:
    """Confirm/Cancel buttons, preceded by what will change unless the answer already says it."""
    lines = [f"*Proposed:* {escape(action.summary)}", *(_change_line(change) for change in action.changes)]
    value = json.dumps({"thread_id": thread_id, "action_id": action.id})
    return [
        *(_sections("\n".join(lines)) if describe else []),
        {
            "type": "actions",
            "block_id": f"dealwise_pending:{action.id}",
            "elements": [
                {"type": "button", "action_id": CONFIRM_ACTION, "style": "primary", "value": value,
                 "text": {"type": "plain_text", "text": "Confirm"}},
                {"type": "button", "action_id": CANCEL_ACTION, "style": "danger", "value": value,
                 "text": {"type": "plain_text", "text": "Cancel"}},
            ],
        },
    ]  # fmt: skip


def response_blocks(response: ChatResponse, base_url: str) -> list[dict[str, Any]]:
    blocks = _sections(to_mrkdwn(response.answer))
    links = record_links(base_url, response.records)
    if links:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Records: " + links}]})
    if response.pending_action is not None:
        action = response.pending_action
        blocks.extend(proposal_blocks(response.thread_id, action, describe=action.summary not in response.answer))
    return blocks


def fallback_text(response: ChatResponse) -> str:
    """The plain text of a message (notifications, screen readers)."""
    text = response.answer
    if response.pending_action is not None and response.pending_action.summary not in text:
        text += f"\nProposed: {response.pending_action.summary} (Confirm or Cancel)"
    return text[:FALLBACK_LIMIT]


def resolved_blocks(original: list[dict[str, Any]], outcome: str) -> list[dict[str, Any]]:
    """The proposal message once decided: buttons replaced by what happened."""
    kept = [block for block in original if block.get("type") != "actions"]
    return [*kept, *_sections(to_mrkdwn(outcome))]
