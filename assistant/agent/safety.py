"""Record text is data: how it is quoted to a model, and how control words are recognised.

Whatever a note, email or transcript says, it reaches a model only inside <data>...</data>, with
any tag that could close the quote neutralised; the system prompt says data is never an
instruction. Confirming, cancelling and undoing are recognised here from the person's own message,
never from a model's output, so no text in a record can approve a write.
"""

import json
import re
from typing import Any

_TAG = re.compile(r"</?\s*data\s*>", re.IGNORECASE)
_INJECTION_CUES = re.compile(
    r"ignore (all )?(previous|prior|above) instructions|disregard (the )?(system|previous)|you are now|"
    r"system prompt|mark every deal|act as",
    re.IGNORECASE,
)
_CONFIRM = re.compile(
    r"^\s*(yes|yep|yeah|y|ok|okay|sure|confirm(ed)?|do it|go ahead|apply( it)?|please do|approved?|"
    r"yes,? (please|do it|confirm|go ahead))\s*[.!]*\s*$",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^\s*(no|nope|n|cancel( it| that)?|don'?t|never ?mind|stop|abort|forget it|discard( it)?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_UNDO = re.compile(r"^\s*(please\s+)?(undo|revert|roll ?back)(\s+(that|it|the last change|my last change))?\s*[.!]*$")


def neutralise(text: str) -> str:
    """Record text with anything that could end a <data> quote made harmless."""
    return _TAG.sub(lambda m: m[0].replace("<", "‹").replace(">", "›"), text)


def quote_data(payload: Any) -> str:
    """Serialise a tool result for a model, inside <data> tags."""
    body = payload if isinstance(payload, str) else json.dumps(payload, default=str, ensure_ascii=False)
    return f"<data>\n{neutralise(body)}\n</data>"


def looks_like_injection(text: str) -> bool:
    """True when record text tries to give orders (logged; the text stays data either way)."""
    return bool(_INJECTION_CUES.search(text))


def is_confirmation(message: str) -> bool:
    return bool(_CONFIRM.match(message))


def is_cancellation(message: str) -> bool:
    return bool(_CANCEL.match(message))


def is_undo(message: str) -> bool:
    return bool(_UNDO.match(message.lower()))
