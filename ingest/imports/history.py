"""Stage history (Salesforce OpportunityHistory) for the deals an import creates.

The rows of one deal, in time order, become its stage changes (repeats of the same stage collapse); when
the last one is not the deal's current stage, a final change to it is added. Deals that existed before
keep their history: an export cannot say which of its rows Dealwise has already seen.
"""

from datetime import datetime

from ingest.imports.dedupe import Target
from ingest.imports.links import Linker
from ingest.imports.owners import OwnerResolver
from ingest.imports.records import Row
from ingest.imports.report import ImportReport, Problem
from ingest.imports.stages import StageCatalog
from ingest.imports.writer import Writer

KIND = "stage_history"


def import_history(
    rows: list[Row],
    created_deals: dict[str, Target],
    links: Linker,
    stages: StageCatalog,
    owners: OwnerResolver,
    writer: Writer,
    report: ImportReport,
    now: datetime,
) -> None:
    by_deal: dict[str, list[tuple[datetime, Row, int]]] = {}
    for row in rows:
        ref = row.refs.get("deal_id")
        found = links.resolve(ref) if ref else "no OpportunityId"
        problem: tuple[str, str] | None = row.problems[0] if row.problems else None
        if problem is None and isinstance(found, str):
            problem = (row.column("deal_id"), f"{found} (orphan)")
        elif problem is None and ref is not None and ref.external_id not in created_deals:
            report.count(KIND, "unchanged")
            continue
        elif problem is None and ref is not None:
            deal = created_deals[ref.external_id]  # type: ignore[index]
            try:
                stage = stages.resolve_in(deal.values["pipeline_id"], row.fields.get("stage") or "")
            except ValueError as error:
                problem = (row.column("stage"), str(error))
            else:
                when = row.fields.get("changed_at") or now
                by_deal.setdefault(ref.external_id, []).append((when, row, stage.id))  # type: ignore[arg-type]
        if problem:
            report.rejected.append(Problem(row.file, row.line, *problem, KIND))
            report.count(KIND, "rejected")
    for external_id, deal in created_deals.items():
        previous: int | None = None
        for when, row, stage_id in sorted(by_deal.get(external_id, []), key=lambda entry: entry[0]):
            if stage_id == previous:
                report.count(KIND, "unchanged")
                continue
            changed_by = owners.user_id(row) if row.owner else None
            writer.stage_history(deal, {"from_stage_id": previous, "to_stage_id": stage_id,
                                        "changed_by_id": changed_by, "changed_at": when})  # fmt: skip
            previous = stage_id
            report.count(KIND, "created")
        if previous != deal.values["stage_id"]:
            when = deal.values.get("created_at") if previous is None else now
            writer.stage_history(deal, {"from_stage_id": previous, "to_stage_id": deal.values["stage_id"],
                                        "changed_by_id": writer.actor_id, "changed_at": when or now})  # fmt: skip
    writer.flush()
