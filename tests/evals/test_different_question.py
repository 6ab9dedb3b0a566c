"""`admits`, the "answered a different question" metric, learned vs held-out groups, and where they show."""

from pathlib import Path

import pytest

from evals.cases import HELDOUT, Expect, dataset_name, dataset_paths, group_of, load_datasets
from evals.checks import ADMITS, Check, admits, check_turn, hedges
from evals.metrics import answered_differently, group_metrics, summarise_groups
from evals.report import build_report, compare, render_html
from evals.runner import CaseResult, RunResult, Trial, TurnRecord


@pytest.mark.parametrize(
    "answer",
    [
        "I can't split the forecast by partner tier: deals have no such field. Your total is $90,000.",
        "Quotas aren't something I track, so I cannot give attainment.",
        "Deal priority is not a field in the CRM.",
        "I don't have data on email open rates.",
        "There is no field for margin; here are your open deals.",
        "I left out the product filter: I couldn't work out which product you meant.",
    ],
)
def test_admissions_in_any_wording_are_recognised(answer: str) -> None:
    assert ADMITS.search(answer.lower())
    assert admits(answer, pending=False)


@pytest.mark.parametrize(
    "answer",
    ["Your open pipeline is $531,500 across 14 deals.", "3 deals match: Hooli, Wonka and Oceanic.", "Done."],
)
def test_plain_answers_are_not_admissions(answer: str) -> None:
    assert not admits(answer, pending=False) and not hedges(answer, pending=False)


def test_a_question_counts_as_asking_only_without_a_proposal_and_outside_quotes() -> None:
    assert admits("Which quarter do you mean?", pending=False)
    assert not admits("Shall I move it to Negotiation?", pending=True)
    assert not admits("Call on Oct 9:\n  > How is the planning going? Budget is $90,000.", pending=False)
    assert not admits('Lena asked "can you match the price?" on the call.', pending=False)
    assert hedges("I can only help with your CRM work.", pending=False)


def test_the_admits_expectation_is_checked() -> None:
    from assistant.crm.schemas.chat import ChatResponse

    expect = Expect(admits=True)
    honest = check_turn(expect, ChatResponse(answer="I don't track quotas.", thread_id="t"), None, "q")  # type: ignore[arg-type]
    silent = check_turn(expect, ChatResponse(answer="You won $19,500.", thread_id="t"), None, "q")  # type: ignore[arg-type]
    assert [(c.kind, c.passed) for c in honest] == [("admits", True)]
    assert [(c.kind, c.passed) for c in silent] == [("admits", False)]


def _trial(answer: str, *kinds: str, passed: bool = False) -> Trial:
    checks = [Check(kind=kind, passed=passed) for kind in kinds]
    turn = TurnRecord(action="ask", message="q", answer=answer, checks=checks)
    return Trial(passed=passed, turns=[turn], checks=checks)


def test_a_confident_wrong_answer_is_a_different_question_and_an_honest_one_is_not() -> None:
    assert answered_differently(_trial("Open pipeline: $2,945,500.", "facts"))
    assert answered_differently(_trial("This year you won $63,000.", "absent"))
    assert answered_differently(_trial("3 deals match.", "citations"))
    assert not answered_differently(_trial("I can't group by priority; your total is $2.9M.", "facts"))
    assert not answered_differently(_trial("Which period do you mean?", "facts"))
    assert not answered_differently(_trial("Open pipeline: $2,945,500.", "facts", passed=True))
    assert not answered_differently(_trial("Open pipeline: $2,945,500.", "tool_choice", "arguments"))


def _case(case_id: str, dataset: str, trial: Trial) -> CaseResult:
    return CaseResult(
        id=case_id, category="aggregates", dataset=dataset, source="x", user="u@x", channel="web", trials=[trial]
    )


def _run() -> RunResult:
    cases = [
        _case("learned-ok", "longtail", _trial("fine", "facts", passed=True)),
        _case("learned-wrong", "questions", _trial("Pipeline is $5.", "facts")),
        _case("held-ok", f"{HELDOUT}/aggregates", _trial("fine", "facts", passed=True)),
        _case("held-wrong", f"{HELDOUT}/aggregates", _trial("Pipeline is $5.", "facts")),
        _case("held-honest", f"{HELDOUT}/honesty", _trial("I don't track that.", "facts")),
        _case("held-asked", f"{HELDOUT}/followups", _trial("Which one?", "facts")),
    ]
    return RunResult(name="r", created_at="now", brain="offline", cases=cases)


