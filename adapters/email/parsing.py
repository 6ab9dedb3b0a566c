"""Inbound mail -> what the assistant needs: who, which thread, the new text, forwarded content, audio."""

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|tr|wg)\s*:", re.IGNORECASE)
_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|sv)\s*:\s*", re.IGNORECASE)
_FORWARD_MARKER = re.compile(
    r"^-{2,}\s*(forwarded message|original message)\s*-{2,}|^begin forwarded message:", re.IGNORECASE | re.MULTILINE
)
_QUOTE_INTRO = re.compile(r"^(on .{4,200} wrote:|-{2,}\s*original message\s*-{2,}|_{10,})\s*$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*(from|to|cc|date|sent|subject)\s*:\s*(.*)$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "blockquote", "table"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def is_audio(self) -> bool:
        return self.content_type.startswith("audio/") or self.filename.lower().endswith(
            (".mp3", ".m4a", ".wav", ".ogg", ".opus", ".webm", ".flac", ".aac")
        )


@dataclass
class ForwardedMail:
    sender: str
    sender_name: str
    subject: str
    date: str
    body: str


@dataclass
class InboundMail:
    message_id: str
    subject: str
    sender: str
    sender_name: str
    to: list[str]
    cc: list[str]
    in_reply_to: str | None
    references: list[str]
    body: str
    automatic: bool
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: ForwardedMail | None = None
    raw: EmailMessage | None = None

    @property
    def base_subject(self) -> str:
        return _REPLY_SUBJECT.sub("", self.subject).strip()

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this mail answers, root first."""
        ids = list(self.references)
        if self.in_reply_to and self.in_reply_to not in ids:
            ids.append(self.in_reply_to)
        return ids

    def new_text(self) -> str:
        """The body without quoted history or signature: what the person wrote now."""
        kept: list[str] = []
        for line in self.body.replace("\r\n", "\n").split("\n"):
            if _QUOTE_INTRO.match(line.strip()) or line.rstrip() == "--" or line.startswith("-- "):
                break
            if not line.lstrip().startswith(">"):
                kept.append(line)
        return "\n".join(kept).strip()


def _addresses(message: EmailMessage, header: str) -> list[str]:
    values = message.get_all(header) or []
    return [address.lower() for _, address in getaddresses([str(value) for value in values]) if address]


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return str(part.get_content())
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(str(part.get_content()))
    return ""


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_type() == "message/rfc822":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found.append(Attachment(part.get_filename() or "attachment", part.get_content_type(), payload))
    return found


def _attached_message(message: EmailMessage) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                return inner[0]
    return None


def _inline_forward(body: str) -> ForwardedMail | None:
    marker = _FORWARD_MARKER.search(body)
    if marker is None:
        return None
    headers: dict[str, str] = {}
    lines = body[marker.end() :].replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines) and (not lines[index].strip() and not headers):
        index += 1
    while index < len(lines):
        match = _HEADER_LINE.match(lines[index].lstrip("> "))
        if match is None:
            break
        headers.setdefault(match.group(1).lower(), match.group(2).strip())
        index += 1
    if "from" not in headers:
        return None
    name, address = parseaddr(headers["from"].replace("mailto:", ""))
    rest = "\n".join(line[2:] if line.startswith("> ") else line for line in lines[index:]).strip()
    date = headers.get("date") or headers.get("sent", "")
    return ForwardedMail(address.lower(), name, headers.get("subject", ""), date, rest)


def forwarded_part(message: EmailMessage, body: str) -> ForwardedMail | None:
    """The original mail inside a forward: an attached message/rfc822, or the quoted block in the body."""
    inner = _attached_message(message)
    if inner is not None:
        name, address = parseaddr(str(inner.get("From", "")))
        subject, date = str(inner.get("Subject", "")), str(inner.get("Date", ""))
        return ForwardedMail(address.lower(), name, subject, date, _body(inner))
    return _inline_forward(body)


def parse_mail(raw: bytes) -> InboundMail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    name, sender = parseaddr(str(message.get("From", "")))
    body = _body(message)
    auto = str(message.get("Auto-Submitted", "no")).lower() != "no" or str(message.get("Precedence", "")).lower() in (
        "bulk", "junk", "list", "auto_reply")  # fmt: skip
    references = _MESSAGE_ID.findall(str(message.get("References", "")))
    in_reply_to = _MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))
    subject = str(message.get("Subject", ""))
    mail = InboundMail(
        message_id=str(message.get("Message-ID", "")).strip(),
        subject=subject,
        sender=sender.lower(),
        sender_name=name,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=references,
        body=body,
        automatic=auto,
        attachments=_attachments(message),
        raw=message,
    )
    if _FORWARD_SUBJECT.match(subject) or _attached_message(message) is not None:
        mail.forwarded = forwarded_part(message, body)
    return mail
