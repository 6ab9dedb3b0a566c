"""The Slack app: Bolt AsyncApp listeners that hand each message to the Assistant and post its answer.

Slack gets its HTTP response at once (events are acknowledged before the listener runs, commands
and buttons call ``ack()`` first); the answer follows through the Web API. Every event id is
claimed in ``processed_events`` before anything is answered or written, so Slack's retries
(``X-Slack-Retry-Num``) are never answered twice.
"""

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.audio_turn import audio_turn
from adapters.processed_events import claim_event, mark_event
from adapters.slack import rendering
from adapters.slack.client import NoUnfurlWebClient
from adapters.slack.download import DownloadFailed, download_file
from adapters.slack.identity import REFUSAL, slack_principal
from adapters.slack.text import is_audio, plain_text
from adapters.web.context import AppContext
from assistant.crm.errors import DealwiseError, Forbidden, NotFound
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.settings import Settings

log = logging.getLogger(__name__)

SOURCE = "slack"
HELP = (
    "Ask me about your accounts, deals and activities, for example `/dealwise which of my deals close this month?`, "
    "ask for a follow-up email draft, or send me an audio clip of a call to log it."
)
NOT_YOURS = "Sorry, only the person who asked for this change can confirm or cancel it."
FAILURE = "Sorry, something went wrong while answering; nothing was changed. Please try again."


