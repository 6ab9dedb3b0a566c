"""Sending the assistant's replies by SMTP (DEALWISE_SMTP_HOST/PORT/USER/PASSWORD/STARTTLS)."""

import smtplib
import ssl
from email.message import EmailMessage

from assistant.crm.settings import Settings

TIMEOUT_S = 30


class OutboundNotConfigured(Exception):
    """DEALWISE_SMTP_HOST is unset, so no reply can be sent."""


class SmtpSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def send(self, message: EmailMessage) -> None:
        settings = self.settings
        if not settings.smtp_host:
            raise OutboundNotConfigured("set DEALWISE_SMTP_HOST (and DEALWISE_SMTP_PORT) to send replies")
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
