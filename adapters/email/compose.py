"""The assistant's reply mail: same thread (Re:, In-Reply-To, References), plain text plus a simple HTML part."""

import html
import re
import uuid
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from adapters.email.parsing import InboundMail
from assistant.crm.schemas.chat import ChatResponse, FieldChange
from assistant.crm.settings import Settings

OUR_MESSAGE_ID = re.compile(r"^<dealwise\.([0-9a-f-]{36})\.[0-9a-f]+@", re.IGNORECASE)
CONFIRM_HINT = 'Reply "confirm" (or "yes") to apply this change, or "cancel" to drop it. Nothing changes until then.'


def message_id(thread_id: str, settings: Settings) -> str:
    """Our Message-IDs name the thread, so a reply that only carries In-Reply-To still finds it."""
    domain = settings.email_address.rsplit("@", 1)[-1] or "localhost"
    return f"<dealwise.{thread_id or 'none'}.{uuid.uuid4().hex[:16]}@{domain}>"


def _change(change: FieldChange) -> str:
    if change.old is None:
        return f"  - {change.record_name}: {change.field} = {change.new}"
    return f"  - {change.record_name}: {change.field}: {change.old} -> {change.new}"


def reply_text(response: ChatResponse, base_url: str) -> str:
    parts = [response.answer.strip()]
    if response.pending_action is not None:
        action = response.pending_action
        described = action.summary in response.answer
        lines = [] if described else [f"Proposed: {action.summary}", *(_change(change) for change in action.changes)]
        parts.append("\n".join([*lines, CONFIRM_HINT]))
    if response.records:
        links = [f"- {ref.name}: {base_url.rstrip('/')}/records/{ref.type}/{ref.id}" for ref in response.records[:10]]
        parts.append("Records:\n" + "\n".join(links))
    return "\n\n".join(parts) + "\n\n-- \nDealwise\n"


def reply_html(response: ChatResponse, base_url: str) -> str:
    paragraphs = [f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>" for block in response.answer.split("\n\n")]
    if response.pending_action is not None:
        action = response.pending_action
        items = "".join(f"<li>{html.escape(_change(change).strip(' -'))}</li>" for change in action.changes)
        if action.summary not in response.answer:
            paragraphs.append(f"<p><strong>Proposed:</strong> {html.escape(action.summary)}</p><ul>{items}</ul>")
        paragraphs.append(f"<p>{html.escape(CONFIRM_HINT)}</p>")
    if response.records:
        base = html.escape(base_url.rstrip("/"))
        links = "".join(
            f'<li><a href="{base}/records/{ref.type}/{ref.id}">{html.escape(ref.name)}</a></li>'
            for ref in response.records[:10]
        )
        paragraphs.append(f"<p>Records:</p><ul>{links}</ul>")
    return "<html><body>" + "".join(paragraphs) + "</body></html>"


def reply_message(mail: InboundMail, response: ChatResponse, settings: Settings) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = formataddr(("Dealwise", settings.email_address))
    reply["To"] = str(Address(display_name=mail.sender_name, addr_spec=mail.sender))
    subject = mail.base_subject or "your message"
    reply["Subject"] = f"Re: {subject}"
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = message_id(response.thread_id, settings)
    if mail.message_id:
        reply["In-Reply-To"] = mail.message_id
        reply["References"] = " ".join([*mail.references, mail.message_id])
    reply["Auto-Submitted"] = "auto-replied"
    reply.set_content(reply_text(response, settings.base_url))
    reply.add_alternative(reply_html(response, settings.base_url), subtype="html")
    return reply
