"""The compact tool surface a language model sees: a few broad tools, one-paragraph descriptions, flat schemas.

The full toolset (tools.registry.TOOLSET) serves the offline brain and the evals; a small model does
better, and a CPU server answers sooner, with fewer tools and shorter schemas. `query` here is the
flat form of tools.query's structured query (no nested filters or periods: a period is a word), and
does every list and figure; find_deals and find_accounts only find records by name (for an id).
A run records the full input each model-facing input stood for (ToolSpec.adapt).
"""

import dataclasses
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.crm.deps import Deps
from tools.accounts import FindAccountsInput
from tools.base import ToolSpec
from tools.deals import FindDealsInput
from tools.periods import PERIOD_HELP, require_period
from tools.query import query
from tools.query.spec import (
    DateField,
    Dimension,
    Measure,
    NumberField,
    ObjectName,
    PeriodSpec,
    QueryFilters,
    QueryInput,
    SortKey,
)
from tools.registry import TOOLSET, Toolset

DROPPED_KEYS = {"title", "minimum", "maximum", "minLength", "maxLength", "exclusiveMinimum", "exclusiveMaximum"}
"""schema keys a model does not need: the tool validates its input and says what is wrong"""
MODEL_TOOLS = (
    "query",
    "find_deals",
    "get_deal",
    "find_accounts",
    "get_account_overview",
    "list_activities",
    "search_notes",
    "draft_followup_email",
    "update_deal",
    "log_activity",
    "create_task",
)


class FlatQueryInput(BaseModel):
    object: ObjectName = "deals"
    measure: Measure = "list"
    field: NumberField | None = Field(default=None, description="what sum/avg/min/max read; default amount")
    owner: Literal["me", "my_team", "everyone"] | int | None = Field(
        default=None, description='"me", "my_team", "everyone" or a user id'
    )
    stage: str | None = Field(default=None, description="a stage name, e.g. Negotiation")
    status: Literal["open", "won", "lost", "closed", "done"] | None = None
    period: str | None = Field(default=None, description=f"a period in words: {PERIOD_HELP}")
    date_field: DateField | None = Field(default=None, description="which date the period applies to")
    group_by: Dimension | None = None
    text: str | None = Field(default=None, max_length=200, description="name contains")
    amount_min: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    amount_max: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    sort: SortKey | None = None
    order: Literal["desc", "asc"] | None = None
    limit: int = Field(default=25, ge=1, le=200)
    with_contacts: bool = Field(default=False, description="deals: each with its primary contact")
    contact: int | None = Field(default=None, description="a contact id: the deals it is primary contact on")


def structured(deps: Deps, args: FlatQueryInput) -> QueryInput:
    """The structured query a flat one stands for."""
    period = None
    if args.period:
        named = require_period(args.period, deps.clock.today())
        period = PeriodSpec(start=named.start, end=named.end, field=args.date_field, label=named.label)
    owner = args.owner if isinstance(args.owner, str) else None
    filters = QueryFilters(
        owner=owner,
        owner_ids=[args.owner] if isinstance(args.owner, int) else [],
        stages=[args.stage] if args.stage else [],
        status=args.status,
        period=period,
        text=args.text,
        amount_min=args.amount_min,
        amount_max=args.amount_max,
        contact_ids=[args.contact] if args.contact is not None else [],
    )
    return QueryInput(
        object=args.object,
        measure=args.measure,
        field=args.field,
        filters=filters,
        group_by=args.group_by,
        sort=args.sort,
        order=args.order,
        limit=args.limit,
        with_contacts=args.with_contacts,
    )


QUERY_DESCRIPTION = (
    'List, count, total or group the CRM records the person can see. Examples: "my deals in Negotiation" '
    '(owner=me, stage=Negotiation); "how many open deals do I have" (measure=count, owner=me, status=open); '
    '"my open pipeline" (measure=sum, owner=me, status=open); "deals per stage" (measure=count, '
    'group_by=stage); "won this quarter" (status=won, period=this quarter); "my leads" (object=leads, '
    "owner=me)."
)


class FindByNameInput(BaseModel):
    q: str = Field(min_length=1, max_length=200, description="words in the name, e.g. Hooli")


def deals_named(deps: Deps, args: FindByNameInput) -> FindDealsInput:
    return FindDealsInput(q=args.q)


def accounts_named(deps: Deps, args: FindByNameInput) -> FindAccountsInput:
    return FindAccountsInput(q=args.q)


def by_name(spec: ToolSpec, description: str, adapt: Callable[[Deps, FindByNameInput], BaseModel]) -> ToolSpec:
    """``spec`` narrowed to a search by name: a model lists and counts with query, and finds ids here."""
    return dataclasses.replace(spec, description=description, input_model=FindByNameInput, adapt=adapt)


NARROWED = {
    "find_deals": (
        "Find deals by name (words in the deal or account name) to get a deal id for get_deal. "
        "For lists and figures by owner, stage, status or period use query.",
        deals_named,
    ),
    "find_accounts": (
        "Find accounts (companies) by name to get an account id for get_account_overview.",
        accounts_named,
    ),
}


def flat_query_spec() -> ToolSpec:
    """tools.query's query, taking the flat input; the run records the structured query it stood for."""
    spec = ToolSpec.of(query)
    return dataclasses.replace(spec, description=QUERY_DESCRIPTION, input_model=FlatQueryInput, adapt=structured)


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


def compact_spec(spec: ToolSpec) -> ToolSpec:
    return dataclasses.replace(spec, description=_first_paragraph(spec.description))


def model_toolset(base: Toolset = TOOLSET, names: tuple[str, ...] = MODEL_TOOLS) -> Toolset:
    """The tools a model is given: the flat query plus ``names`` from ``base``, with short descriptions."""
    specs = {name: compact_spec(spec) for name, spec in base.only(names).tools.items()}
    for name, (description, adapt) in NARROWED.items():
        if name in specs:
            specs[name] = by_name(specs[name], description, adapt)
    if "query" in names:
        specs["query"] = flat_query_spec()
    return Toolset({name: specs[name] for name in names if name in specs}, base.writes)


def _compact(node: Any) -> Any:
    if isinstance(node, list):
        return [_compact(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _compact(value) for key, value in node.items() if key not in DROPPED_KEYS}
    options = out.get("anyOf")
    if isinstance(options, list):
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1:
            out.pop("anyOf")
            out = {**kept[0], **out}
        else:
            out["anyOf"] = kept
    if out.get("default", 0) is None:
        out.pop("default")
    return out


def compact_schema(spec: ToolSpec) -> dict[str, Any]:
    """The chat-completions tool JSON without titles, null defaults or ``anyOf [X, null]`` wrappers."""
    parameters = _compact(spec.input_model.model_json_schema())
    parameters.setdefault("properties", {})
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": parameters},
    }


MODEL_TOOLSET = model_toolset()
