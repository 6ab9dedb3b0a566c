"""The registries, each built from an explicit list: the tools a brain may call, the writes a
confirmation may apply (with their undo), and the background-job handlers.

Also the OpenAI function-tool JSON for a tool, built from its pydantic input model and docstring.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.crm.errors import ValidationFailed
from ingest.imports.queued import IMPORT_JOB, run_queued_import
from ingest.indexing import run_index_job, run_rebuild_job
from ingest.jobs import Handler
from tools import (
    accounts,
    activities,
    analytics,
    briefs,
    call_logging,
    calls,
    deals,
    email,
    insights,
    next_actions,
    prep,
    query,
    risk,
    search,
    updates,
)
from tools.base import ToolSpec, WriteSpec

TOOL_FUNCTIONS = (
    accounts.find_accounts,
    accounts.get_account_overview,
    accounts.find_contacts,
    accounts.find_leads,
    activities.list_activities,
    activities.list_tasks,
    analytics.forecast,
    calls.find_calls,
    calls.get_call_summary,
    deals.find_deals,
    deals.get_deal,
    email.draft_followup_email,
    prep.meeting_prep,
    briefs.weekly_brief,
    risk.deal_risk,
    risk.team_risk,
    search.search_notes,
    query.query,
    next_actions.next_actions,
    insights.competitor_mentions,
    insights.bant_check,
    insights.stage_fit,
    updates.update_deal,
    updates.log_activity,
    updates.create_task,
)
WRITE_SPECS = (*updates.WRITES, *call_logging.WRITES)
JOB_HANDLERS: Mapping[str, Handler] = {
    "process_call": call_logging.run_call_job,
    "index_records": run_index_job,
    "rebuild_index": run_rebuild_job,
    IMPORT_JOB: run_queued_import,
}


@dataclass(frozen=True)
class Toolset:
    """Tools by name and write kinds by kind; a brain, the confirmations and the evals share one."""

    tools: Mapping[str, ToolSpec] = field(default_factory=dict)
    writes: Mapping[str, WriteSpec] = field(default_factory=dict)

    @classmethod
    def of(cls, functions: Iterable[Any], writes: Iterable[WriteSpec]) -> "Toolset":
        specs = [ToolSpec.of(fn) for fn in functions]
        return cls({spec.name: spec for spec in specs}, {write.kind: write for write in writes})

    def only(self, names: Iterable[str]) -> "Toolset":
        """The same toolset restricted to these tools (the writes stay, so confirmations still apply)."""
        wanted = set(names)
        return Toolset({name: spec for name, spec in self.tools.items() if name in wanted}, self.writes)

    def all(self) -> list[ToolSpec]:
        return sorted(self.tools.values(), key=lambda spec: spec.name)

    def get(self, name: str) -> ToolSpec:
        spec = self.tools.get(name)
        if spec is None:
            raise ValidationFailed("tool", f"unknown tool {name!r}; tools are {', '.join(sorted(self.tools))}")
        return spec

    def reads(self) -> list[ToolSpec]:
        return [spec for spec in self.all() if not spec.writes]

    def proposes(self) -> list[ToolSpec]:
        return [spec for spec in self.all() if spec.writes]


TOOLSET = Toolset.of(TOOL_FUNCTIONS, WRITE_SPECS)


def all_tools() -> list[ToolSpec]:
    return TOOLSET.all()


def get_tool(name: str) -> ToolSpec:
    return TOOLSET.get(name)


def read_tools() -> list[ToolSpec]:
    return TOOLSET.reads()


def write_tools() -> list[ToolSpec]:
    return TOOLSET.proposes()


def to_openai_schema(spec: ToolSpec) -> dict[str, Any]:
    """``{"type": "function", "function": {name, description, parameters}}`` for chat-completions tools."""
    parameters = spec.input_model.model_json_schema()
    parameters.pop("title", None)
    parameters.setdefault("properties", {})
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": parameters},
    }
