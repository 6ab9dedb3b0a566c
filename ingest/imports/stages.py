"""Deal stages of other CRMs mapped onto the stages of Dealwise's default pipeline.

Unknown stages are rejected, never created silently. The defaults:

| source stage                                   | Dealwise stage |
|------------------------------------------------|----------------|
| Prospecting                                    | Prospecting    |
| Qualification, Needs Analysis, Value Proposition, Id. Decision Makers | Qualification |
| Proposal/Price Quote, Perception Analysis      | Proposal       |
| Negotiation/Review                             | Negotiation    |
| Closed Won / Closed Lost                       | Closed Won / Closed Lost |
| HubSpot appointmentscheduled                   | Prospecting    |
| HubSpot qualifiedtobuy                         | Qualification  |
| HubSpot presentationscheduled                  | Proposal       |
| HubSpot decisionmakerboughtin, contractsent    | Negotiation    |
| HubSpot closedwon / closedlost                 | Closed Won / Closed Lost |

A stage already named like a stage of the default pipeline maps to it. The generic CSV mapping file
may add more (`stages: {"Demo booked": Proposal}`).
"""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Stage
from assistant.crm.services.deals import default_pipeline

DEFAULT_STAGE_MAP = {
    "Prospecting": "Prospecting",
    "Qualification": "Qualification",
    "Needs Analysis": "Qualification",
    "Value Proposition": "Qualification",
    "Id. Decision Makers": "Qualification",
    "Perception Analysis": "Proposal",
    "Proposal/Price Quote": "Proposal",
    "Negotiation/Review": "Negotiation",
    "Closed Won": "Closed Won",
    "Closed Lost": "Closed Lost",
    "appointmentscheduled": "Prospecting",
    "qualifiedtobuy": "Qualification",
    "presentationscheduled": "Proposal",
    "decisionmakerboughtin": "Negotiation",
    "contractsent": "Negotiation",
    "closedwon": "Closed Won",
    "closedlost": "Closed Lost",
}


def stage_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


class StageMapper:
    """Source stage name -> a Stage of the default pipeline, or a reason it cannot be mapped."""

    def __init__(self, session: Session, extra: dict[str, str] | None = None) -> None:
        self._session = session
        self._mapping = {stage_key(k): v for k, v in {**DEFAULT_STAGE_MAP, **(extra or {})}.items()}
        self._stages: dict[str, Stage] | None = None
        self.pipeline_id: int | None = None

    def _load(self) -> dict[str, Stage]:
        if self._stages is None:
            pipeline = default_pipeline(self._session)
            self.pipeline_id = pipeline.id
            stages = self._session.scalars(select(Stage).where(Stage.pipeline_id == pipeline.id)).all()
            self._stages = {stage_key(stage.name): stage for stage in stages}
        return self._stages

    def resolve(self, name: str) -> Stage:
        """The stage, or ValueError naming the stage and what is accepted."""
        stages = self._load()
        key = stage_key(name)
        if key in stages:
            return stages[key]
        target = self._mapping.get(key)
        if target is None:
            known = ", ".join(sorted({stage.name for stage in stages.values()}))
            raise ValueError(f"unknown stage {name!r}: not in the stage mapping nor the default pipeline ({known})")
        stage = stages.get(stage_key(target))
        if stage is None:
            raise ValueError(f"stage {name!r} maps to {target!r}, which the default pipeline does not have")
        return stage
