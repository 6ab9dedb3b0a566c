"""The case format: pydantic models, and YAML loading that names the file, case and field of every error.

One broken case never stops the rest: `load_datasets` returns the cases that loaded and a list of
`CaseError`s for those that did not.
"""

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator

from evals.facts import Query

DATASETS_DIR = Path(__file__).parent / "datasets"
HELDOUT = "heldout"
"""the folder of held-out datasets (evals/datasets/heldout/): cases no brain may learn from"""
Category = Literal[
    "questions",
    "analytics",
    "drafts",
    "calls",
    "writes",
    "risk",
    "clarification",
    "refusals",
    "injection",
    "permissions",
    "aggregates",
    "missing_fields",
    "comparisons",
    "periods",
    "followups",
    "sloppy",
    "next_actions",
    "sales_tasks",
    "honesty",
]
CATEGORIES: tuple[str, ...] = get_args(Category)
ChannelName = Literal["api", "web", "slack", "email", "cli"]
_TAGS = {"query", "literal"}


def _fact_kind(value: Any) -> str:
    return "query" if isinstance(value, dict | Query) else "literal"


Fact = Annotated[
    Annotated[Query, Tag("query")] | Annotated[str | int | float, Tag("literal")],
    Discriminator(_fact_kind),
]
IdOrQuery = Annotated[
    Annotated[Query, Tag("query")] | Annotated[int, Tag("literal")],
    Discriminator(_fact_kind),
]


class RecordExpectation(BaseModel):
    """A record the answer must cite: by id, by name, or by a query giving its id."""

    model_config = ConfigDict(extra="forbid")

    type: str
    id: IdOrQuery | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _one_key(self) -> "RecordExpectation":
        if self.id is None and self.name is None:
            raise ValueError("give the record's id (a number or a query) or its name")
        return self


class DraftExpect(BaseModel):
    """A follow-up email draft the answer must hold, checked by evals.drafts (see its docstring)."""

    model_config = ConfigDict(extra="forbid")

    deal: IdOrQuery
    """the deal the email is about"""
    to: Fact | None = None
    """the recipient (name or email) when the request names one; else the contact of the deal's last interaction"""
    interaction: int | None = None
    """the activity the email must thank for (0: none); else the last call, meeting or email with the recipient"""
    mentions: list[Fact] = []
    """values the email (subject and body) must state"""
    never: list[Fact] = []
    """values the email must not state, besides the internal content every draft is checked for"""


class Expect(BaseModel):
    """What one turn's response must show. Every key is optional; absent keys are not checked."""

    model_config = ConfigDict(extra="forbid")

    tools: list[str] = []
    """each of these tools must be called"""
    tools_any: list[str] = []
    """at least one of these tools must be called"""
    forbidden_tools: list[str] = []
    no_tools: bool = False
    args: dict[str, dict[str, Any]] = {}
    """tool -> the arguments it must be called with (a subset; values may be queries or matchers)"""
    facts: list[Fact] = []
    """values the answer must state"""
    absent: list[Fact] = []
    """values the answer must not state"""
    records: list[RecordExpectation] = []
    """records the response must cite"""
    pending: str | None = None
    """a write proposal of this kind must be waiting ('any' for any kind)"""
    no_pending: bool = False
    clarify: bool = False
    """the assistant must ask which one (a question, no write proposed)"""
    refuse: bool = False
    """the assistant must decline (no write proposed, no write tool called, a refusal in the answer)"""
    admits: bool = False
    """the answer says plainly what it could not do (or asks instead of guessing); see evals.checks.ADMITS"""
    grounded: bool | None = True
    answer_matches: str | None = None
    """a regular expression the answer must match (case-insensitive)"""
    draft: DraftExpect | None = None
    """a follow-up email draft: recipient, interaction thanked for, content, no internal content"""


class Turn(BaseModel):
    """One step of the conversation: a message, or a confirm/cancel of the waiting proposal."""

    model_config = ConfigDict(extra="forbid")

    ask: str | None = None
    confirm: bool = False
    cancel: bool = False
    expect: Expect = Field(default_factory=Expect)

    @model_validator(mode="after")
    def _one_action(self) -> "Turn":
        if sum([self.ask is not None, self.confirm, self.cancel]) != 1:
            raise ValueError("a turn is exactly one of ask: TEXT, confirm: true, cancel: true")
        return self


class StateCheck(Query):
    """A query on the database after the last turn: its value must equal `equals`, or change by `delta`."""

    equals: Any = None
    delta: int | float | None = None

    @model_validator(mode="after")
    def _expectation(self) -> "StateCheck":
        if (self.equals is None) == (self.delta is None):
            raise ValueError("a state check gives exactly one of equals: VALUE or delta: NUMBER")
        return self


