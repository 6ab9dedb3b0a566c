"""Token counts per turn: a LangChain callback adds up what the chat model reports; the factory wires it in."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from sqlalchemy.orm import Session, sessionmaker

from assistant.agent.brains.factory import build_assistant, make_assistant
from assistant.chat_models import chat_model_from_settings
from assistant.crm.clock import Clock
from assistant.crm.settings import Settings


class UsageCounter:
    """Adds up the tokens a chat model reports, read and reset once per turn."""

    def __init__(self) -> None:
        self.totals: dict[str, int] = {}

    def add(self, usage: dict[str, Any] | None) -> None:
        for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
            value = (usage or {}).get(key)
            if isinstance(value, int):
                self.totals[key] = self.totals.get(key, 0) + value

    def take(self) -> dict[str, int]:
        totals, self.totals = self.totals, {}
        return totals


class UsageHandler(BaseCallbackHandler):
    def __init__(self, counter: UsageCounter) -> None:
        self.counter = counter

    def on_llm_end(self, response: Any, **_: Any) -> None:
        self.counter.add((response.llm_output or {}).get("token_usage"))


def default_factory(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> Any:
    """The product's assistant; with a configured chat model, one that also counts tokens per turn."""
    if not (settings.llm_base_url or settings.llm_model):
        return build_assistant(settings, sessions, clock)
    counter = UsageCounter()
    model = chat_model_from_settings(settings)
    model.callbacks = [UsageHandler(counter)]
    assistant = make_assistant(settings, sessions, clock, chat_model=model)
    assistant.last_usage = counter.take
    return assistant


def turn_usage(assistant: Any) -> dict[str, int]:
    """Token counts the assistant reports for its last turn, when it uses a model that counts them."""
    usage = getattr(assistant, "last_usage", None)
    if callable(usage):
        usage = usage()
    if isinstance(usage, dict):
        return {key: int(value) for key, value in usage.items() if isinstance(value, int | float)}
    return {}
