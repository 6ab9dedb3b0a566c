"""The same Salesforce export, imported into the demo data, gives the same outcome on SQLite and PostgreSQL, and
re-importing changes nothing."""

from collections.abc import Callable

from assistant.crm.clock import Clock
from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from ingest.imports import importing_user, read_export, run_import
from tests.support import NOW
from tests.support.imports import table_counts


def test_salesforce_import_on_both_backends(any_db_url: str, settings_for: Callable[..., Settings], export_dir) -> None:  # type: ignore[no-untyped-def]
    settings = settings_for(any_db_url)
    sessions = session_factory(settings)
    path = export_dir("salesforce")

    def import_once() -> tuple[dict, dict[str, int]]:
        with sessions() as session:
            report = run_import(
                session, read_export("salesforce", path), importing_user(session, None), Clock.fixed(NOW)
            )
        with sessions() as session:
            return report.counts, table_counts(session)

    first, after_first = import_once()
    assert first["account"]["created"] == 6 and first["contact"]["merged"] == 2 and first["deal"]["created"] == 6
    second, after_second = import_once()
    assert all(c["created"] == 0 and c["updated"] == 0 and c["merged"] == 0 for c in second.values())
    assert after_second == after_first
    engine_for(settings.resolved_database_url).dispose()
