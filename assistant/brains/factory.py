"""Building the Assistant: the offline brain by default, the LLM brain when DEALWISE_LLM_* name a model."""

from typing import Any

from langchain_core.language_models import BaseChatModel
from sqlalchemy.orm import Session, sessionmaker

from assistant.brains.base import ToolRunner
from assistant.brains.offline.linking import NameIndex
from assistant.brains.offline.render import Renderer
from assistant.clock import Clock
from assistant.settings import Settings


def tool_runner() -> ToolRunner:
    from tools.registry import all_tools

    return ToolRunner({spec.name: spec for spec in all_tools()})


def llm_configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url or settings.llm_model)


def offline_brain(
    settings: Settings, runner: ToolRunner, names: NameIndex, renderer: Renderer, embedder: Any = None
) -> Any:
    from assistant.brains.offline.brain import OfflineBrain
    from assistant.brains.offline.intents import IntentClassifier, default_embedder, load_intents

    cache_dir = settings.data_dir / "cache"
    classifier = IntentClassifier(load_intents(), embedder or default_embedder(), cache_dir)
    return OfflineBrain(classifier, runner, names, renderer)


def llm_brain(model: BaseChatModel, runner: ToolRunner) -> Any:
    from assistant.brains.llm import LLMBrain
    from tools.registry import to_openai_schema

    return LLMBrain(model, runner, [to_openai_schema(spec) for spec in runner.specs.values()])


def make_assistant(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    chat_model: BaseChatModel | None = None,
    embedder: Any = None,
    retriever: Any = None,
) -> Any:
    """An Assistant; pass `chat_model` to force the LLM brain (tests use a scripted model)."""
    from assistant.brains.llm import chat_model_from_settings
    from assistant.conversation import Assistant

    runner = tool_runner()
    names = NameIndex()
    renderer = Renderer()
    if chat_model is None and llm_configured(settings):
        chat_model = chat_model_from_settings(settings)
    if chat_model is not None:
        brain = llm_brain(chat_model, runner)
    else:
        brain = offline_brain(settings, runner, names, renderer, embedder)
    return Assistant(settings, sessions, clock, brain, runner, names=names, renderer=renderer, retriever=retriever)