def test_groups_keep_learned_and_heldout_apart_with_their_own_rates() -> None:
    groups = summarise_groups(_run())
    assert list(groups) == ["learned", HELDOUT]
    assert (groups["learned"].cases, groups["learned"].passed) == (2, 1)
    assert groups["learned"].different_question.value == 0.5
    assert (groups[HELDOUT].cases, groups[HELDOUT].passed) == (4, 1)
    assert groups[HELDOUT].different_question.value == 0.25
    assert group_metrics(_run().cases).different_question.value == round(2 / 6, 4)


def test_report_json_and_html_show_both_groups_and_the_baseline_delta() -> None:
    report = build_report(_run())
    assert report["groups"][HELDOUT]["different_question"]["value"] == 0.25
    assert {case["id"]: case["group"] for case in report["cases"]}["held-wrong"] == HELDOUT
    assert next(c for c in report["cases"] if c["id"] == "held-wrong")["metrics"]["different_question"] is True
    html = render_html(report)
    assert "Learned and held-out cases" in html and "answered a different question" in html
    assert ">heldout<" in html and "25.0%" in html
    better = build_report(_run())
    better["groups"][HELDOUT]["pass_rate"] = 0.75
    delta = compare(better, report)["groups"][HELDOUT]
    assert delta["delta"] == 0.5 and delta["baseline_different_question"] == 0.25


def test_heldout_datasets_are_named_and_selected_as_a_group(tmp_path: Path) -> None:
    (tmp_path / HELDOUT).mkdir()
    (tmp_path / "learned_one.yaml").write_text("cases: []\n")
    (tmp_path / HELDOUT / "kind.yaml").write_text("cases: []\n")
    assert [p.name for p in dataset_paths(None, tmp_path)] == ["learned_one.yaml", "kind.yaml"]
    assert [p.name for p in dataset_paths([HELDOUT], tmp_path)] == ["kind.yaml"]
    assert [p.name for p in dataset_paths(["learned"], tmp_path)] == ["learned_one.yaml"]
    assert [p.name for p in dataset_paths([f"{HELDOUT}/kind"], tmp_path)] == ["kind.yaml"]
    assert dataset_name(tmp_path / HELDOUT / "kind.yaml") == f"{HELDOUT}/kind"
    assert group_of(f"{HELDOUT}/kind") == HELDOUT and group_of("kind") == "learned"


def test_the_shipped_longtail_and_heldout_sets_cover_every_kind() -> None:
    kinds = {"aggregates", "missing_fields", "comparisons", "periods", "followups", "sloppy", "next_actions"}
    kinds |= {"sales_tasks", "honesty"}
    heldout = load_datasets(dataset_paths([HELDOUT]))
    longtail = load_datasets(dataset_paths(["longtail"]))
    assert heldout.errors == [] and longtail.errors == []
    heldout_kinds = kinds | {"drafts"}
    assert {case.category for case in heldout.cases} == heldout_kinds
    assert {case.category for case in longtail.cases} == kinds
    assert {case.dataset for case in heldout.cases} == {f"{HELDOUT}/{kind}" for kind in heldout_kinds}
    assert len(longtail.cases) >= 55
    second = load_datasets(dataset_paths(["longtail2"]))
    assert second.errors == [] and {case.category for case in second.cases} == kinds
    assert len(second.cases) >= 60
    assert min(sum(c.category == kind for c in heldout.cases) for kind in heldout_kinds) >= 15


def test_an_echoed_question_heading_or_a_listed_question_is_no_admission() -> None:
    echoed = "**I don't want to get his name wrong, what's his title?**\nAisha Ivanova, VP of Sales."
    assert not admits(echoed, pending=False)
    brief = "Meeting brief for Hooli:\nQuestions to ask:\n- What's your timeline?\n- Who signs off?"
    assert not admits(brief, pending=False)
    assert admits("**Their NPS**\nI can't give that: it isn't something Dealwise tracks.", pending=False)
