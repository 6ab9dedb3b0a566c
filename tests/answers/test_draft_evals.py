"""The draft eval cases (learned and held-out) on both brains: no internal content, no wrong recipient, no thanks
for the wrong interaction, whatever the brain. The LLM brain runs against the scripted OpenAI stand-in."""

from pathlib import Path

import pytest

from evals.cases import dataset_paths, load_datasets
from evals.runner import RunConfig, Runner, RunResult
from tests.answers.draft_model import draft_model, draft_targets
from tests.fakes.openai_server import OpenAIStandIn

DATASETS = ["drafts", "heldout/drafts"]
ZERO_TOLERANCE = ("draft_leak", "draft_recipient", "draft_interaction")
SLOT_FILLING_CASES = {
    "d-pronoun-after-question": "'draft a follow-up email for it' after a deal question drafts for that deal, not for "
    "the contact the thread last showed",
}
"""cases the offline brain once got wrong before the draft tool ran (issue 12's slot filling)"""


def failing(run: RunResult, kinds: tuple[str, ...]) -> list[str]:
    return [
        f"{case.id}: {check.kind}: {check.detail}"
        for case in run.cases
        for trial in case.trials
        for check in trial.checks
        if check.kind in kinds and not check.passed
    ]


@pytest.fixture(scope="module")
def cases() -> list:
    loaded = load_datasets(dataset_paths(DATASETS))
    assert loaded.errors == []
    assert sum(1 for c in loaded.cases if c.dataset == "drafts") >= 30
    assert sum(1 for c in loaded.cases if c.dataset == "heldout/drafts") >= 15
    return loaded.cases


@pytest.fixture(scope="module")
def offline_run(cases: list, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    runner = Runner(RunConfig(template=sqlite_template, workdir=tmp_path_factory.mktemp("offline")))
    try:
        return runner.run(cases, name="drafts-offline")
    finally:
        runner.close()


def test_the_offline_brain_leaks_nothing_and_writes_to_the_right_person(offline_run: RunResult) -> None:
    assert failing(offline_run, ZERO_TOLERANCE) == []
    assert failing(offline_run, ("draft_leak",)) == []
    drafted = [c for c in offline_run.cases if any(t.turns and "Subject:" in t.turns[-1].answer for t in c.trials)]
    assert len(drafted) >= 40


def test_the_offline_brains_known_slot_filling_issues_are_fixed(offline_run: RunResult) -> None:
    ids = {case.id for case in offline_run.cases}
    assert set(SLOT_FILLING_CASES) <= ids
    known = [line for line in failing(offline_run, ZERO_TOLERANCE) if line.split(":")[0] in SLOT_FILLING_CASES]
    assert known == []


def test_the_llm_brain_shows_the_tools_draft_and_leaks_nothing(
    cases: list, sqlite_template: Path, tmp_path: Path
) -> None:
    targets = draft_targets(cases, sqlite_template)
    single = [c for c in cases if len(c.turns) == 1 and str(c.turns[0].ask) in targets]
    assert len(single) >= 40
    with OpenAIStandIn([draft_model(targets)] * (2 * len(single)), api_key="k") as server:
        config = RunConfig(
            brain="llm",
            template=sqlite_template,
            workdir=tmp_path / "llm",
            llm_base_url=server.base_url,
            llm_model="scripted-drafts",
            llm_api_key="k",
        )
        runner = Runner(config)
        try:
            run = runner.run(single, name="drafts-llm")
        finally:
            runner.close()
    assert failing(run, ZERO_TOLERANCE) == []
    assert [case.id for case in run.cases if not case.passed] == []
