"""One inbound mail, start to finish: who sent it, which thread, what they want, and the reply.

A mail from a known, active user is a request (answered, or drafted, in the same thread); a
forwarded customer email, or one the assistant is only Cc'd or Bcc'd on, becomes a proposed email
activity that a "confirm" reply applies; an audio attachment goes through the call pipeline.
Unknown senders get no reply: the mail is recorded as rejected with the reason. Every Message-ID
is claimed before anything is answered or written, so a mail delivered twice is answered once.
"""

import hashlib
import logging
from typing import Any

from sqlalchemy import func, select

from adapters.audio_turn import audio_turn
from adapters.email.compose import OUR_MESSAGE_ID, reply_message
from adapters.email.forwarded import NoMatchingContact, forwarded_proposal
from adapters.email.outbound import SmtpSender
from adapters.email.parsing import InboundMail, parse_mail
from adapters.processed_events import claim_event, mark_event
from adapters.proposals import present_proposal
from assistant.agent.safety import is_cancellation, is_confirmation
from assistant.crm.db import session_scope
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Channel, Thread, User
from assistant.crm.principal import Principal, principal_for
from assistant.crm.schemas.chat import ChatResponse

log = logging.getLogger(__name__)

SOURCE = "email"
FAILURE = "Sorry, something went wrong while answering your email; nothing was changed. Please try again."


def mailbox_key(address: str) -> tuple[str, str]:
    """An address without its +tag: dealwise+crm@x and dealwise@x are the same mailbox."""
    local, _, domain = address.lower().partition("@")
    return local.split("+", 1)[0], domain


class EmailProcessor:
    """Handles raw inbound mail; `context` carries settings, sessions, clock and the (lazily built) assistant."""

    def __init__(self, context: Any, sender: SmtpSender | None = None) -> None:
        self.context = context
        self.sender = sender or SmtpSender(context.settings)

    @property
    def address(self) -> str:
        return self.context.settings.email_address.lower()

    def process(self, raw: bytes) -> str:
        """Handle one mail; returns its outcome: answered, rejected, duplicate, failed or unsent."""
        mail = parse_mail(raw)
        event_id = mail.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
        sessions = self.context.sessions
        if mail.sender == self.address or mail.automatic:
            claim_event(sessions, SOURCE, event_id, "rejected", f"automatic mail from {mail.sender or 'nobody'}")
            return "rejected"
        principal = self._principal(mail.sender)
        if principal is None:
            reason = f"sender {mail.sender or '(none)'} is not an active Dealwise user"
            log.info("email %s rejected: %s", event_id, reason)
            return "rejected" if claim_event(sessions, SOURCE, event_id, "rejected", reason) else "duplicate"
        if not claim_event(sessions, SOURCE, event_id):
            return "duplicate"
        try:
            response = self._respond(principal, mail)
        except Exception as exc:
            log.exception("email %s failed", event_id)
            mark_event(sessions, SOURCE, event_id, "failed", repr(exc))
            self._send(mail, ChatResponse(answer=FAILURE, thread_id=""), event_id)
            return "failed"
        return self._send(mail, response, event_id)

    def _send(self, mail: InboundMail, response: ChatResponse, event_id: str) -> str:
        try:
            self.sender.send(reply_message(mail, response, self.context.settings))
        except Exception as exc:
            log.exception("reply to %s could not be sent", mail.sender)
            mark_event(self.context.sessions, SOURCE, event_id, "unsent", f"reply not sent: {exc}")
            return "unsent"
        if response.answer != FAILURE:
            mark_event(self.context.sessions, SOURCE, event_id, "answered", None)
        return "answered" if response.answer != FAILURE else "failed"

    def _principal(self, address: str) -> Principal | None:
        if not address:
            return None
        with session_scope(self.context.sessions) as session:
            user = session.scalars(select(User).where(func.lower(User.email) == address.lower())).first()
            if user is None or not user.is_active:
                return None
            return principal_for(session, user, Channel.email)

    def _thread(self, principal: Principal, mail: InboundMail) -> tuple[str | None, str]:
        """The thread this mail continues (by our Message-IDs, then by its root), and its external ref."""
        referenced = mail.thread_ids
        with session_scope(self.context.sessions) as session:
            for mid in reversed(referenced):
                match = OUR_MESSAGE_ID.match(mid)
                thread = session.get(Thread, match.group(1)) if match else None
                if thread is not None and thread.user_id == principal.user_id:
                    return thread.id, thread.external_ref or f"email:{mid}"
        for mid in referenced:
            thread_id = self.context.assistant.thread_for(principal, f"email:{mid}")
            if thread_id is not None:
                return thread_id, f"email:{mid}"
        return None, f"email:{referenced[0] if referenced else mail.message_id}"

    def _is_forward(self, mail: InboundMail) -> bool:
        addressed = any(mailbox_key(address) == mailbox_key(self.address) for address in mail.to)
        return mail.forwarded is not None or (not addressed and not mail.thread_ids)

    def _respond(self, principal: Principal, mail: InboundMail) -> ChatResponse:
        thread_id, external_ref = self._thread(principal, mail)
        audio = [attachment for attachment in mail.attachments if attachment.is_audio]
        if audio:
            first = audio[0]
            return audio_turn(self.context, principal, first.data, first.filename, external_ref)
        if self._is_forward(mail):
            return self._forwarded(principal, mail, external_ref)
        text = mail.new_text() or mail.base_subject
        first_line = text.strip().splitlines()[0].strip() if text.strip() else ""
        if is_confirmation(first_line) or is_cancellation(first_line):
            text = first_line
        try:
            return self.context.assistant.ask(principal, text, thread_id=thread_id, external_ref=external_ref)
        except DealwiseError as exc:
            return ChatResponse(answer=f"Sorry, I could not take that request: {exc}", thread_id=thread_id or "")

    def _forwarded(self, principal: Principal, mail: InboundMail, external_ref: str) -> ChatResponse:
        assistant = self.context.assistant
        try:
            with session_scope(self.context.sessions) as session:
                deps = Deps(principal, session, self.context.clock, self.context.settings)
                proposal = forwarded_proposal(deps, mail, self.address)
        except (NoMatchingContact, DealwiseError) as exc:
            return ChatResponse(answer=f"{exc}; nothing was logged.", thread_id="")
        answer = f"You sent me an email to log. I can add it to the CRM: {proposal.summary}."
        request = f"(forwarded email) {mail.subject}"
        return present_proposal(assistant, principal, request, answer, proposal, external_ref)