class Case(BaseModel):
    """One evaluation case. `ask` + `expect` is shorthand for a single-turn conversation."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    category: Category
    user: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    channel: ChannelName = "web"
    description: str = ""
    tags: list[str] = []
    turns: list[Turn] = []
    ask: str | None = None
    expect: Expect | None = None
    state: list[StateCheck] = []
    allow_writes: bool = False
    """set when the case confirms a write; otherwise any database change fails the case"""
    dataset: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _turns(self) -> "Case":
        if self.ask is not None:
            if self.turns:
                raise ValueError("give either ask (with expect) or turns, not both")
            self.turns = [Turn(ask=self.ask, expect=self.expect or Expect())]
            self.ask, self.expect = None, None
        elif self.expect is not None:
            raise ValueError("expect at case level goes with ask; with turns, put expect in each turn")
        if not self.turns:
            raise ValueError("a case needs ask: TEXT or a list of turns")
        if any(turn.confirm for turn in self.turns):
            self.allow_writes = True
        return self


class CaseError(BaseModel):
    """Why one case (or a whole file) could not be loaded."""

    file: str
    case: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = (
            self.file + (f", case {self.case!r}" if self.case else "") + (f", field {self.field}" if self.field else "")
        )
        return f"{where}: {self.message}"


class LoadResult(BaseModel):
    cases: list[Case] = []
    errors: list[CaseError] = []


def _field_path(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if not (isinstance(part, str) and (part in _TAGS or "[" in part))]
    return ".".join(parts) or "(case)"


def load_file(path: Path) -> LoadResult:
    """Load one YAML dataset: a mapping with `cases:` (and optional `defaults:` applied to each case)."""
    result = LoadResult()
    name = str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        result.errors.append(CaseError(file=name, case=None, field=None, message=f"cannot read: {error}"))
        return result
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        result.errors.append(CaseError(file=name, case=None, field=None, message=f"invalid YAML{where}: {problem}"))
        return result
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        result.errors.append(
            CaseError(
                file=name, case=None, field="cases", message="the file must be a mapping with a list under cases:"
            )
        )
        return result
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict):
        result.errors.append(CaseError(file=name, case=None, field="defaults", message="defaults must be a mapping"))
        defaults = {}
    seen: set[str] = set()
    for index, raw in enumerate(document["cases"]):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
        if not isinstance(raw, dict):
            result.errors.append(CaseError(file=name, case=label, field=None, message="a case must be a mapping"))
            continue
        if label in seen:
            result.errors.append(CaseError(file=name, case=label, field="id", message="duplicate case id in this file"))
            continue
        seen.add(label)
        data = {**defaults, **raw, "dataset": dataset_name(path), "source": name}
        try:
            result.cases.append(Case.model_validate(data))
        except ValidationError as error:
            for problem in error.errors():
                result.errors.append(
                    CaseError(
                        file=name,
                        case=label,
                        field=_field_path(problem["loc"]),
                        message=problem["msg"].removeprefix("Value error, "),
                    )
                )
    return result


def dataset_name(path: Path) -> str:
    """A dataset's name: the file stem, prefixed `heldout/` for files in a held-out folder."""
    return f"{HELDOUT}/{path.stem}" if path.parent.name == HELDOUT else path.stem


def group_of(dataset: str) -> str:
    """`heldout` for held-out datasets, `learned` for the ones a brain's author may look at and learn from."""
    return HELDOUT if dataset.startswith(f"{HELDOUT}/") else "learned"


def dataset_paths(names: list[str] | None = None, directory: Path = DATASETS_DIR) -> list[Path]:
    """Dataset names or paths; every dataset, learned and held-out, when none are named.

    A name is a file stem in evals/datasets (`questions`), `heldout` (every held-out file), `learned` (every
    file outside it), `heldout/NAME` (one held-out file), or a path to a YAML file."""
    learned, heldout = sorted(directory.glob("*.yaml")), sorted((directory / HELDOUT).glob("*.yaml"))
    if not names:
        return learned + heldout
    paths: list[Path] = []
    for name in names:
        candidate = Path(name)
        if name.strip("/") == HELDOUT:
            paths.extend(heldout)
        elif name == "learned":
            paths.extend(learned)
        elif candidate.suffix in {".yaml", ".yml"} or candidate.exists():
            paths.append(candidate)
        else:
            paths.append(directory / f"{name}.yaml")
    return paths


def load_datasets(paths: list[Path]) -> LoadResult:
    """Every case from every file; errors are collected, never raised; case ids are unique across files."""
    combined = LoadResult()
    owners: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            combined.errors.append(CaseError(file=str(path), case=None, field=None, message="no such dataset file"))
            continue
        loaded = load_file(path)
        combined.errors.extend(loaded.errors)
        for case in loaded.cases:
            if case.id in owners:
                message = f"case id already used in {owners[case.id]}"
                combined.errors.append(CaseError(file=str(path), case=case.id, field="id", message=message))
                continue
            owners[case.id] = str(path)
            combined.cases.append(case)
    return combined
