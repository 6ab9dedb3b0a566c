"""Audio clips through Slack and email: downloaded (Slack: with the bot token), transcribed, proposed as a call.

Where the audio pipeline (ingest.calls.process_audio) is not installed, the channels must say so
plainly instead of failing silently; both states are checked here.
"""

import importlib.util
import json
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.slack.rendering import CONFIRM_ACTION
from assistant.crm.db import session_factory
from assistant.crm.models import Activity, CallRecording
from assistant.crm.settings import Settings
from tests.support.channels import BOT_TOKEN, RITA_SLACK, Relay, SlackClient, mail, send, slack_text_of, text_of
from tests.support.speech import synthesise

ACCOUNT = "Northstar Insurance"
SPOKEN = f"Logged a call with {ACCOUNT}. They asked for pricing by Friday."
PIPELINE = importlib.util.find_spec("ingest.calls") is not None


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise(SPOKEN, Path(tmp_path_factory.mktemp("speech")) / "note.wav", speed=130).read_bytes()


def _expect_call_proposal(text: str) -> None:
    if PIPELINE:
        assert "pricing" in text.lower() and "friday" in text.lower()
        assert re.search(rf"Log (call|note) '[^']*{ACCOUNT}' on {ACCOUNT}", text), text
    else:
        assert "audio transcription is unavailable" in text


def test_slack_audio_clip_becomes_a_transcript_backed_proposal(
    slack: SlackClient, speech: bytes, slack_settings: Settings
):
    file = slack.api.add_file("FAUDIO1", "call-note.wav", "audio/wav", speech, RITA_SLACK)
    slack.dm(RITA_SLACK, "", subtype="file_share", files=[file])
    [reply] = slack.api.wait_for("chat.postMessage", timeout=120)
    [download] = slack.api.calls_to("file_download")
    assert download.token == BOT_TOKEN
    _expect_call_proposal(slack_text_of(reply))
    if PIPELINE:
        blocks = reply.params["blocks"]
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        assert any(e["action_id"] == CONFIRM_ACTION for b in blocks if b["type"] == "actions" for e in b["elements"])
        slack.click(RITA_SLACK, reply, CONFIRM_ACTION)
        [done] = slack.api.wait_for("chat.update", timeout=60)
        assert "Done" in done.params["text"]
        with session_factory(slack_settings)() as session:
            call = session.scalars(select(CallRecording).where(CallRecording.filename == "call-note.wav")).one()
            assert call.activity_id is not None
            activity = session.get(Activity, call.activity_id)
            assert activity is not None and "pricing" in (activity.body or "").lower()


def test_email_audio_attachment_becomes_a_transcript_backed_proposal(
    mailbox: int, relay: tuple[Relay, int], speech: bytes
):
    message: EmailMessage = mail("Call note", "Please log this call.")
    message.add_attachment(speech, maintype="audio", subtype="wav", filename="call-note.wav")
    send(mailbox, message)
    [reply] = relay[0].wait(1, timeout=120)
    _expect_call_proposal(text_of(reply))
    if PIPELINE:
        assert 'Reply "confirm"' in text_of(reply)
