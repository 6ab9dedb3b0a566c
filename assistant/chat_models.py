"""The configured chat model: any OpenAI-compatible server named by DEALWISE_LLM_* settings."""

import os

from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from assistant.crm.settings import Settings


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """ChatOpenAI against the server in ``DEALWISE_LLM_BASE_URL`` (OpenAI's own when only a model is named)."""
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else os.environ.get("OPENAI_API_KEY")
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "gpt-4o-mini",
        api_key=key or "not-needed",
        temperature=0,
        timeout=settings.llm_timeout_s,
        max_retries=1,
    )
