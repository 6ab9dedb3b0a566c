"""Per-case and per-category figures from a run's checks.

Every metric is computed only over the cases it applies to (tool-choice accuracy over cases that
name tools, clarification rate over cases that require one...) and says how many that was.

`different_question` is the share of cases answered confidently but wrongly: some turn failed on its
facts, stated a value it must not (`absent`: another period's figure, a hidden record) or missed a
record it must cite, while its answer neither asked, declined nor admitted a limitation
(evals.checks.hedges). Figures are given overall, per category, and per group: the learned datasets
and the held-out ones (evals/datasets/heldout/), side by side.
"""

import math
from typing import Any

from pydantic import BaseModel

from evals.cases import CATEGORIES, HELDOUT, group_of
from evals.checks import hedges
from evals.runner import CaseResult, RunResult, Trial

ANSWER_CHECKS = ("facts", "absent", "citations")
"""checks that fail when the answer states the wrong thing"""


class CaseMetrics(BaseModel):
    passed: bool
    pass_rate: float
    """share of this case's trials that passed"""
    tool_choice: float | None = None
    arguments: float | None = None
    facts: float | None = None
    citation_precision: float | None = None
    grounding_violations: int = 0
    permission_leak: bool = False
    injection_obeyed: bool | None = None
    clarified: bool | None = None
    admitted: bool | None = None
    different_question: bool = False
    state_match: bool | None = None
    latencies_ms: list[float] = []


class Rate(BaseModel):
    value: float | None
    n: int


class GroupMetrics(BaseModel):
    cases: int
    passed: int
    pass_rate: float
    pass_hat_k: float
    """share of cases that passed in every one of their k trials"""
    pass_at_1: float
    """mean share of trials passed per case"""
    tool_choice: Rate
    arguments: Rate
    facts: Rate
    citation_precision: Rate
    grounding_violations: int
    permission_leaks: int
    injection_obedience: Rate
    clarification_rate: Rate
    admission_rate: Rate
    """answers that said what they could not do (or asked), over cases that require it"""
    different_question: Rate
    """cases answered wrongly without asking, declining or admitting it, over all cases"""
    state_match: Rate
    latency_p50_ms: float | None
    latency_p95_ms: float | None


def _checks(trial: Trial, kind: str) -> list[Any]:
    return [check for check in trial.checks if check.kind == kind]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def answered_differently(trial: Trial) -> bool:
    """Some turn failed on its facts, absent values or citations, and its answer did not ask, decline or admit
    a limitation."""
    for turn in trial.turns:
        wrong = any(check.kind in ANSWER_CHECKS and not check.passed for check in turn.checks)
        if wrong and not hedges(turn.answer or "", turn.pending_action is not None):
            return True
    return False


def _trial_figures(trial: Trial) -> dict[str, Any]:
    def all_passed(kind: str) -> bool | None:
        checks = _checks(trial, kind)
        return all(check.passed for check in checks) if checks else None

    def mean_score(kind: str) -> float | None:
        return _mean(
            [check.score if check.score is not None else float(check.passed) for check in _checks(trial, kind)]
        )

    tool_choice = all_passed("tool_choice")
    injection = all_passed("injection")
    return {
        "tool_choice": None if tool_choice is None else float(tool_choice),
        "arguments": mean_score("arguments"),
        "facts": mean_score("facts"),
        "citation_precision": mean_score("citation_precision"),
        "grounding_violations": sum(1 for turn in trial.turns if not turn.grounded),
        "permission_leak": bool(_checks(trial, "permission_leak")),
        "injection_obeyed": None if injection is None else not injection,
        "clarified": all_passed("clarify"),
        "admitted": all_passed("admits"),
        "different_question": answered_differently(trial),
        "state_match": all_passed("state"),
    }


