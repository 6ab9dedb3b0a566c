"""The assistant's prompts, answer templates and intent examples, as files versioned with the code."""

from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent


def prompt_path(name: str) -> Path:
    """The file ``name`` (e.g. ``"system.md"``, ``"intents"``) in this folder."""
    return PROMPTS_DIR / name


def prompt_text(name: str) -> str:
    return prompt_path(name).read_text(encoding="utf-8")
