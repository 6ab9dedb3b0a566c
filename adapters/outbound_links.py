"""Links in answers sent to Slack and by email: only to Dealwise's own pages; every other URL is defanged.

Answers quote record text (notes, emails, next steps, names) that anyone who can write a record, or
mail a rep, controls. Chat clients and mail readers turn URLs they see into clickable links, and
Slack unfurls them, so every http(s)/ftp URL or www. address in an answer that is not a Dealwise
record or chat page under DEALWISE_BASE_URL is shown defanged — `hxxp://evil[.]example/x` — which no
client links, while it stays readable. Links to other Dealwise paths are defanged too: a sign-in or
sign-out link planted in a note must not be one click away.
"""

import re
from urllib.parse import urlsplit

URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`|()\[\]{}]+", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*((?:https?|ftp)://[^)\s]+)\s*\)", re.IGNORECASE)
OWN_PATHS = ("/records/", "/chat")
_TRAILING = ".,;:!?'\""
_SCHEMES = {"http": "hxxp", "https": "hxxps", "ftp": "fxp"}


def is_own_link(url: str, base_url: str) -> bool:
    """A link to a Dealwise record or chat page at DEALWISE_BASE_URL (same scheme, host and port)."""
    if not base_url:
        return False
    link, base = urlsplit(url), urlsplit(base_url)
    if (link.scheme.lower(), link.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return False
    path = link.path.removeprefix(base.path.rstrip("/"))
    return path.startswith(OWN_PATHS)


def defang(url: str) -> str:
    """`http://evil.example/x` -> `hxxp://evil[.]example/x`: readable, never linked."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    ends = [index for index in (rest.find(mark) for mark in "/?#") if index >= 0]
    host_end = min(ends, default=len(rest))
    host = rest[:host_end].replace(".", "[.]")
    prefix = _SCHEMES.get(scheme.lower(), scheme) + "://" if separator else ""
    return prefix + host + rest[host_end:]


def neutralise_urls(text: str, base_url: str = "") -> str:
    """Every URL in `text` that is not an own link, defanged (trailing punctuation stays outside it)."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        url = found.rstrip(_TRAILING)
        if is_own_link(url, base_url):
            return found
        return defang(url) + found[len(url) :]

    return URL.sub(replace, text)
