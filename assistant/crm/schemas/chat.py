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


class AnswerCell(BaseModel):
    """A table cell or a list line: its text, the record it names (a link), and a flag such as 'overdue'."""

    text: str
    record: RecordRef | None = None
    flag: str | None = None


class AnswerTable(BaseModel):
    columns: list[str]
    rows: list[list[AnswerCell]]
    note: str | None = None
    """what the rows share and is therefore not a column ("All owned by Sam Taylor"), or how many are shown"""


class AnswerFigure(BaseModel):
    label: str
    value: str


class AnswerSection(BaseModel):
    title: str | None = None
    record: RecordRef | None = None
    """the record the section is about: its title links to it"""
    table: AnswerTable | None = None
    lines: list[AnswerCell] = Field(default_factory=list)
    text: str | None = None
    """preformatted text shown as it is (an email draft)"""


class RichAnswer(BaseModel):
    """The answer as structure, for channels that can show more than text: a headline, key figures, and
    sections of tables, linked lines or preformatted text. `ChatResponse.answer` still holds the full text."""

    headline: str
    figures: list[AnswerFigure] = Field(default_factory=list)
    sections: list[AnswerSection] = Field(default_factory=list)


class BrainDiagnostics(BaseModel):
    """How a model-driven turn went, for the eval report (never shown to the person)."""

    steps: int = 0
    tool_calls: int = 0
    failed_calls: int = 0
    repeated_calls: int = Field(default=0, description="identical calls (name and arguments) asked for again")
    repeated_failing_calls: int = Field(default=0, description="identical calls asked for again after an error")
    executed_repeats: int = Field(default=0, description="identical failing calls that ran again: always 0")
    protocol_warnings: list[str] = Field(default_factory=list)
    model_errors: dict[str, int] = Field(default_factory=dict)
    stopped: str | None = Field(default=None, description="why the loop ended early: step_limit, failures...")


class ChatResponse(BaseModel):
    answer: str
    thread_id: str
    tool_calls: list[ToolCallPublic] = Field(default_factory=list)
    records: list[RecordRef] = Field(default_factory=list)
    pending_action: PendingActionPublic | None = None
    grounded: bool = True
    """False when the grounding check replaced a reply that named facts no tool produced"""
    rich: RichAnswer | None = None
    """the same answer as headline, figures, tables and linked lines (absent for plain replies)"""
    diagnostics: BrainDiagnostics | None = Field(default=None, exclude=True)
    """how the brain's loop went (LLM brain only); kept out of the API and the stored thread"""
