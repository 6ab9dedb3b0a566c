"""No held-out question may be learned from: none is an intent example or a learned dataset's question, nor a
near duplicate of one, once lower-cased, stripped of punctuation and with record and person names masked."""

from pathlib import Path

import pytest

from evals.cases import HELDOUT, dataset_paths, group_of, load_datasets
from tests.evals.masking import demo_names, find_leaks, intent_examples, mask

INTENTS = Path(__file__).resolve().parents[2] / "prompts" / "intents"
MIN_HELDOUT_CASES = 170


@pytest.fixture(scope="module")
def names(sqlite_template: Path) -> list[tuple[str, str]]:
    return demo_names(sqlite_template)


def _questions(group: str) -> dict[str, str]:
    loaded = load_datasets(dataset_paths([HELDOUT] if group == HELDOUT else ["learned"]))
    assert loaded.errors == []
    return {
        f"{case.id}#{index}": turn.ask
        for case in loaded.cases
        if group_of(case.dataset) == group
        for index, turn in enumerate(case.turns)
        if turn.ask
    }


def test_the_heldout_set_is_loaded_as_its_own_datasets() -> None:
    loaded = load_datasets(dataset_paths([HELDOUT]))
    assert loaded.errors == []
    assert len(loaded.cases) >= MIN_HELDOUT_CASES
    assert {case.dataset for case in loaded.cases} == {f"{HELDOUT}/{path.stem}" for path in dataset_paths([HELDOUT])}
    assert all(group_of(case.dataset) == HELDOUT for case in loaded.cases)


def test_no_heldout_question_is_an_intent_example_or_a_learned_question(names: list[tuple[str, str]]) -> None:
    corpus = intent_examples(INTENTS) + list(_questions("learned").values())
    leaks = find_leaks(_questions(HELDOUT), corpus, names)
    assert leaks == [], "\n".join(leaks)


def test_masking_makes_the_same_question_about_another_record_a_copy(names: list[tuple[str, str]]) -> None:
    assert mask("Tell me about the Wonka Confections deal!", names) == mask("tell me about the globex deal", names)
    assert mask("What's Erin Chen's pipeline?", names) == mask("what's sam's pipeline", names)
    assert mask("Move Hooli - Analytics Suite to Proposal", names) == "move acme deal to proposal"


def test_a_copy_and_a_near_copy_are_caught_and_a_new_question_is_not(names: list[tuple[str, str]]) -> None:
    corpus = ["which deals have gone quiet", "show me the Acme deals"]
    questions = {
        "copy": "Which deals have gone quiet?",
        "renamed": "Show me the Hooli deals",
        "near": "which deals had gone quiet",
        "new": "median amount of what I lost in Q2",
    }
    leaks = find_leaks(questions, corpus, names)
    assert [leak.split(":")[0] for leak in leaks] == ["copy", "renamed", "near"]
