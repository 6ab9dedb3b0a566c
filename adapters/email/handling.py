"""One inbound mail, start to finish: who sent it, which thread, what they want, and the reply.

A mail from a known, active user is a request (answered, or drafted, in the same thread); a
forwarded customer email, or one the assistant is only Cc'd or Bcc'd on, becomes a proposed email
activity that a "confirm" reply applies; an audio attachment goes through the call pipeline.
Unknown senders, and senders the receiving mail server's Authentication-Results fail (or do not
vouch for, with DEALWISE_EMAIL_REQUIRE_AUTH), get no reply: the mail is recorded as rejected with
the reason. A confirm or cancel counts only as a reply to the proposal mail that carries its
one-time code (adapters.email.confirmations). Every Message-ID is claimed before anything is
answered or written, so a mail delivered twice is answered once.
"""

import hashlib
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from adapters.audio_turn import audio_turn
from adapters.email import confirmations
from adapters.email.authentication import sender_check
from adapters.email.compose import OUR_MESSAGE_ID, message_id, reply_message
from adapters.email.forwarded import NoMatchingContact, forwarded_proposal
from adapters.email.outbound import SmtpSender
from adapters.email.parsing import InboundMail, parse_mail
from adapters.processed_events import claim_event, mark_event
from adapters.proposals import present_proposal
from assistant.agent.safety import is_cancellation, is_confirmation
from assistant.crm.db import session_scope
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Channel, PendingAction, Thread, User
from assistant.crm.principal import Principal, principal_for
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.security import utcnow

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

    def process(self, raw: bytes, envelope_recipients: Iterable[str] = ()) -> str:
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
        refusal = self._unauthenticated(mail)
        if refusal is not None:
            log.warning("email %s from %s rejected: %s", event_id, mail.sender, refusal)
            return "rejected" if claim_event(sessions, SOURCE, event_id, "rejected", refusal) else "duplicate"
        if not claim_event(sessions, SOURCE, event_id):
            return "duplicate"
        try:
            response = self._respond(principal, mail, list(envelope_recipients))
        except Exception as exc:
            log.exception("email %s failed", event_id)
            mark_event(sessions, SOURCE, event_id, "failed", repr(exc))
            self._send(mail, ChatResponse(answer=FAILURE, thread_id=""), event_id)
            return "failed"
        return self._send(mail, response, event_id)

    def _unauthenticated(self, mail: InboundMail) -> str | None:
        """Why the receiving server's Authentication-Results do not let this mail in, or None."""
        settings = self.context.settings
        if mail.raw is None:
            return None
        check = sender_check(mail.raw, mail.sender, settings.email_authserv_id)
        if check.verdict == "fail":
            return f"the receiving mail server could not authenticate {mail.sender} ({check.detail})"
        if check.verdict == "none" and settings.email_require_auth:
            return f"no passing SPF/DKIM/DMARC result for {mail.sender} ({check.detail}); DEALWISE_EMAIL_REQUIRE_AUTH"
        return None

    def _confirmation_code(self, response: ChatResponse, mid: str) -> str | None:
        """A fresh one-time code for a reply whose change still waits, stored with the reply's Message-ID."""
        action = response.pending_action
        if action is None or not response.thread_id:
            return None
        code = confirmations.new_code()
        lifetime = timedelta(hours=self.context.settings.email_confirmation_hours)
        with session_scope(self.context.sessions) as session:
            thread = session.get(Thread, response.thread_id)
            waiting = session.get(PendingAction, action.id)
            if thread is None or waiting is None or waiting.status != "pending":
                return None
            now = utcnow()
            confirmations.record_code(session, action.id, thread.id, thread.user_id, mid, code, now, lifetime)
        return code

    def _send(self, mail: InboundMail, response: ChatResponse, event_id: str) -> str:
        try:
            mid = message_id(response.thread_id, self.context.settings)
            code = self._confirmation_code(response, mid)
            self.sender.send(reply_message(mail, response, self.context.settings, mid, code))
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

    def _respond(self, principal: Principal, mail: InboundMail, envelope_recipients: list[str]) -> ChatResponse:
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
            if self._awaits_decision(principal, mail, thread_id):
                return self._decide(principal, mail, envelope_recipients, confirm=is_confirmation(first_line))
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

    def _awaits_decision(self, principal: Principal, mail: InboundMail, thread_id: str | None) -> bool:
        """Whether a confirm/cancel would decide something: the thread has a proposal waiting, or the mail
        replies to one of the person's proposal mails."""
        with session_scope(self.context.sessions) as session:
            thread = session.get(Thread, thread_id) if thread_id else None
            if thread is not None and (thread.state or {}).get("pending_action_id"):
                return True
            return bool(confirmations.awaiting_reply(session, principal.user_id, mail))

    def _decide(
        self, principal: Principal, mail: InboundMail, envelope_recipients: list[str], confirm: bool
    ) -> ChatResponse:
        """Confirm or cancel the proposal whose one-time code this reply carries, or say why nothing changed."""
        codes = confirmations.codes_in(mail, envelope_recipients)
        try:
            with session_scope(self.context.sessions) as session:
                row = confirmations.claim(session, principal.user_id, mail, codes, utcnow())
                thread_id, action_id = row.thread_id, row.pending_action_id
        except confirmations.ConfirmationRefused as refused:
            log.warning("email decision from %s refused: %s", mail.sender, refused)
            return ChatResponse(answer=str(refused), thread_id="")
        decide = self.context.assistant.confirm if confirm else self.context.assistant.cancel
        try:
            return decide(principal, thread_id, action_id)
        except DealwiseError as exc:
            return ChatResponse(answer=f"Sorry, I could not take that request: {exc}", thread_id=thread_id)
