"""When the model cannot finish: what kind of model error it was, and an answer that says what was and wasn't found."""

import json

import httpx
import openai

from assistant.agent.brains.base import ToolRun
from assistant.agent.brains.offline.render import Renderer

MODEL_ERROR_TEXT = {
    "timeout": "The language model did not answer in time.",
    "connection": "I could not reach the language model.",
    "http_4xx": "The language model server refused the request",
    "http_5xx": "The language model server failed",
    "malformed": "The language model's reply could not be read.",
}
STOP_TEXT = {
    "step_limit": "I could not finish that within the steps I'm allowed.",
    "failures": "I stopped because the CRM tool calls kept failing.",
    "repeats": "I stopped because the model kept asking for results it already had.",
    "empty": "The language model returned an empty answer.",
}


def model_error_kind(error: BaseException) -> str:
    """timeout, connection, http_4xx, http_5xx or malformed."""
    if isinstance(error, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return "timeout"
    if isinstance(error, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return "connection"
    status = getattr(error, "status_code", None)
    if isinstance(error, openai.APIStatusError) or isinstance(status, int):
        return "http_4xx" if isinstance(status, int) and status < 500 else "http_5xx"
    return "malformed"


def model_error_text(kind: str, error: BaseException) -> str:
    text = MODEL_ERROR_TEXT.get(kind, MODEL_ERROR_TEXT["malformed"])
    status = getattr(error, "status_code", None)
    return f"{text} (HTTP {status})." if kind.startswith("http") else text


def _call(run: ToolRun) -> str:
    return f"{run.name}({json.dumps(run.args, default=str, sort_keys=True)})"


def fallback_answer(reason: str, runs: list[ToolRun], renderer: Renderer) -> str:
    """``reason``, then exactly what the tools returned (or that nothing was found), then what failed."""
    found = [run for run in runs if run.result is not None and run.proposal is None]
    failed = [run for run in runs if run.error is not None]
    parts = [reason]
    if found:
        parts.append("Here is what the CRM tools returned:\n\n" + renderer.plain(found))
    else:
        parts.append("I found nothing: no CRM tool returned a result for this question.")
    if failed:
        parts.append("What failed:\n" + "\n".join(f"- {_call(run)}: {run.error}" for run in failed))
    return "\n\n".join(parts)
