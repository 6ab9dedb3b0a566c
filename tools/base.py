"""How a tool is declared: a typed function, a pydantic input, a *Public output, a docstring for the model.

    def find_deals(deps: Deps, args: FindDealsInput) -> DealListPublic:
        '''Find deals the person can see ...'''

A tool becomes callable once ``tools.registry`` lists it (``ToolSpec.of(find_deals)``). Write tools
never write: they return a ProposalPublic. A :class:`WriteSpec` holds the other two halves of a
write: the function that applies a confirmed proposal of its kind, once, and the one that reverses
an applied change.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel

from assistant.crm.deps import Deps
from assistant.crm.schemas.results import ProposalPublic
from assistant.crm.services.references import hide_out_of_scope

Applier = Callable[[Deps, dict[str, Any]], dict[str, Any]]
"""(deps, proposal payload) -> what was applied: record_type, record_id, name, and what undo needs"""
OwnerRef = int | Literal["me"]
"""a user id, or "me" for the person asking"""
Undoer = Callable[[Deps, dict[str, Any]], dict[str, Any]]
"""(deps, an applied result) -> the result of putting things back"""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    fn: Callable[[Deps, Any], BaseModel]
    writes: bool
    adapt: Callable[[Deps, Any], BaseModel] | None = None
    """turns a model-facing input (e.g. the flat query) into the input ``fn`` takes"""

    @classmethod
    def of(cls, fn: Callable[[Deps, Any], BaseModel]) -> "ToolSpec":
        """The spec of ``fn(deps, args: SomeInput) -> SomePublic``; its docstring is what the model reads."""
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        input_model, output_model = hints[params[1]], hints["return"]
        return cls(
            name=fn.__name__,
            description=inspect.cleandoc(fn.__doc__ or ""),
            input_model=input_model,
            output_model=output_model,
            fn=fn,
            writes=issubclass(output_model, ProposalPublic),
        )

    def prepare(self, deps: Deps, raw_args: dict[str, Any] | BaseModel) -> BaseModel:
        """The validated input ``fn`` takes (adapted when the spec has an ``adapt``)."""
        args = raw_args if isinstance(raw_args, self.input_model) else self.input_model.model_validate(raw_args)
        return self.adapt(deps, args) if self.adapt is not None else args

    def execute(self, deps: Deps, args: BaseModel) -> BaseModel:
        """``fn`` on prepared input, with related records the person may not open left out (never named)."""
        return hide_out_of_scope(deps.session, deps.principal, self.fn(deps, args), keep_ids=False)

    def run(self, deps: Deps, raw_args: dict[str, Any] | BaseModel) -> BaseModel:
        """The tool's result, with related records the person may not open left out (never named)."""
        return self.execute(deps, self.prepare(deps, raw_args))


@dataclass(frozen=True)
class WriteSpec:
    """One kind of proposed write: how a confirmed proposal is applied and how an applied one is undone."""

    kind: str
    apply: Applier
    undo: Undoer
    undo_label: str = ""
    """what undo does, in a few words, for the undo preview (e.g. "delete the logged activity")"""


def owner_id_of(deps: Deps, owner: OwnerRef | None) -> int | None:
    """The user id an ``OwnerRef`` names: "me" is the person asking."""
    return deps.principal.user_id if owner == "me" else owner
