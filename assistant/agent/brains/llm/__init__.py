"""The LLM brain (brain.py) with its prompt layout, loop guard, text-call recovery, result bounds and fallbacks."""

from assistant.agent.brains.llm.brain import MAX_STEPS, SHOWN_AS_IS, LLMBrain, proposal_answer
from assistant.agent.brains.llm.prompt import system_messages, system_prompt

__all__ = ["MAX_STEPS", "SHOWN_AS_IS", "LLMBrain", "proposal_answer", "system_messages", "system_prompt"]
