"""Fetching a Slack file's bytes: private URLs need the bot token."""

from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

CHUNK_BYTES = 64 * 1024


class DownloadFailed(Exception):
    """The file could not be fetched, or it was not what Slack said it was."""


async def download_file(client: AsyncWebClient, file: dict[str, Any], limit_bytes: int) -> bytes:
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        raise DownloadFailed(f"file {file.get('id')} has no private URL")
    if int(file.get("size") or 0) > limit_bytes:
        raise DownloadFailed(f"file {file.get('name')} is over the {limit_bytes} byte limit")
    headers = {"Authorization": f"Bearer {client.token}"}
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url, headers=headers) as response:
        if response.status != 200:
            raise DownloadFailed(f"downloading {file.get('name')} returned HTTP {response.status}")
        if response.content_type == "text/html":
            raise DownloadFailed(f"downloading {file.get('name')} returned a web page: is the bot token valid?")
        data = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            data.extend(chunk)
            if len(data) > limit_bytes:
                raise DownloadFailed(f"file {file.get('name')} is over the {limit_bytes} byte limit")
    return bytes(data)
