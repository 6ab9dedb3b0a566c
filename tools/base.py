"""How a tool is declared: a typed function, a pydantic input, a *Public output, a docstring for the model.

    @tool
    def find_deals(deps: Deps, args: FindDealsInput) -> DealListPublic:
        '''Find deals the person can see ...'''

Write tools never write: they return a ProposalPublic. The change is applied by the function
registered with @applies(kind), once, when the person confirms.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, Field

from assistant.deps import Deps
from assistant.schemas.chat import FieldChange, RecordRef

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


class ToolResult(BaseModel):
    """Base for every *Public tool output: the records it rests on travel with it."""

    records: list[RecordRef] = Field(default_factory=list)


class ProposalPublic(ToolResult):
    """A write waiting for confirmation: what will change, on which record."""

    kind: str
    summary: str
    changes: list[FieldChange]
    payload: dict[str, Any]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    fn: Callable[[Deps, Any], BaseModel]
    writes: bool

    def run(self, deps: Deps, raw_args: dict[str, Any] | BaseModel) -> BaseModel:
        args = raw_args if isinstance(raw_args, self.input_model) else self.input_model.model_validate(raw_args)
        return self.fn(deps, args)


TOOLS: dict[str, ToolSpec] = {}
ACTIONS: dict[str, Callable[[Deps, dict[str, Any]], dict[str, Any]]] = {}


def tool(fn: Callable[[Deps, In], Out]) -> Callable[[Deps, In], Out]:
    hints = get_type_hints(fn)
    params = list(inspect.signature(fn).parameters)
    input_model, output_model = hints[params[1]], hints["return"]
    TOOLS[fn.__name__] = ToolSpec(
        name=fn.__name__,
        description=inspect.cleandoc(fn.__doc__ or ""),
        input_model=input_model,
        output_model=output_model,
        fn=fn,
        writes=issubclass(output_model, ProposalPublic),
    )
    return fn


def applies(kind: str) -> Callable[[Callable[[Deps, dict[str, Any]], dict[str, Any]]], Any]:
    """Register the function that applies a confirmed proposal of this kind; it returns a result dict."""

    def register(
        fn: Callable[[Deps, dict[str, Any]], dict[str, Any]],
    ) -> Callable[[Deps, dict[str, Any]], dict[str, Any]]:
        ACTIONS[kind] = fn
        return fn

    return register
