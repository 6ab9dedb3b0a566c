"""Slack message text -> plain text the assistant reads."""

import re

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<(?:mailto:)?([^>|]+)(?:\|([^>]*))?>")
AUDIO_TYPES = ("mp3", "m4a", "wav", "ogg", "oga", "opus", "webm", "flac", "aac", "mp4", "mpga")


def plain_text(slack_text: str) -> str:
    """Drop bot mentions, unwrap <url|label> and <mailto:...> links, unescape &amp; &lt; &gt;."""
    text = _MENTION.sub("", slack_text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def is_audio(file: dict) -> bool:
    mimetype = str(file.get("mimetype") or "")
    filetype = str(file.get("filetype") or "").lower()
    return mimetype.startswith("audio/") or filetype in AUDIO_TYPES
