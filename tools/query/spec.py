"""The structured query a question becomes: object x measure x filters x group-by x comparison x order.

One typed input serves every "how many / how much / per what / compared with what / which ones"
question over the CRM, for the offline brain and for any model, and one typed output says exactly
what was computed, so the person can see which question was answered.
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.results import ToolResult

ObjectName = Literal["deals", "accounts", "contacts", "leads", "activities", "tasks"]
Measure = Literal["list", "count", "sum", "avg", "median", "min", "max", "win_rate", "conversion_rate", "distinct"]
NumberField = Literal[
    "amount", "weighted_amount", "probability", "score", "employees", "days_to_close", "days_since_activity",
    "age_days",
]  # fmt: skip
Dimension = Literal[
    "stage", "status", "owner", "team", "account", "industry", "region", "source", "type", "currency",
    "month", "quarter", "year", "contact",
]  # fmt: skip
DateField = Literal["close_date", "created_at", "closed_at", "occurred_at", "due_date", "converted_at"]
MissingField = Literal[
    "primary_contact", "next_step", "close_date", "amount", "activity", "email", "phone", "industry", "contact",
    "deal", "open_deal", "call_logged", "meeting_logged", "email_logged", "title", "open_task", "overdue_task",
]  # fmt: skip
SortKey = Literal[
    "amount", "close_date", "created_at", "closed_at", "due_date", "occurred_at", "last_activity", "name",
    "score", "days_to_close", "employees", "value",
]  # fmt: skip
Owner = Literal["me", "my_team", "everyone"]
LoggedKind = Literal["call", "email", "meeting", "note"]
"""the kinds of activity that touch a record (tasks are planned work, not contact)"""


class PeriodSpec(BaseModel):
    """A date range on one date field; both ends inclusive; an open end is unbounded."""

    start: date | None = None
    end: date | None = None
    field: DateField | None = Field(default=None, description="which date; default depends on the object")
    label: str | None = Field(default=None, description="how the person said it, e.g. 'Q3 2026'")

    @model_validator(mode="after")
    def _ordered(self) -> "PeriodSpec":
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class QueryFilters(BaseModel):
    owner: Owner | None = Field(default=None, description="me, my_team or everyone I may see (default)")
    owner_ids: list[int] = Field(default_factory=list, description="only these users' records (user ids)")
    team_ids: list[int] = Field(default_factory=list)
    exclude_owner_ids: list[int] = Field(default_factory=list, description="leave out these users' records")
    stages: list[str] = Field(default_factory=list, description="stage names")
    exclude_stages: list[str] = Field(default_factory=list, description="stage names to leave out")
    status: Literal["open", "won", "lost", "closed", "done"] | None = Field(
        default=None, description="deals: open/won/lost/closed; tasks: open/done; leads: their status words"
    )
    lead_status: list[str] = Field(default_factory=list, description="leads: new, working, qualified, converted...")
    period: PeriodSpec | None = None
    amount_min: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    amount_max: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    amount_strict: bool = Field(
        default=False, description="the amount bounds exclude themselves ('more than 50k', 'under 10k')"
    )
    industries: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="lead source")
    types: list[str] = Field(default_factory=list, description="activities: call, email, meeting, note, task")
    currencies: list[str] = Field(default_factory=list)
    missing: list[MissingField] = Field(default_factory=list, description="records where these are empty")
    match_any: bool = Field(
        default=False,
        description="records meeting any one of the conditions given by missing, overdue and inactive_days ('or'), "
        "not all of them",
    )
    present: list[MissingField] = Field(default_factory=list, description="records where these are set")
    overdue: bool = Field(default=False, description="deals: open with a close date before today; tasks: past due")
    inactive_days: int | None = Field(default=None, ge=1, le=3650, description="no activity in this many days")
    inactive_types: list[LoggedKind] = Field(
        default_factory=list, description="with inactive_days: only these kinds count as activity ('no meeting in...')"
    )
    account_ids: list[int] = Field(default_factory=list)
    contact_ids: list[int] = Field(
        default_factory=list, description="deals: those whose primary contact is one of these; activities: with them"
    )
    deal_ids: list[int] = Field(
        default_factory=list, description="activities and tasks: only those on these deals; deals: only these deals"
    )
    ids: list[int] = Field(default_factory=list, description="only these records (e.g. an earlier answer's)")
    exclude_ids: list[int] = Field(
        default_factory=list, description="all but these records (the rest after an earlier answer's top few)"
    )
    excluded_as: str | None = Field(
        default=None, max_length=80, description="what the exclude_ids records are, e.g. 'at Oscorp'"
    )
    text: str | None = Field(default=None, max_length=200, description="name contains")
    score_min: int | None = Field(default=None, ge=0, le=1000, description="leads: score at least this")
    score_max: int | None = Field(default=None, ge=0, le=1000, description="leads: score at most this")
    titles: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="contacts: job title contains any of these, e.g. 'Financ', 'CFO'",
    )


class Comparison(BaseModel):
    """Compute the same measure on two or more sides: periods, people or teams (by owner: people, and any teams
    in team_ids beside them, e.g. one rep against the whole team)."""

    by: Literal["period", "owner", "team"]
    periods: list[PeriodSpec] = Field(default_factory=list)
    owner_ids: list[int] = Field(default_factory=list)
    team_ids: list[int] = Field(default_factory=list)
    per_rep: bool = Field(
        default=False, description="a team side (sum or count) is its total divided by its reps: the average rep"
    )


class QueryInput(BaseModel):
    object: ObjectName = "deals"
    measure: Measure = "list"
    field: NumberField | None = Field(default=None, description="what sum/avg/median/min/max read; default amount")
    filters: QueryFilters = Field(default_factory=QueryFilters)
    group_by: Dimension | None = None
    compare: Comparison | None = None
    sort: SortKey | None = Field(default=None, description="list order, or 'value' for groups")
    order: Literal["desc", "asc"] | None = None
    limit: int = Field(default=25, ge=1, le=200)
    group_min: float | None = Field(
        default=None, ge=0, le=1e12, description="a group-by: only groups whose value is at least this (2: 2+ deals)"
    )
    with_contacts: bool = Field(default=False, description="a list of deals: give each deal's primary contact")
    with_next_steps: bool = Field(default=False, description="a list of deals: give each deal's next step")


class QueryRow(BaseModel):
    """One group (or one side of a comparison): its label, the measured value and how many records."""

    key: str
    value: float | None
    count: int
    currency: str | None = None
    ref: RecordRef | None = Field(default=None, description="the record the group is (an owner, an account)")
    amount: float | None = Field(default=None, description="deals counted: their total amount (in `currency`)")
    side: str | None = Field(default=None, description="a comparison split into groups: the side this row is on")
    change: float | None = Field(
        default=None, description="a group compared on two sides: its value on this side minus the other's"
    )
    start: date | None = Field(default=None, description="a compared period's first day")
    end: date | None = Field(default=None, description="a compared period's last day")
    hits: int | None = Field(
        default=None, description="win rate and conversion: how many of `count` were won / converted"
    )
    share: float | None = Field(
        default=None, description="a summed or counted group's percentage of the overall figure (one currency)"
    )


class QueryItem(BaseModel):
    """One record of a list answer, with the fields the question is about."""

    type: str
    id: int
    name: str
    amount: float | None = None
    currency: str | None = None
    stage: str | None = None
    status: str | None = None
    owner: str | None = None
    account: str | None = None
    deal: str | None = Field(default=None, description="activities and tasks: the deal they are on")
    contact: str | None = Field(default=None, description="a deal picked out alone: its primary contact")
    close_date: date | None = None
    due_date: date | None = None
    when: date | None = Field(default=None, description="the date the question is about (created, occurred…)")
    last_activity: date | None = None
    days: int | None = Field(default=None, description="days to close, or days since the last activity")
    score: int | None = Field(default=None, description="leads: the lead score")
    employees: int | None = Field(default=None, description="accounts ranked or measured by headcount")
    detail: str | None = Field(
        default=None, description="a short data field: source, status, type, title; an account's industry and region"
    )
    email: str | None = Field(default=None, description="contacts and leads: how to reach them")
    phone: str | None = None
    title: str | None = Field(default=None, description="leads: their job title")


class CurrencyTotal(BaseModel):
    currency: str
    value: float | None
    count: int


class QueryResultPublic(ToolResult):
    """What was computed, in words, and the figures and records behind it."""

    description: str = Field(description="exactly what was computed, e.g. 'average amount of the 9 deals you won…'")
    object: ObjectName
    measure: Measure
    field: str | None
    group_by: str | None
    compared_by: str | None = None
    value: float | None = Field(default=None, description="the overall figure (None when currencies differ)")
    count: int = Field(description="how many records matched")
    hits: int | None = Field(default=None, description="win or conversion rate: how many were won or converted")
    misses: int | None = Field(default=None, description="win or conversion rate: how many were lost or not converted")
    currency: str | None = None
    by_currency: list[CurrencyTotal] = Field(default_factory=list, description="when amounts are in several")
    amounts: list[CurrencyTotal] = Field(
        default_factory=list, description="deals listed or counted: their total amount, per currency"
    )
    rows: list[QueryRow] = Field(default_factory=list)
    ranked: Literal["desc", "asc"] | None = Field(default=None, description="groups ranked by value, this way")
    difference: float | None = Field(default=None, description="first side minus second, for two compared sides")
    items: list[QueryItem] = Field(default_factory=list)
    smallest: QueryItem | None = Field(
        default=None, description="an average or median of amounts: the smallest deal, when not all are listed"
    )
    period_label: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    notes: list[str] = Field(default_factory=list, description="what the person should know: limits, hidden data")
    hidden_owners: list[str] = Field(
        default_factory=list, description="people named whose records this person can't see"
    )
