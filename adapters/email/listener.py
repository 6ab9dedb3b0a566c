"""The inbound SMTP listener (aiosmtpd): accepts mail for the assistant's address, answers it in the background."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller

from adapters.email.handling import EmailProcessor, mailbox_key

log = logging.getLogger(__name__)

HEADROOM_BYTES = 1024 * 1024


class InboundHandler:
    """aiosmtpd handler: 250 as soon as the mail is stored in memory; processing and the reply follow."""

    def __init__(self, processor: EmailProcessor, workers: int = 2) -> None:
        self.processor = processor
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dealwise-mail")
        self.pending: set[asyncio.Future[Any]] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if mailbox_key(address) != mailbox_key(self.processor.address):
            return f"550 5.1.1 <{address}>: not a Dealwise mailbox (this server only accepts {self.processor.address})"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        recipients = list(envelope.rcpt_tos)
        future = asyncio.get_running_loop().run_in_executor(self.executor, self._process, raw, recipients)
        self.pending.add(future)
        future.add_done_callback(self.pending.discard)
        return "250 Message accepted"

    def _process(self, raw: bytes, recipients: list[str]) -> str:
        try:
            return self.processor.process(raw, recipients)
        except Exception:
            log.exception("inbound mail could not be processed")
            return "failed"

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class EmailListener:
    """Start/stop pair around an aiosmtpd Controller on a real port (port 0 does not work with aiosmtpd)."""

    def __init__(self, processor: EmailProcessor, host: str, port: int, max_bytes: int) -> None:
        self.handler = InboundHandler(processor)
        self.controller = Controller(
            self.handler, hostname=host, port=port, data_size_limit=max_bytes + HEADROOM_BYTES, ready_timeout=10
        )

    def start(self) -> "EmailListener":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
        self.handler.close()


def listener_for(context: Any, processor: EmailProcessor | None = None) -> EmailListener | None:
    """The listener DEALWISE_SMTP_LISTEN_HOST/PORT ask for, or None when they are unset."""
    settings = context.settings
    if not settings.smtp_listen_host or not settings.smtp_listen_port:
        return None
    return EmailListener(
        processor or EmailProcessor(context),
        settings.smtp_listen_host,
        settings.smtp_listen_port,
        settings.max_upload_bytes,
    )
