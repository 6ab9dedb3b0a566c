"""Building the Assistant: the offline brain by default, the LLM brain when DEALWISE_LLM_* name a model."""

from langchain_core.language_models import BaseChatModel
from sqlalchemy.orm import Session, sessionmaker

from assistant.agent.brains.base import Brain, ToolRunner
from assistant.agent.brains.llm import LLMBrain
from assistant.agent.brains.offline.brain import OfflineBrain
from assistant.agent.brains.offline.intents import Embedder, IntentClassifier, default_embedder, load_intents
from assistant.agent.brains.offline.names import NameIndex
from assistant.agent.brains.offline.render import Renderer
from assistant.agent.conversation import Assistant
from assistant.chat_models import chat_model_from_settings
from assistant.crm.clock import Clock
from assistant.crm.settings import Settings
from ingest.indexing import build_retriever
from ingest.vector_store import NoteIndex
from tools.registry import TOOLSET, Toolset
from tools.surface import MODEL_TOOLSET, compact_schema


def tool_runner(toolset: Toolset = TOOLSET) -> ToolRunner:
    return ToolRunner(toolset)


def offline_brain(
    settings: Settings, runner: ToolRunner, names: NameIndex, renderer: Renderer, embedder: Embedder | None = None
) -> OfflineBrain:
    cache_dir = settings.data_dir / "cache"
    classifier = IntentClassifier(load_intents(), embedder or default_embedder(), cache_dir)
    return OfflineBrain(classifier, runner, names, renderer)


def llm_brain(model: BaseChatModel, runner: ToolRunner) -> LLMBrain:
    """The LLM brain over the runner's tools, described by compact schemas."""
    return LLMBrain(model, runner, [compact_schema(spec) for spec in runner.specs.values()])


def make_assistant(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    chat_model: BaseChatModel | None = None,
    embedder: Embedder | None = None,
    retriever: NoteIndex | None = None,
    toolset: Toolset | None = None,
) -> Assistant:
    """An Assistant; pass `chat_model` to force the LLM brain (tests use a scripted model).

    The offline brain gets the full toolset, a model the compact surface (tools/surface.py), unless
    `toolset` names one.
    """
    if chat_model is None and settings.llm_configured:
        chat_model = chat_model_from_settings(settings)
    runner = tool_runner(toolset or (MODEL_TOOLSET if chat_model is not None else TOOLSET))
    names = NameIndex()
    renderer = Renderer()
    brain: Brain
    if chat_model is not None:
        brain = llm_brain(chat_model, runner)
    else:
        brain = offline_brain(settings, runner, names, renderer, embedder)
    return Assistant(settings, sessions, clock, brain, runner, names=names, renderer=renderer, retriever=retriever)


def build_assistant(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> Assistant:
    """The offline brain unless DEALWISE_LLM_BASE_URL / DEALWISE_LLM_MODEL name a chat model; warmed up."""
    assistant = make_assistant(settings, sessions, clock, retriever=build_retriever(settings))
    assistant.warm()
    return assistant
