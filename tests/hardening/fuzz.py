"""Schemathesis against a running Dealwise: each generated request is sent as every role, and each
answer is checked for a server error and for conformance to the response schema the OpenAPI
document declares. Shared by the bounded test and benchmarks/bench_schemathesis.py.

Record ids in generated requests are folded into the demo data's range (``1 + id % ID_FOLD``) for
the valid requests, so they reach real records and real writes instead of a 404 every time. Token
ids go the other way, above any token that exists: otherwise the run would revoke its own tokens.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.failures import Failure, FailureGroup

ID_FOLD = 150
TOKEN_ID_SHIFT = 1_000_000
SKIPPED = frozenset({"POST /admin/evals/run"})
"""starts a full evaluation run in the background: minutes of CPU, not an answer to check"""
CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass(frozen=True)
class Finding:
    operation: str
    role: str
    status: int
    problem: str
    """'server error', 'schema violation', 'no answer' (the connection closed) or another check's title"""
    detail: str
    reproduce: str


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    per_operation: Counter[str] = field(default_factory=Counter)
    unauthenticated: Counter[str] = field(default_factory=Counter)
    """401 answers by role and generation mode (a negative case may leave the credentials out on purpose)"""
    findings: list[Finding] = field(default_factory=list)

    def of(self, problem: str) -> list[Finding]:
        return [f for f in self.findings if f.problem == problem]

    @property
    def server_errors(self) -> list[Finding]:
        return self.of("server error")

    @property
    def schema_violations(self) -> list[Finding]:
        return self.of("schema violation")

    def failures_by_operation(self) -> Counter[str]:
        return Counter(f"{f.operation} ({f.problem})" for f in self.findings)


def _fold(value: Any, key: str) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    if key == "token_id":
        return value + TOKEN_ID_SHIFT if 1 <= value < TOKEN_ID_SHIFT else value
    if key == "id" or key.endswith("_id"):
        return 1 + abs(value) % ID_FOLD
    return value


def _shift_token_ids(case: Case) -> Case:
    if isinstance(case.path_parameters, dict) and "token_id" in case.path_parameters:
        case.path_parameters["token_id"] = _fold(case.path_parameters["token_id"], "token_id")
    return case


def _fold_ids(case: Case) -> Case:
    for container in (case.path_parameters, case.query):
        if isinstance(container, dict):
            for key, value in list(container.items()):
                container[key] = _fold(value, key)
    if isinstance(case.body, dict):
        for key, value in list(case.body.items()):
            case.body[key] = _fold(value, key)
    return case


def _problem(failure: Failure) -> str:
    name = type(failure).__name__
    if name == "ServerError":
        return "server error"
    if name == "JsonSchemaError":
        return "schema violation"
    return failure.title or name


def _curl(case: Case, headers: dict[str, str]) -> str:
    return case.as_curl_command(headers=headers)[:2000]


def _failures(error: BaseException) -> Iterable[Failure]:
    if isinstance(error, FailureGroup):
        return [e for e in error.exceptions if isinstance(e, Failure)]
    return [error] if isinstance(error, Failure) else []


def fuzz_api(
    base_url: str,
    tokens: Mapping[str, str | None],
    examples: int,
    seed: int = 14,
    modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
) -> FuzzReport:
    """Up to ``examples`` generated requests per operation and mode, each sent once per role
    (``tokens``: role -> API token, None for anonymous)."""
    report = FuzzReport()
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    http = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        if operation.label in SKIPPED:
            continue
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode)
            strategy = strategy.map(_fold_ids if mode == GenerationMode.POSITIVE else _shift_token_ids)

            @hypothesis.seed(seed)
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def send(case: Case) -> None:
                for role, token in tokens.items():
                    headers = {"Authorization": f"Bearer {token}"} if token else {}
                    report.requests += 1
                    try:
                        response = case.call(base_url=base_url, session=http, headers=headers, timeout=120)
                    except requests.RequestException as error:
                        report.findings.append(
                            Finding(case.operation.label, role, 0, "no answer", str(error)[:2000], _curl(case, headers))
                        )
                        continue
                    report.statuses[response.status_code] += 1
                    report.per_operation[case.operation.label] += 1
                    if response.status_code == 401:
                        report.unauthenticated[f"{role}, {case.meta.generation.mode.value}"] += 1
                    try:
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    except (AssertionError, BaseExceptionGroup) as error:
                        for failure in _failures(error):
                            report.findings.append(
                                Finding(
                                    operation=case.operation.label,
                                    role=role,
                                    status=response.status_code,
                                    problem=_problem(failure),
                                    detail=(failure.message or "")[:2000],
                                    reproduce=_curl(case, headers),
                                )
                            )

            send()
    return report