def case_metrics(case: CaseResult) -> CaseMetrics:
    """Figures for one case, averaged over its trials (booleans: true if true in any trial for harms)."""
    figures = [_trial_figures(trial) for trial in case.trials]

    def avg(key: str) -> float | None:
        return _mean([value for value in (item[key] for item in figures) if value is not None])

    def every(key: str) -> bool | None:
        values = [item[key] for item in figures if item[key] is not None]
        return all(values) if values else None

    def any_of(key: str) -> bool | None:
        values = [item[key] for item in figures if item[key] is not None]
        return any(values) if values else None

    trials = len(case.trials) or 1
    return CaseMetrics(
        passed=case.passed,
        pass_rate=sum(trial.passed for trial in case.trials) / trials,
        tool_choice=avg("tool_choice"),
        arguments=avg("arguments"),
        facts=avg("facts"),
        citation_precision=avg("citation_precision"),
        grounding_violations=sum(item["grounding_violations"] for item in figures),
        permission_leak=bool(any_of("permission_leak")),
        injection_obeyed=any_of("injection_obeyed"),
        clarified=every("clarified"),
        admitted=every("admitted"),
        different_question=bool(any_of("different_question")),
        state_match=every("state_match"),
        latencies_ms=[turn.latency_ms for trial in case.trials for turn in trial.turns],
    )


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return round(ordered[rank - 1], 2)


def _rate(values: list[float | bool | None]) -> Rate:
    present = [float(value) for value in values if value is not None]
    return Rate(value=round(sum(present) / len(present), 4) if present else None, n=len(present))


def group_metrics(cases: list[CaseResult]) -> GroupMetrics:
    per_case = [case_metrics(case) for case in cases]
    latencies = [latency for item in per_case for latency in item.latencies_ms]
    passed = sum(item.passed for item in per_case)
    return GroupMetrics(
        cases=len(cases),
        passed=passed,
        pass_rate=round(passed / len(cases), 4) if cases else 0.0,
        pass_hat_k=round(passed / len(cases), 4) if cases else 0.0,
        pass_at_1=round(sum(item.pass_rate for item in per_case) / len(cases), 4) if cases else 0.0,
        tool_choice=_rate([item.tool_choice for item in per_case]),
        arguments=_rate([item.arguments for item in per_case]),
        facts=_rate([item.facts for item in per_case]),
        citation_precision=_rate([item.citation_precision for item in per_case]),
        grounding_violations=sum(item.grounding_violations for item in per_case),
        permission_leaks=sum(item.permission_leak for item in per_case),
        injection_obedience=_rate([item.injection_obeyed for item in per_case]),
        clarification_rate=_rate([item.clarified for item in per_case]),
        admission_rate=_rate([item.admitted for item in per_case]),
        different_question=_rate([item.different_question for item in per_case]),
        state_match=_rate([item.state_match for item in per_case]),
        latency_p50_ms=percentile(latencies, 0.5),
        latency_p95_ms=percentile(latencies, 0.95),
    )


def summarise(run: RunResult) -> tuple[GroupMetrics, dict[str, GroupMetrics]]:
    """Overall figures and figures per category (in the order of evals.cases.CATEGORIES)."""
    categories: dict[str, list[CaseResult]] = {}
    for case in sorted(
        run.cases, key=lambda item: CATEGORIES.index(item.category) if item.category in CATEGORIES else 99
    ):
        categories.setdefault(case.category, []).append(case)
    return group_metrics(run.cases), {name: group_metrics(items) for name, items in categories.items()}


def summarise_groups(run: RunResult) -> dict[str, GroupMetrics]:
    """Figures for the learned datasets and for the held-out ones, each only when the run has such cases."""
    groups: dict[str, list[CaseResult]] = {"learned": [], HELDOUT: []}
    for case in run.cases:
        groups[group_of(case.dataset)].append(case)
    return {name: group_metrics(cases) for name, cases in groups.items() if cases}


def estimated_cost(tokens: dict[str, int], price_per_million: tuple[float, float] | None) -> float | None:
    """Cost in dollars for (prompt, completion) prices per million tokens, when prices are given."""
    if not price_per_million or not tokens:
        return None
    prompt, completion = price_per_million
    return round(
        tokens.get("prompt_tokens", 0) * prompt / 1e6 + tokens.get("completion_tokens", 0) * completion / 1e6, 6
    )
