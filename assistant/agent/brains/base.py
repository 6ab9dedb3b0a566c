"""What a brain gets for one turn and what it hands back; both brains run tools through ToolRunner."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from assistant.agent.brains.tool_errors import crm_error_message, validation_message
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.schemas.chat import BrainDiagnostics, RecordRef
from assistant.crm.schemas.results import ProposalPublic
from tools.base import ToolSpec
from tools.registry import Toolset

log = logging.getLogger(__name__)


@dataclass
class Turn:
    """One message from a person, with the thread it belongs to."""

    deps: Deps
    message: str
    state: dict[str, Any]
    """The thread's memory (last tool and arguments, records in focus); brains may update it."""
    history: list[tuple[str, str]] = field(default_factory=list)
    """Earlier (role, content) pairs of the thread, oldest first."""


@dataclass
class ToolRun:
    name: str
    args: dict[str, Any]
    result: BaseModel | None = None
    error: str | None = None

    @property
    def proposal(self) -> ProposalPublic | None:
        return self.result if isinstance(self.result, ProposalPublic) else None


@dataclass
class Reply:
    answer: str
    runs: list[ToolRun] = field(default_factory=list)
    grounded: bool = True
    needs_grounding: bool = False
    """True when the answer text was written by a generative model and must pass the grounding check."""
    diagnostics: BrainDiagnostics | None = None
    """How a model-driven turn went: steps, repeated calls, protocol warnings, model errors."""
    unused: list[str] = field(default_factory=list)
    """Words of the message the answer says it did not use (the "I didn't use …" line)."""

    @property
    def proposal(self) -> ProposalPublic | None:
        return next((run.proposal for run in reversed(self.runs) if run.proposal), None)

    @property
    def records(self) -> list[RecordRef]:
        seen: dict[tuple[str, int], RecordRef] = {}
        for run in self.runs:
            for ref in getattr(run.result, "records", None) or []:
                seen.setdefault((ref.type, ref.id), ref)
        return list(seen.values())


class Brain(Protocol):
    def reply(self, turn: Turn) -> Reply: ...


class ToolRunner:
    """Runs registered tools for one principal; errors become text the person (or model) can act on."""

    def __init__(self, toolset: Toolset) -> None:
        self.toolset = toolset
        self.specs: Mapping[str, ToolSpec] = toolset.tools

    def run(self, deps: Deps, name: str, args: dict[str, Any]) -> ToolRun:
        run = ToolRun(name=name, args=dict(args))
        spec = self.specs.get(name)
        if spec is None:
            run.error = f"there is no tool called {name!r}; the tools are {', '.join(sorted(self.specs))}"
            return run
        try:
            prepared = spec.prepare(deps, args)
            if spec.adapt is not None:
                run.args = prepared.model_dump(mode="json", exclude_defaults=True)
            run.result = spec.execute(deps, prepared)
        except ValidationError as exc:
            run.error = validation_message(name, exc, self.specs)
        except DealwiseError as exc:
            run.error = crm_error_message(exc, args, self.specs)
        except Exception:
            log.exception("tool %s failed", name)
            run.error = f"{name} failed unexpectedly"
        return run
