"""Imports uploaded through the API run on the job queue, so they leave the web workers free and can run
on a separate worker; the ImportRun row carries the status and the report."""

import logging
import shutil
from pathlib import Path
from typing import Any

from assistant.crm.models import ImportRun, Job, User
from assistant.crm.settings import Settings
from ingest.imports.runner import read_export, run_import
from ingest.jobs import JobContext

log = logging.getLogger(__name__)
IMPORT_JOB = "run_import"


MAPPING_FILE = "mapping.yaml"


def import_directory(settings: Settings, run_id: str) -> Path:
    """Where an import's uploaded files (``files/``), its mapping (``mapping.yaml``) and its report live."""
    return settings.data_dir / "imports" / run_id


def run_queued_import(context: JobContext, job: Job) -> dict[str, Any]:
    """Run the ImportRun named in the job's payload as the admin who uploaded it. A failed import is
    recorded on the run (it would fail again on retry); the uploaded files are removed either way."""
    run_id = str((job.payload or {})["run_id"])
    directory = import_directory(context.settings, run_id)
    with context.sessions() as session:
        run = session.get(ImportRun, run_id)
        if run is None or run.status != "queued":
            return {"run_id": run_id, "status": run.status if run else "missing"}
        run.status, run.started_at = "running", context.clock.now()
        session.commit()
        source, dry_run, actor_id = run.source, run.dry_run, run.created_by_id
        try:
            mapping = directory / MAPPING_FILE
            export = read_export(source, directory / "files", mapping=mapping if mapping.is_file() else None)
            actor = session.get(User, actor_id)
            if actor is None:
                raise ValueError(f"user {actor_id} who started the import no longer exists")
            report = run_import(session, export, actor, context.clock, dry_run=dry_run, settings=context.settings)
            report.write(directory)
            values = report.as_dict()
            outcome: dict[str, Any] = {
                "status": "done",
                "counts": {"per_kind": values["counts"], "totals": values["totals"], "rows_read": values["rows_read"]},
                "rejected": values["rejected"],
                "warnings": values["warnings"],
            }
        except Exception as error:
            log.exception("import %s failed", run_id)
            session.rollback()
            outcome = {"status": "failed", "error": str(error)}
        finally:
            shutil.rmtree(directory / "files", ignore_errors=True)
        run = session.get(ImportRun, run_id)
        assert run is not None
        for field, value in outcome.items():
            setattr(run, field, value)
        run.finished_at = context.clock.now()
        session.commit()
        return {"run_id": run_id, "status": outcome["status"]}
