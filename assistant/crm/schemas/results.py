"""What every tool returns: the records it rests on travel with it; a write returns a proposal."""

from typing import Any

from pydantic import BaseModel, Field

from assistant.crm.schemas.chat import FieldChange, RecordRef


class ToolResult(BaseModel):
    """Base for every *Public tool output: the records it rests on travel with it."""

    records: list[RecordRef] = Field(default_factory=list)


class ProposalPublic(ToolResult):
    """A write waiting for confirmation: what will change, on which record."""

    kind: str
    summary: str
    changes: list[FieldChange]
    payload: dict[str, Any]
