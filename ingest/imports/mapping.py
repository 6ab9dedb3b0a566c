"""The --map YAML file: how an export's stages, owners, fields and formats map onto Dealwise. Every source takes one.

    pipeline: Sales                   # the pipeline deals go to (default: the existing default pipeline, else
                                      # a new one named after the source); HubSpot deals name their own
    pipelines: {"Sales Pipeline": Sales}   # HubSpot pipeline -> Dealwise pipeline
    currency: PEN                     # for amounts whose row and cell name no currency (default USD, reported)
    locale: es_PE                     # how numbers and dates are written where a value alone does not say
    dates: DMY                        # or MDY / YMD: the order of all-numeric dates, when the file cannot tell
    stages:
      Negociación: Negotiation        # rename, or merge several source stages into one
      Presentación Propuesta: {name: Proposal, probability: 60, forecast: best_case}
      Ganada: {closed: true, won: true}
    owners:                           # source user id, email or name -> a Dealwise user's email
      005000000000001: rita.lopez@example.com
      "*": sales.ops@example.com      # everyone else the import cannot match (default: the importing user)
    create_users: true                # make Dealwise users of active source users with an email (default)
    fields:                           # read another column (or the first non-empty of several) for a field
      deal.amount: Importe__c
      contact.phone: [Phone, MobilePhone]

A generic CSV import adds `source`, `id` and `columns` (see ingest/imports/generic.py), or `files:` for several
files in one directory.
"""

import re
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ForecastCategory = Literal["pipeline", "best_case", "commit", "closed", "omitted"]
FIELD_KINDS = ("account", "contact", "lead", "deal", "stage_history", "activity")


def stage_key(name: str) -> str:
    """A stage or pipeline name without case, accents, spaces or punctuation: 'Negociación' ~ 'NEGOCIACION'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", plain)


class StageSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, description="the Dealwise stage it becomes (default: the same name)")
    probability: int | None = Field(default=None, ge=0, le=100)
    closed: bool | None = None
    won: bool | None = None
    forecast: ForecastCategory | None = None


class FileMapping(BaseModel):
    """One file of a generic import: which record kind it holds, its id column and its columns."""

    model_config = ConfigDict(extra="forbid")

    object: str
    id: str | None = None
    columns: dict[str, str]


class ImportMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str | None = None
    id: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    files: dict[str, FileMapping] = Field(default_factory=dict)
    pipeline: str | None = None
    pipelines: dict[str, str] = Field(default_factory=dict)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    locale: str | None = None
    dates: Literal["DMY", "MDY", "YMD"] | None = None
    stages: dict[str, str | StageSpec] = Field(default_factory=dict)
    owners: dict[str, str] = Field(default_factory=dict)
    create_users: bool = True
    fields: dict[str, str | list[str]] = Field(default_factory=dict)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return str(Locale.parse(value.replace("-", "_")))
        except (UnknownLocaleError, ValueError) as error:
            raise ValueError(f"unknown locale {value!r}; use a code like en_US, es_CO or de_DE") from error

    @field_validator("fields")
    @classmethod
    def _kind_dot_field(cls, value: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for key in value:
            kind, _, name = key.partition(".")
            if kind not in FIELD_KINDS or not name:
                raise ValueError(f"{key!r} should be kind.field, kind one of {', '.join(FIELD_KINDS)}")
        return value

    @cached_property
    def _stage_specs(self) -> dict[str, StageSpec]:
        return {stage_key(name): StageSpec(name=spec) if isinstance(spec, str) else spec
                for name, spec in self.stages.items()}  # fmt: skip

    def stage_spec(self, name: str) -> StageSpec | None:
        """The mapping for a source stage, matched without regard to case, accents or punctuation."""
        return self._stage_specs.get(stage_key(name))

    def columns_for(self, kind: str, field: str) -> tuple[str, ...]:
        """The columns the mapping names for kind.field, or () to read the source's usual columns."""
        value = self.fields.get(f"{kind}.{field}")
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)


def load_mapping(path: Path | None) -> ImportMapping:
    """The mapping in a YAML file (an empty mapping for None); ValueError names the file and the bad entry."""
    if path is None:
        return ImportMapping()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: the mapping should be a YAML mapping of settings (pipeline:, stages:, ...)")
    try:
        return ImportMapping.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'mapping'}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in error.errors()
        )
        raise ValueError(f"{path.name}: {problems}") from error
