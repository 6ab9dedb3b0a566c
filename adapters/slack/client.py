"""The Slack Web API client Dealwise posts with: link and media unfurling off on every message."""

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.rendering import NO_UNFURL


class NoUnfurlWebClient(AsyncWebClient):
    """chat.postMessage never previews a link or an image, whichever call site posts (answers quote record text)."""

    async def chat_postMessage(self, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        return await super().chat_postMessage(**{**kwargs, **NO_UNFURL})
