"""The assistant's reply mail: same thread (Re:, In-Reply-To, References), plain text plus a simple HTML part.

Answers quote record text, so both parts show any URL that is not a Dealwise record or chat page
defanged (adapters.outbound_links), and the HTML part escapes everything and links only to record
pages under DEALWISE_BASE_URL. A mail that proposes a change carries its one-time confirmation code
in the Reply-To address and the subject (adapters.email.confirmations).
"""

import html
import re
import uuid
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from adapters.email.confirmations import reply_address, subject_with_code
from adapters.email.parsing import InboundMail
from adapters.email.rich import rich_html, rich_text
from adapters.outbound_links import neutralise_urls
from assistant.crm.schemas.chat import ChatResponse, FieldChange
from assistant.crm.settings import Settings

OUR_MESSAGE_ID = re.compile(r"^<dealwise\.([0-9a-f-]{36})\.[0-9a-f]+@", re.IGNORECASE)
CONFIRM_HINT = (
    'Reply "confirm" (or "yes") to this mail to apply this change, or "cancel" to drop it. Nothing changes '
    "until then. Only a reply to this mail counts: its reply address and subject carry a one-time code."
)


def message_id(thread_id: str, settings: Settings) -> str:
    """Our Message-IDs name the thread, so a reply that only carries In-Reply-To still finds it."""
    domain = settings.email_address.rsplit("@", 1)[-1] or "localhost"
    return f"<dealwise.{thread_id or 'none'}.{uuid.uuid4().hex[:16]}@{domain}>"


def _change(change: FieldChange) -> str:
    if change.old is None:
        return f"  - {change.record_name}: {change.field} = {change.new}"
    return f"  - {change.record_name}: {change.field}: {change.old} -> {change.new}"


def reply_text(response: ChatResponse, base_url: str, proposing: bool = True) -> str:
    """`proposing`: the change in `response.pending_action` still waits (it is not a confirmation's outcome)."""
    parts = [rich_text(response.rich) if response.rich else neutralise_urls(response.answer.strip(), base_url)]
    if response.pending_action is not None and proposing:
        action = response.pending_action
        described = action.summary in response.answer or response.rich is not None
        lines = [] if described else [f"Proposed: {action.summary}", *(_change(change) for change in action.changes)]
        parts.append(neutralise_urls("\n".join(lines), base_url) + ("\n" if lines else "") + CONFIRM_HINT)
    if response.records:
        links = [
            f"- {neutralise_urls(ref.name)}: {base_url.rstrip('/')}/records/{ref.type}/{ref.id}"
            for ref in response.records[:10]
        ]
        parts.append("Records:\n" + "\n".join(links))
    return "\n\n".join(parts) + "\n\n-- \nDealwise\n"


def _safe(text: str, base_url: str = "") -> str:
    return html.escape(neutralise_urls(text, base_url))


def reply_html(response: ChatResponse, base_url: str, proposing: bool = True) -> str:
    blocks = response.answer.split("\n\n")
    paragraphs = [f"<p>{_safe(block, base_url).replace(chr(10), '<br>')}</p>" for block in blocks]
    if response.rich is not None:
        paragraphs = [rich_html(response.rich, base_url)]
    if response.pending_action is not None and proposing:
        action = response.pending_action
        items = "".join(f"<li>{_safe(_change(change).strip(' -'))}</li>" for change in action.changes)
        if action.summary not in response.answer and response.rich is None:
            paragraphs.append(f"<p><strong>Proposed:</strong> {_safe(action.summary)}</p><ul>{items}</ul>")
        paragraphs.append(f"<p>{html.escape(CONFIRM_HINT)}</p>")
    if response.records:
        base = html.escape(base_url.rstrip("/"))
        links = "".join(
            f'<li><a href="{base}/records/{ref.type}/{ref.id}">{_safe(ref.name)}</a></li>'
            for ref in response.records[:10]
        )
        paragraphs.append(f"<p>Records:</p><ul>{links}</ul>")
    return "<html><body>" + "".join(paragraphs) + "</body></html>"


def reply_message(
    mail: InboundMail, response: ChatResponse, settings: Settings, mid: str | None = None, code: str | None = None
) -> EmailMessage:
    """The reply; `code` (for a change still waiting) goes into Reply-To and the subject, with the hint on how
    to confirm; `mid` is its Message-ID."""
    reply = EmailMessage()
    reply["From"] = formataddr(("Dealwise", settings.email_address))
    reply["To"] = str(Address(display_name=mail.sender_name, addr_spec=mail.sender))
    if code:
        reply["Reply-To"] = formataddr(("Dealwise", reply_address(settings.email_address, code)))
    subject = subject_with_code(mail.base_subject, None) or "your message"
    reply["Subject"] = subject_with_code(f"Re: {subject}", code)
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = mid or message_id(response.thread_id, settings)
    if mail.message_id:
        reply["In-Reply-To"] = mail.message_id
        reply["References"] = " ".join([*mail.references, mail.message_id])
    reply["Auto-Submitted"] = "auto-replied"
    reply.set_content(reply_text(response, settings.base_url, proposing=code is not None))
    reply.add_alternative(reply_html(response, settings.base_url, proposing=code is not None), subtype="html")
    return reply
