"""Polling a mailbox instead of listening: DEALWISE_IMAP_URL=imap[s]://user:password@host:port/INBOX.

Unseen messages are fetched, handed to the same EmailProcessor as the SMTP listener, and marked
seen. Message-IDs are de-duplicated by the processor, so a poll interrupted halfway is safe to repeat.
"""

import contextlib
import imaplib
import logging
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from adapters.email.handling import EmailProcessor

log = logging.getLogger(__name__)

POLL_SECONDS = 30.0


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    mailbox: str


def parse_imap_url(url: str) -> ImapTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise ValueError(f"DEALWISE_IMAP_URL must start with imap:// or imaps://, got {parts.scheme or 'nothing'}://")
    if not parts.hostname or not parts.username:
        raise ValueError("DEALWISE_IMAP_URL needs a user and a host: imap://user:password@host:port/INBOX")
    secure = parts.scheme == "imaps"
    return ImapTarget(
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        ssl=secure,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def poll_once(target: ImapTarget, processor: EmailProcessor) -> list[str]:
    """Process every unseen message once; returns their outcomes."""
    client: imaplib.IMAP4 = (imaplib.IMAP4_SSL if target.ssl else imaplib.IMAP4)(target.host, target.port)
    outcomes: list[str] = []
    try:
        client.login(target.user, target.password)
        client.select(target.mailbox)
        _, found = client.search(None, "UNSEEN")
        for number in (found[0] or b"").split():
            _, data = client.fetch(number, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw is None:
                continue
            outcomes.append(processor.process(raw))
            client.store(number, "+FLAGS", "\\Seen")
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
    return outcomes


class ImapPoller:
    def __init__(self, context: Any, processor: EmailProcessor | None = None, interval_s: float = POLL_SECONDS) -> None:
        self.target = parse_imap_url(context.settings.imap_url)
        self.processor = processor or EmailProcessor(context)
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dealwise-imap", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                poll_once(self.target, self.processor)
            except (imaplib.IMAP4.error, OSError) as exc:
                log.warning("IMAP poll of %s failed: %s", self.target.host, exc)
            self._stop.wait(self.interval_s)

    def start(self) -> "ImapPoller":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval_s + 5)
