"""Schemathesis against the real app on a real uvicorn server, as a rep, a manager, an admin and anonymous:
no request gets a server error, and every answer matches the schema the OpenAPI document declares.

Bounded (two valid and two invalid requests per operation, each sent as all four) so it finishes in
a couple of minutes on two busy cores; benchmarks/bench_schemathesis.py runs the long version.
"""

from pathlib import Path

import pytest

from adapters.web.app import create_app
from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests import support
from tests.hardening.fuzz import FuzzReport, fuzz_api
from tests.support import ADMIN, ALICE, WEST_MANAGER


def _listing(report: FuzzReport, problem: str) -> str:
    return "\n\n".join(
        f"{f.operation} as {f.role} -> {f.status}\n{f.detail[:600]}\n{f.reproduce}" for f in report.of(problem)[:5]
    )


@pytest.mark.timeout(900)
def test_no_server_errors_and_no_schema_violations(sqlite_template: Path, tmp_path: Path):
    url = support.copy_sqlite(sqlite_template, tmp_path)
    settings = Settings(database_url=url, data_dir=tmp_path / "data", run_worker=False)  # type: ignore[call-arg]
    tokens = support.tokens_for(settings)
    roles = {"rep": tokens[ALICE], "manager": tokens[WEST_MANAGER], "admin": tokens[ADMIN], "anonymous": None}
    with support.live_server(create_app(settings, clock=support.CLOCK)) as base:
        report = fuzz_api(base, roles, examples=2)
    engine_for(url).dispose()
    assert report.requests >= 400 and len(report.per_operation) >= 40
    assert {200, 201, 401, 403, 404, 422} <= set(report.statuses)
    assert report.server_errors == [], _listing(report, "server error")
    assert report.schema_violations == [], _listing(report, "schema violation")
    assert report.findings == [], _listing(report, report.findings[0].problem)
