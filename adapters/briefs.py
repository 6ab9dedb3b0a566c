"""Weekly risk briefs delivered where managers are: a Slack DM and an email, on a schedule inside the app."""

import logging
import threading
from email.message import EmailMessage

from slack_sdk import WebClient

from adapters.email.outbound import SmtpSender
from adapters.slack.rendering import NO_UNFURL, escape
from adapters.web.context import AppContext
from assistant.risk.brief import BriefOutcome, BriefRecipient, Deliver, send_briefs

log = logging.getLogger(__name__)
CHECK_EVERY_S = 15 * 60


class NoChannelConfigured(Exception):
    """Neither Slack nor outbound email is configured, so a brief cannot reach anyone."""


def channel_delivery(context: AppContext) -> Deliver:
    """Deliver by Slack DM (when the manager has a linked Slack user) and by email (when SMTP is set)."""
    settings = context.settings
    slack = (
        WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
        if settings.slack_bot_token
        else None
    )
    mail = SmtpSender(settings)

    def deliver(recipient: BriefRecipient, subject: str, text: str) -> None:
        delivered = False
        if slack is not None and recipient.slack_user_id:
            message_text = f"*{escape(subject)}*\n{escape(text)}"
            slack.chat_postMessage(channel=recipient.slack_user_id, text=message_text, **NO_UNFURL)
            delivered = True
        if mail.configured:
            message = EmailMessage()
            message["From"] = settings.email_address
            message["To"] = recipient.email
            message["Subject"] = subject
            message.set_content(text)
            mail.send(message)
            delivered = True
        if not delivered:
            raise NoChannelConfigured(f"no Slack user linked and no SMTP configured for {recipient.email}")

    return deliver


def deliver_due_briefs(context: AppContext) -> list[BriefOutcome]:
    return send_briefs(context.settings, context.sessions, context.clock, channel_delivery(context))


class BriefScheduler:
    """Checks every quarter hour whether a manager's weekly brief is due (Mondays 08:00 by default)."""

    def __init__(self, context: AppContext, every_s: float = CHECK_EVERY_S) -> None:
        self.context = context
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dealwise-briefs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                for outcome in deliver_due_briefs(self.context):
                    log.info("risk brief for %s: %s", outcome.email, "sent" if outcome.delivered else outcome.error)
            except Exception:
                log.exception("the weekly risk briefs could not be sent")
