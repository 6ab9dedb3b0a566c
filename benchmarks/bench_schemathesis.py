"""A long schemathesis fuzz of the REST API: requests sent, answers by status, server errors, schema
violations and failures per endpoint, against a real uvicorn server on a fresh small demo database.

    .venv/bin/python benchmarks/bench_schemathesis.py [--examples 12] [--seed 14] [--backend sqlite|postgres]

Every operation gets ``--examples`` valid and as many invalid generated requests, each sent as a rep,
a manager, an admin and anonymously (tests/hardening/fuzz.py). The bounded version of the same run is
tests/hardening/test_schemathesis.py.
"""

import argparse
import tempfile
import time
from pathlib import Path

from adapters.web.app import create_app
from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests import support
from tests.hardening.fuzz import fuzz_api


def database_url(backend: str, directory: Path) -> str:
    if backend == "postgres":
        return support.copy_pg(support.build_pg_template())
    return support.copy_sqlite(support.build_sqlite_template(directory), directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=12, help="generated requests per operation and mode")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        url = database_url(args.backend, directory)
        settings = Settings(database_url=url, data_dir=directory / "data", run_worker=False)  # type: ignore[call-arg]
        tokens = support.tokens_for(settings)
        roles = {
            "rep": tokens[support.ALICE],
            "manager": tokens[support.WEST_MANAGER],
            "admin": tokens[support.ADMIN],
            "anonymous": None,
        }
        started = time.perf_counter()
        with support.live_server(create_app(settings, clock=support.CLOCK)) as base:
            report = fuzz_api(base, roles, examples=args.examples, seed=args.seed)
        elapsed = time.perf_counter() - started
        engine_for(url).dispose()
        if args.backend == "postgres":
            support.drop_pg(url)
    print(f"backend {args.backend}, {args.examples} examples per operation and mode, seed {args.seed}")
    print(f"operations fuzzed    {len(report.per_operation)}")
    print(f"requests             {report.requests} in {elapsed:.0f} s ({report.requests / elapsed:.1f}/s)")
    print("answers by status    " + ", ".join(f"{code}: {n}" for code, n in sorted(report.statuses.items())))
    print("401 by role, mode    " + ", ".join(f"{key}: {n}" for key, n in sorted(report.unauthenticated.items())))
    print(f"server errors (5xx)  {len(report.server_errors)}")
    print(f"schema violations    {len(report.schema_violations)}")
    print(f"no answer (closed)   {len(report.of('no answer'))}")
    known = ("server error", "schema violation", "no answer")
    others = sum(1 for finding in report.findings if finding.problem not in known)
    print(f"other check failures {others}")
    failures = report.failures_by_operation()
    print("failures per endpoint" + ("" if failures else "  none"))
    for label, count in failures.most_common():
        print(f"  {count:5d}  {label}")
    for finding in report.findings[:10]:
        print(f"\n{finding.operation} as {finding.role} -> {finding.status}: {finding.problem}\n{finding.detail[:800]}")
        print(finding.reproduce)


if __name__ == "__main__":
    main()
