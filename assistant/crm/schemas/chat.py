"""What every channel gets back from the assistant for one turn."""

from typing import Any

from pydantic import BaseModel, Field


class ToolCallPublic(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class RecordRef(BaseModel):
    type: str
    """deal, account, contact, lead, activity, call, user"""
    id: int
    name: str


class FieldChange(BaseModel):
    record_type: str
    record_id: int | None
    """None when the write creates a record"""
    record_name: str
    field: str
    old: Any = None
    new: Any = None


class PendingActionPublic(BaseModel):
    id: str
    kind: str
    summary: str
    changes: list[FieldChange]


class ChatResponse(BaseModel):
    answer: str
    thread_id: str
    tool_calls: list[ToolCallPublic] = Field(default_factory=list)
    records: list[RecordRef] = Field(default_factory=list)
    pending_action: PendingActionPublic | None = None
    grounded: bool = True
    """False when the grounding check replaced a reply that named facts no tool produced"""