class SlackChannel:
    """What the listeners share: the app context (settings, sessions, assistant) and the Web API client."""

    def __init__(self, context: AppContext, client: AsyncWebClient) -> None:
        self.context = context
        self.client = client

    @property
    def base_url(self) -> str:
        return self.context.settings.base_url

    async def principal(self, slack_user_id: str | None) -> Principal | None:
        return await slack_principal(self.context.sessions, self.client, slack_user_id)

    async def converse(self, principal: Principal, text: str, external_ref: str) -> ChatResponse:
        def turn() -> ChatResponse:
            assistant = self.context.assistant
            thread_id = assistant.thread_for(principal, external_ref)
            return assistant.ask(principal, text, thread_id=thread_id, external_ref=external_ref)

        return await asyncio.to_thread(turn)

    async def post(self, channel: str, response: ChatResponse, thread_ts: str | None) -> None:
        await self.client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=rendering.fallback_text(response),
            blocks=rendering.response_blocks(response, self.base_url),
        )

    async def on_message(self, body: dict[str, Any], event: dict[str, Any], threaded: bool) -> None:
        """A mention (answered in its thread) or a direct message (answered in place, or in its thread)."""
        event_id = str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}")
        if not await asyncio.to_thread(claim_event, self.context.sessions, SOURCE, event_id):
            return
        channel, ts = str(event.get("channel")), str(event.get("ts"))
        thread_ts = event.get("thread_ts") or (ts if threaded else None)
        external_ref = f"slack:{channel}:{thread_ts}" if thread_ts else f"slack:{channel}"
        principal = await self.principal(event.get("user"))
        if principal is None:
            await self.refuse(event_id, channel, event.get("user"), thread_ts, ephemeral=threaded)
            return
        try:
            audio = [file for file in event.get("files") or [] if is_audio(file)]
            for file in audio:
                await self.on_audio(principal, file, channel, thread_ts, external_ref)
            text = plain_text(event.get("text") or "")
            if text or not audio:
                response = await self.converse(principal, text or "help", external_ref)
                await self.post(channel, response, thread_ts)
            await asyncio.to_thread(mark_event, self.context.sessions, SOURCE, event_id, "answered", None)
        except DealwiseError as exc:
            await asyncio.to_thread(mark_event, self.context.sessions, SOURCE, event_id, "refused", str(exc))
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=f"Sorry, {exc}.")
        except Exception as exc:
            log.exception("Slack event %s failed", event_id)
            await asyncio.to_thread(mark_event, self.context.sessions, SOURCE, event_id, "failed", repr(exc))
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=FAILURE)

    async def refuse(
        self, event_id: str, channel: str, slack_user: str | None, thread_ts: str | None, ephemeral: bool
    ) -> None:
        detail = f"no active Dealwise user for Slack user {slack_user}"
        await asyncio.to_thread(mark_event, self.context.sessions, SOURCE, event_id, "rejected", detail)
        if ephemeral and slack_user:
            await self.client.chat_postEphemeral(channel=channel, user=slack_user, text=REFUSAL, thread_ts=thread_ts)
        else:
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=REFUSAL)

    async def on_audio(
        self, principal: Principal, file: dict[str, Any], channel: str, thread_ts: str | None, external_ref: str
    ) -> None:
        """An audio clip: downloaded with the bot token, transcribed, summarised, proposed as a logged call."""
        if not await asyncio.to_thread(claim_event, self.context.sessions, SOURCE, f"file:{file.get('id')}"):
            return
        name = str(file.get("name") or f"{file.get('id')}.audio")
        try:
            data = await download_file(self.client, file, self.context.settings.max_upload_bytes)
        except DownloadFailed as exc:
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=f"Sorry, {exc}.")
            return
        response = await asyncio.to_thread(audio_turn, self.context, principal, data, name, external_ref)
        await self.post(channel, response, thread_ts)

    async def on_file_shared(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        file_id, channel = event.get("file_id"), event.get("channel_id")
        if not file_id or not channel:
            return
        if not await asyncio.to_thread(claim_event, self.context.sessions, SOURCE, str(body.get("event_id"))):
            return
        info = await self.client.files_info(file=file_id)
        file = info.get("file") or {}
        if not is_audio(file):
            return
        principal = await self.principal(event.get("user_id"))
        if principal is None:
            return
        await self.on_audio(principal, file, channel, None, f"slack:{channel}")

    async def on_command(self, command: dict[str, Any], respond: Any) -> None:
        trigger = str(command.get("trigger_id") or "")
        if trigger and not await asyncio.to_thread(claim_event, self.context.sessions, SOURCE, f"command:{trigger}"):
            return
        principal = await self.principal(command.get("user_id"))
        if principal is None:
            await respond(text=REFUSAL, response_type="ephemeral")
            return
        text = plain_text(command.get("text") or "")
        if not text or text.lower() == "help":
            await respond(text=HELP, response_type="ephemeral")
            return
        external_ref = f"slack:{command.get('channel_id')}:command:{command.get('user_id')}"
        try:
            response = await self.converse(principal, text, external_ref)
        except Exception:
            log.exception("Slack command failed")
            await respond(text=FAILURE, response_type="ephemeral")
            return
        blocks = rendering.response_blocks(response, self.base_url)
        await respond(
            text=rendering.fallback_text(response), blocks=blocks, response_type="ephemeral", **rendering.NO_UNFURL
        )

    async def on_decision(self, body: dict[str, Any], action: dict[str, Any], respond: Any, confirm: bool) -> None:
        """A Confirm or Cancel click: only the person who asked can decide; a proposal is applied once."""
        key = f"action:{body.get('user', {}).get('id')}:{action.get('action_ts')}"
        if not await asyncio.to_thread(claim_event, self.context.sessions, SOURCE, key):
            return
        slack_user = body.get("user", {}).get("id")
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        principal = await self.principal(slack_user)
        if principal is None:
            await respond(text=REFUSAL, response_type="ephemeral", replace_original=False)
            return
        value = json.loads(action.get("value") or "{}")
        decide = self.context.assistant.confirm if confirm else self.context.assistant.cancel
        try:
            response = await asyncio.to_thread(decide, principal, value.get("thread_id"), value.get("action_id"))
        except (NotFound, Forbidden):
            await respond(text=NOT_YOURS, response_type="ephemeral", replace_original=False)
            return
        except DealwiseError as exc:
            await respond(text=f"Sorry, {exc}.", response_type="ephemeral", replace_original=False)
            return
        message = body.get("message") or {}
        blocks = rendering.resolved_blocks(message.get("blocks") or [], response.answer)
        text = rendering.fallback_text(response.answer)
        if container.get("is_ephemeral") or not message.get("ts") or not channel:
            await respond(text=text, blocks=blocks, replace_original=True, **rendering.NO_UNFURL)
        else:
            await self.client.chat_update(channel=channel, ts=message["ts"], text=text, blocks=blocks)


def slack_api_url(settings: Settings) -> str:
    """DEALWISE_SLACK_API_URL with the trailing slash slack_sdk needs (without it, /api is dropped)."""
    return settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"


def build_slack_app(context: AppContext, socket_mode: bool = False) -> AsyncApp:
    """A Bolt app for one workspace; its Web API client talks to DEALWISE_SLACK_API_URL.

    Over HTTP every request is checked against the signing secret; in Socket Mode Slack's events
    arrive over a websocket the app opened with its app-level token, so no secret is needed.
    """
    settings = context.settings
    if settings.slack_bot_token is None or (settings.slack_signing_secret is None and not socket_mode):
        raise ValueError("Slack needs DEALWISE_SLACK_BOT_TOKEN and DEALWISE_SLACK_SIGNING_SECRET")
    client = NoUnfurlWebClient(token=settings.slack_bot_token.get_secret_value(), base_url=slack_api_url(settings))
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = AsyncApp(client=client, signing_secret=secret)
    channel = SlackChannel(context, client)

    @app.event("app_mention")
    async def mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        await channel.on_message(body, event, threaded=True)

    @app.event("message")
    async def message(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return
        await channel.on_message(body, event, threaded=False)

    @app.event("file_shared")
    async def file_shared(body: dict[str, Any], event: dict[str, Any]) -> None:
        await channel.on_file_shared(body, event)

    @app.command("/dealwise")
    async def command(ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        await channel.on_command(command, respond)

    @app.action(rendering.CONFIRM_ACTION)
    async def confirm(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        await channel.on_decision(body, action, respond, confirm=True)

    @app.action(rendering.CANCEL_ACTION)
    async def cancel(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        await channel.on_decision(body, action, respond, confirm=False)

    return app
