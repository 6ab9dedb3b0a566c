"""ChatResponse -> Slack Block Kit: the answer, links to the records it rests on, Confirm/Cancel on proposals.

Answers quote record text, which must never become a link, a mention or an image in Slack: `&`, `<`
and `>` are escaped (so `<http://…|…>`, `<!channel>` and `<@U…>` stay text), a Markdown link
becomes a Slack link only when it points at a Dealwise page under DEALWISE_BASE_URL, and every
other URL is defanged (adapters.outbound_links). Messages are posted with unfurling off.
"""

import json
import re
from typing import Any

from adapters.outbound_links import MARKDOWN_LINK, is_own_link, neutralise_urls
from assistant.crm.schemas.chat import (
    AnswerCell,
    AnswerSection,
    AnswerTable,
    ChatResponse,
    FieldChange,
    PendingActionPublic,
    RecordRef,
    RichAnswer,
)

CONFIRM_ACTION = "dealwise_confirm"
CANCEL_ACTION = "dealwise_cancel"
SECTION_LIMIT = 2900
RECORD_LINKS_MAX = 10
FALLBACK_LIMIT = 3500
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


def escape(text: str, base_url: str = "") -> str:
    """Text for mrkdwn: control characters escaped, URLs other than Dealwise's own pages defanged."""
    return neutralise_urls(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), base_url)


def to_mrkdwn(markdown: str, base_url: str = "") -> str:
    """The assistant writes light Markdown; Slack reads mrkdwn. Only links to Dealwise's own pages survive."""
    text = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_LINK.sub(
        lambda m: f"<{m.group(2)}|{m.group(1)}>" if is_own_link(m.group(2), base_url) else m.group(0), text
    )
    text = neutralise_urls(text, base_url)
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
    if response.rich is not None:
        blocks = rich_blocks(response.rich, base_url)
        if response.pending_action is not None:
            blocks.extend(proposal_blocks(response.thread_id, response.pending_action, describe=False))
        return blocks
    blocks = _sections(to_mrkdwn(response.answer, base_url))
    links = record_links(base_url, response.records)
    if links:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Records: " + links}]})
    if response.pending_action is not None:
        action = response.pending_action
        blocks.extend(proposal_blocks(response.thread_id, action, describe=action.summary not in response.answer))
    return blocks


def fallback_text(response: ChatResponse | str) -> str:
    """The `text` of a message (notifications, screen readers), escaped like the blocks."""
    if isinstance(response, str):
        return escape(response)[:FALLBACK_LIMIT]
    text = response.answer
    if response.pending_action is not None and response.pending_action.summary not in text:
        text += f"\nProposed: {response.pending_action.summary} (Confirm or Cancel)"
    return escape(text)[:FALLBACK_LIMIT]


def resolved_blocks(original: list[dict[str, Any]], outcome: str) -> list[dict[str, Any]]:
    """The proposal message once decided: buttons replaced by what happened."""
    kept = [block for block in original if block.get("type") != "actions"]
    return [*kept, *_sections(to_mrkdwn(outcome))]


# Structured answers (ChatResponse.rich): the headline as a section, figures as section fields, each answer
# section's title in bold, a table as a context line naming the columns and one line per row (record names
# linked), linked lines as bullets, preformatted text (an email draft) in a code block; all text escaped.
FIELDS_MAX = 10
BLOCKS_MAX = 45
LINKABLE = ("deal", "account", "contact", "activity", "lead")


def _cell(cell: AnswerCell, base_url: str) -> str:
    text = escape(cell.text, base_url)
    if cell.record is not None and cell.record.type in LINKABLE:
        text = f"<{record_url(base_url, cell.record)}|{escape(cell.text)}>"
    if cell.flag == "overdue":
        return f"{text} :warning: overdue"
    if cell.flag == "high":
        return f"*{text}*"
    return text


def _chunks(lines: list[str]) -> list[dict[str, Any]]:
    blocks, current = [], ""
    for line in lines:
        line = line[:SECTION_LIMIT]
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in blocks]


def _table(table: AnswerTable, base_url: str) -> list[dict[str, Any]]:
    columns = " · ".join(escape(c) for c in table.columns)
    rows = ["• " + " · ".join(_cell(cell, base_url) for cell in row) for row in table.rows]
    blocks: list[dict[str, Any]] = [{"type": "context", "elements": [{"type": "mrkdwn", "text": columns}]}]
    blocks += _chunks(rows)
    if table.note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(table.note)}]})
    return blocks


def _section(section: AnswerSection, base_url: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if section.title:
        title = escape(section.title)
        if section.record is not None and section.record.type in LINKABLE:
            title = f"<{record_url(base_url, section.record)}|{title}>"
        blocks += _chunks([f"*{title}*"])
    if section.table is not None:
        blocks += _table(section.table, base_url)
    if section.lines:
        blocks += _chunks([f"• {_cell(line, base_url)}" for line in section.lines])
    if section.text:
        body = escape(section.text, base_url).replace("```", "'''")
        blocks += _chunks([f"```{body[: SECTION_LIMIT - 6]}```"])
    return blocks


def rich_blocks(rich: RichAnswer, base_url: str) -> list[dict[str, Any]]:
    """The answer's blocks (at most BLOCKS_MAX; what does not fit is cut at a block boundary)."""
    blocks = _chunks([escape(rich.headline, base_url)])
    if rich.figures:
        fields = [
            {"type": "mrkdwn", "text": f"*{escape(f.label)}*\n{escape(f.value, base_url)}"}
            for f in rich.figures[:FIELDS_MAX]
        ]
        blocks.append({"type": "section", "fields": fields})
    for section in rich.sections:
        blocks += _section(section, base_url)
    return blocks[:BLOCKS_MAX]
