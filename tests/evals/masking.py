"""Masking questions the way the offline brain sees them, so that near copies are recognised as copies.

Text is lower-cased and stripped of punctuation; every name of a record or person in the demo database
(deal, account and its distinctive first word, contact, lead, user and their first name) becomes the
stock word the intent examples use for its kind ("acme", "acme deal", "jane smith", "sam"), longest
names first, as `masked` in assistant/agent/brains/offline/brain.py replaces linked mentions.
"""

import re
from pathlib import Path

import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, Contact, Deal, Lead, User

PLACEHOLDERS = {"account": "acme", "deal": "acme deal", "contact": "jane smith", "lead": "jane smith", "user": "sam"}
SUFFIXES = {"corporation", "corp", "inc", "industries", "labs", "group", "company", "systems", "ltd", "llc"}
COMMON = {"blue", "north", "high", "true", "prime", "global", "united", "first", "green", "soylent"}
"""first words too common to stand for an account alone"""
_PUNCTUATION = re.compile(r"[^\w\s]+")
_POSSESSIVE = re.compile(r"'s\b")


def plain(text: str) -> str:
    """Lower-cased, possessive 's dropped, punctuation replaced by spaces, whitespace collapsed."""
    text = _POSSESSIVE.sub("", text.lower().replace("\u2019", "'")).replace("'", "")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def demo_names(template: Path) -> list[tuple[str, str]]:
    """(plain name, placeholder) for every record and person name in a demo database, longest first."""
    engine = create_engine(f"sqlite:///{template}")
    names: dict[str, str] = {}
    with Session(engine) as session:
        for name in session.scalars(select(Deal.name)):
            names[plain(name)] = PLACEHOLDERS["deal"]
        for name in session.scalars(select(Account.name)):
            words = plain(name).split()
            names.setdefault(" ".join(words), PLACEHOLDERS["account"])
            core = [word for word in words if word not in SUFFIXES]
            if core:
                names.setdefault(" ".join(core), PLACEHOLDERS["account"])
            if len(words[0]) >= 4 and words[0] not in COMMON:
                names.setdefault(words[0], PLACEHOLDERS["account"])
        for kind, model in (("contact", Contact), ("lead", Lead)):
            for first, last in session.execute(select(model.first_name, model.last_name)):
                names.setdefault(plain(f"{first} {last}"), PLACEHOLDERS[kind])
        for (full,) in session.execute(select(User.name)):
            words = plain(full).split()
            names.setdefault(" ".join(words), PLACEHOLDERS["user"])
            names.setdefault(words[0], PLACEHOLDERS["user"])
    engine.dispose()
    return sorted(names.items(), key=lambda item: -len(item[0]))


def mask(text: str, names: list[tuple[str, str]]) -> str:
    """The plain text with every demo name replaced by its kind's stock word."""
    masked = f" {plain(text)} "
    for name, placeholder in names:
        if f" {name} " in masked:
            masked = re.sub(rf"(?<= ){re.escape(name)}(?= )", placeholder, masked)
    return " ".join(masked.split())


def intent_examples(directory: Path) -> list[str]:
    """Every example utterance in prompts/intents/*.yaml."""
    examples: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        for intent in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            examples.extend(str(example) for example in intent.get("examples", []))
    return examples


def find_leaks(
    questions: dict[str, str], corpus: list[str], names: list[tuple[str, str]], cutoff: float = 92.0
) -> list[str]:
    """Held-out questions (by label) equal to, or near duplicates of, a corpus text once both are masked.

    Each leak names the held-out case and the corpus text it collides with, never the held-out question itself, so
    whoever reads a failure learns which of their own texts to reword without being shown held-out text."""
    from rapidfuzz import fuzz, process

    originals: dict[str, str] = {}
    for text in corpus:
        originals.setdefault(mask(text, names), text)
    masked_corpus = sorted(originals)
    leaks = []
    for label, question in questions.items():
        masked = mask(question, names)
        if masked in originals:
            leaks.append(f"{label}: copied by {originals[masked]!r}")
            continue
        best = process.extractOne(masked, masked_corpus, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff)
        if best is not None:
            leaks.append(f"{label}: near copy ({best[1]:.0f}) by {originals[best[0]]!r}")
    return leaks
