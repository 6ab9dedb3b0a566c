"""The stage catalogue of an import: which pipeline and stage each source stage becomes, creating what is missing.

Before any deal is written, every stage the export names is collected with the flags its rows carry
(Salesforce: IsClosed, IsWon, Probability, ForecastCategory; HubSpot: its known stages or "Is Closed Won").
Then each source stage, after the mapping's renames (`stages:` in the --map file), becomes:

1. the stage of that name in the pipeline (case, accents and punctuation ignored);
2. for a pipeline that existed before this import, the stage the default synonyms name (Salesforce's
   "Needs Analysis" -> Qualification, "Proposal/Price Quote" -> Proposal, HubSpot's contractsent ->
   Negotiation, ...) when the pipeline has it;
3. otherwise a new stage in the pipeline, with the mapping's flags, else the flags most of its rows carry,
   else those its name says (won/ganada, lost/perdida), and is reported. Open stages are ordered by
   probability, then closed won, then closed lost.

Deals go to the pipeline the mapping names (`pipeline:`, or `pipelines:` for HubSpot's pipeline names), else
the pipeline the row names, else the default pipeline; with no pipeline at all, one named after the source
is created and made the default.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Pipeline, Stage
from ingest.imports.mapping import StageSpec, stage_key
from ingest.imports.readers import parse_bool
from ingest.imports.records import Export, Row

DEFAULT_SYNONYMS = {
    "Needs Analysis": "Qualification",
    "Value Proposition": "Qualification",
    "Id. Decision Makers": "Qualification",
    "Perception Analysis": "Proposal",
    "Proposal/Price Quote": "Proposal",
    "Negotiation/Review": "Negotiation",
    "Appointment Scheduled": "Prospecting",
    "Qualified To Buy": "Qualification",
    "Presentation Scheduled": "Proposal",
    "Decision Maker Bought-In": "Negotiation",
    "Contract Sent": "Negotiation",
}
"""Source stages that match a stage of a pipeline Dealwise already had (the demo's, or one set up by hand)."""
FORECASTS = {"pipeline": "pipeline", "bestcase": "best_case", "forecast": "commit", "commit": "commit",
             "closed": "closed", "omitted": "omitted"}  # fmt: skip
WON_WORDS = ("won", "ganad", "ganho", "gagn", "gewonnen", "vinto")
LOST_WORDS = ("lost", "perdid", "perdu", "verloren", "perso")
Audit = Callable[[str, int, dict[str, object]], None]


@dataclass
class Observed:
    """What the rows say about one stage."""

    name: str
    order: int
    closed: Counter[bool] = field(default_factory=Counter)
    won: Counter[bool] = field(default_factory=Counter)
    probability: Counter[int] = field(default_factory=Counter)
    forecast: Counter[str] = field(default_factory=Counter)


def _mode(counts: Counter) -> object | None:  # type: ignore[type-arg]
    return counts.most_common(1)[0][0] if counts else None


class StageCatalog:
    def __init__(self, session: Session, export: Export, audit: Audit) -> None:
        self.session, self.mapping, self.audit = session, export.mapping, audit
        self.default_name = export.default_pipeline or export.source.title()
        self.pipelines = {stage_key(p.name): p for p in session.scalars(select(Pipeline).order_by(Pipeline.id))}
        self.preexisting = {p.id for p in self.pipelines.values()}
        self.stages: dict[int, dict[str, Stage]] = {}
        for stage in session.scalars(select(Stage)):
            self.stages.setdefault(stage.pipeline_id, {})[stage_key(stage.name)] = stage
        self.observed: dict[str, dict[str, Observed]] = {}
        self.created: list[str] = []
        self.new_pipelines: list[str] = []

    # collecting

    def pipeline_name(self, row_pipeline: str | None) -> str:
        """The Dealwise pipeline name for a row's pipeline ('' means the default pipeline)."""
        if row_pipeline:
            for source, target in self.mapping.pipelines.items():
                if stage_key(source) == stage_key(row_pipeline):
                    return target
        return self.mapping.pipeline or row_pipeline or ""

    def target_name(self, source_stage: str) -> tuple[str, StageSpec | None]:
        spec = self.mapping.stage_spec(source_stage)
        return (spec.name if spec and spec.name else source_stage), spec

    def observe(self, row: Row) -> None:
        source_stage = row.fields.get("stage")
        if not source_stage:
            return
        target, _ = self.target_name(source_stage)
        per_pipeline = self.observed.setdefault(self.pipeline_name(row.fields.get("pipeline")), {})
        seen = per_pipeline.setdefault(stage_key(target), Observed(target, len(per_pipeline)))
        closed, won = parse_bool(row.fields.get("stage_closed") or ""), parse_bool(row.fields.get("stage_won") or "")
        if closed is not None:
            seen.closed[closed] += 1
        if won is not None:
            seen.won[won] += 1
        probability = _percent(row.fields.get("stage_probability"))
        if probability is not None:
            seen.probability[probability] += 1
        forecast = FORECASTS.get(stage_key(row.fields.get("stage_forecast") or ""))
        if forecast:
            seen.forecast[forecast] += 1

    # creating

    def prepare(self) -> None:
        """Create the pipelines and stages the observed rows need, in a stable order."""
        for pipeline_name, observed in self.observed.items():
            pipeline = self._pipeline(pipeline_name)
            existing = self.stages.setdefault(pipeline.id, {})
            missing = [seen for key, seen in observed.items() if self._existing(pipeline, key) is None]
            specs = sorted((self._flags(seen) for seen in missing), key=_position_key)
            position = max((stage.position for stage in existing.values()), default=-1) + 1
            for offset, (name, probability, closed, won, forecast, _) in enumerate(specs):
                stage = Stage(pipeline_id=pipeline.id, name=name, position=position + offset, probability=probability,
                              is_closed=closed, is_won=won, forecast_category=forecast)  # fmt: skip
                self.session.add(stage)
                self.session.flush()
                existing[stage_key(name)] = stage
                flags = "closed won" if won else "closed lost" if closed else "open"
                self.created.append(f"{name} ({flags}, {probability}%, {forecast}) in {pipeline.name}")
                self.audit(
                    "stage",
                    stage.id,
                    {
                        "name": name,
                        "pipeline_id": pipeline.id,
                        "probability": probability,
                        "is_closed": closed,
                        "is_won": won,
                        "forecast_category": forecast,
                    },
                )

    def _pipeline(self, name: str) -> Pipeline:
        if name:
            found = self.pipelines.get(stage_key(name))
            if found is not None:
                return found
        else:
            default = next((p for p in self.pipelines.values() if p.is_default), None)
            default = default or next(iter(self.pipelines.values()), None)
            if default is not None:
                return default
        pipeline = Pipeline(name=name or self.default_name, is_default=not self.pipelines)
        self.session.add(pipeline)
        self.session.flush()
        self.pipelines[stage_key(pipeline.name)] = pipeline
        self.new_pipelines.append(pipeline.name)
        self.audit("pipeline", pipeline.id, {"name": pipeline.name, "is_default": pipeline.is_default})
        return pipeline

    def _existing(self, pipeline: Pipeline, key: str) -> Stage | None:
        stages = self.stages.get(pipeline.id, {})
        if key in stages:
            return stages[key]
        if pipeline.id in self.preexisting:
            synonym = next((t for s, t in DEFAULT_SYNONYMS.items() if stage_key(s) == key), None)
            if synonym is not None:
                return stages.get(stage_key(synonym))
        return None

    def _flags(self, seen: Observed) -> tuple[str, int, bool, bool, str, int]:
        _, spec = self.target_name(seen.name)
        key = stage_key(seen.name)
        won_word = any(word in key for word in WON_WORDS)
        lost_word = any(word in key for word in LOST_WORDS)
        closed = _first(spec.closed if spec else None, _mode(seen.closed), won_word or lost_word)
        won = bool(closed) and bool(_first(spec.won if spec else None, _mode(seen.won), won_word and not lost_word))
        probability = _first(spec.probability if spec else None, _mode(seen.probability), 100 if won else 0)
        default_forecast = ("closed" if won else "omitted") if closed else "pipeline"
        forecast = _first(spec.forecast if spec else None, _mode(seen.forecast), default_forecast)
        return seen.name, int(probability), bool(closed), won, str(forecast), seen.order  # type: ignore[arg-type]

    # resolving

    def resolve(self, row_pipeline: str | None, source_stage: str) -> Stage:
        """The stage for a row (after prepare); ValueError when the stage is not known."""
        pipeline = self._pipeline(self.pipeline_name(row_pipeline))
        return self.resolve_in(pipeline.id, source_stage)

    def resolve_in(self, pipeline_id: int, source_stage: str) -> Stage:
        target, _ = self.target_name(source_stage)
        pipeline = next(p for p in self.pipelines.values() if p.id == pipeline_id)
        stage = self._existing(pipeline, stage_key(target))
        if stage is None:
            raise ValueError(f"stage {source_stage!r} is not in pipeline {pipeline.name!r}")
        return stage


def _first(*values: object) -> object:
    return next((value for value in values if value is not None), None)


def _percent(value: object) -> int | None:
    text = str(value or "").strip().rstrip("%").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    if 0 < number <= 1 and "." in text:
        number *= 100
    return round(number) if 0 <= number <= 100 else None


def _position_key(flags: tuple[str, int, bool, bool, str, int]) -> tuple[int, int, int]:
    _, probability, closed, won, _, order = flags
    return (2 if closed and not won else 1 if closed else 0, probability if not closed else 0, order)
