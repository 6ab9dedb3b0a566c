"""Run cases against the assistant: each trial on a fresh copy of the demo database, on a fixed clock.

The runner knows nothing about which brain answers: it builds the assistant with the factory it is
given (by default `evals.usage.default_factory`) from settings that name the brain. The records it
fills are in evals/run_types.py, the databases in evals/database.py, the per-trial checks in
evals/trial_checks.py.
"""

import shutil
import sqlite3
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from assistant.crm.clock import Clock
from assistant.crm.db import _sqlite_pragmas
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Channel, User
from assistant.crm.principal import Principal, principal_for
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.settings import Settings
from evals.cases import Case
from evals.checks import check_turn
from evals.database import WATCHED_TABLES, WRITE_AUDIT_ACTIONS, build_template, database_digest
from evals.facts import QueryContext, evaluate
from evals.run_types import Brain, CaseResult, RunConfig, RunResult, Trial, TurnRecord
from evals.trial_checks import WRITE_TOOLS, NameCache, final_checks, generic_checks
from evals.usage import UsageCounter, default_factory, turn_usage
from ingest.indexing import release_retriever

__all__ = [
    "WATCHED_TABLES",
    "WRITE_AUDIT_ACTIONS",
    "WRITE_TOOLS",
    "AssistantFactory",
    "Brain",
    "CaseResult",
    "RunConfig",
    "RunResult",
    "Runner",
    "Trial",
    "TurnRecord",
    "UsageCounter",
    "build_template",
    "database_digest",
    "default_factory",
]

AssistantFactory = Callable[[Settings, sessionmaker[Session], Clock], Any]


class Runner:
    """Runs cases one trial at a time; a failing or crashing case never stops the others."""

    def __init__(self, config: RunConfig, factory: AssistantFactory | None = None) -> None:
        self.config = config
        self.factory = factory or default_factory
        self.clock = Clock.fixed(config.now)
        self._own_workdir = config.workdir is None
        self.workdir = config.workdir or Path(tempfile.mkdtemp(prefix="dealwise-eval-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.template = config.template or build_template(self.workdir, config.seed, config.today, config.size)
        self._counter = 0
        self._current_database = self.template
        self._engine = self._switching_engine()
        self._names: NameCache = {}

    def _switching_engine(self) -> Engine:
        """One engine for every trial, connecting to the current trial's copy: SQL compiles once per run."""

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(self._current_database, check_same_thread=False, timeout=30)

        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine

    def close(self) -> None:
        self._engine.dispose()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def settings_for(self, url: str, data_dir: Path) -> Settings:
        values: dict[str, Any] = {
            "database_url": url,
            "data_dir": data_dir,
            "llm_base_url": None,
            "llm_model": None,
            "llm_api_key": None,
            "run_worker": False,
            **self.config.extra_settings,
        }
        if self.config.brain == "llm":
            values.update(
                llm_base_url=self.config.llm_base_url,
                llm_model=self.config.llm_model,
                llm_api_key=self.config.llm_api_key or "not-needed",
            )
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    def run(
        self, cases: list[Case], progress: Callable[[CaseResult], None] | None = None, name: str | None = None
    ) -> RunResult:
        started = time.perf_counter()
        result = RunResult(
            name=name or datetime.now(UTC).strftime("%Y%m%d-%H%M%S"),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            brain=self.config.brain,
            model=self.config.llm_model if self.config.brain == "llm" else "offline rules",
            datasets=sorted({case.dataset for case in cases}),
            repeat=self.config.repeat,
            seed=self.config.seed,
            now=self.config.now.isoformat(),
        )
        for case in cases:
            case_result = self.run_case(case)
            result.cases.append(case_result)
            for trial in case_result.trials:
                for key, value in trial.tokens.items():
                    result.tokens[key] = result.tokens.get(key, 0) + value
            if progress:
                progress(case_result)
        result.duration_s = round(time.perf_counter() - started, 2)
        return result

    def run_case(self, case: Case) -> CaseResult:
        result = CaseResult(
            id=case.id,
            category=case.category,
            dataset=case.dataset,
            source=case.source,
            user=case.user,
            channel=case.channel,
            description=case.description,
            tags=case.tags,
        )
        for _ in range(max(1, self.config.repeat)):
            result.trials.append(self.run_trial(case))
        return result

    def run_trial(self, case: Case) -> Trial:
        self._counter += 1
        trial_dir = self.workdir / f"trial-{self._counter}"
        trial_dir.mkdir(parents=True, exist_ok=True)
        database = trial_dir / "dealwise.db"
        shutil.copyfile(self.template, database)
        self._current_database = database
        try:
            return self._trial(case, self._engine, self.settings_for(f"sqlite:///{database}", trial_dir / "data"))
        finally:
            self._engine.dispose()
            release_retriever(trial_dir / "data")
            shutil.rmtree(trial_dir, ignore_errors=True)

    def _trial(self, case: Case, engine: Engine, settings: Settings) -> Trial:
        sessions = sessionmaker(engine, expire_on_commit=False)
        trial = Trial(passed=False)
        with sessions() as session:
            user = session.scalars(select(User).where(User.email == case.user)).first()
            if user is None:
                trial.error = f"error: no user {case.user!r} in the demo data"
                return trial
            principal = principal_for(session, user, Channel(case.channel))
            context = QueryContext(session, principal, self.config.today)
            before_digest = database_digest(session)
            before_state = [evaluate(check, context) if check.delta is not None else None for check in case.state]
        try:
            assistant = self.factory(settings, sessions, self.clock)
            self._converse(case, assistant, principal, sessions, trial)
        except Exception as error:  # noqa: BLE001 - a crash is this case's failure, never the run's
            trial.error = f"error: {type(error).__name__}: {error}\n" + "".join(traceback.format_exc(limit=-4))
        with sessions() as session:
            context = QueryContext(session, principal, self.config.today)
            trial.checks.extend(final_checks(case, context, before_digest, before_state, trial.checks))
        trial.passed = trial.error is None and all(check.passed for check in trial.checks)
        return trial

    def _converse(
        self,
        case: Case,
        assistant: Any,
        principal: Principal,
        sessions: sessionmaker[Session],
        trial: Trial,
    ) -> None:
        thread_id: str | None = None
        pending_id: str | None = None
        for turn in case.turns:
            started = time.perf_counter()
            action = "ask" if turn.ask is not None else "confirm" if turn.confirm else "cancel"
            message = turn.ask or ""
            response = self._turn(assistant, principal, turn, thread_id, pending_id)
            latency = (time.perf_counter() - started) * 1000
            thread_id = response.thread_id or thread_id
            if action == "ask":
                pending_id = response.pending_action.id if response.pending_action else None
            record = TurnRecord(
                action=action,
                message=message,
                answer=response.answer,
                tool_calls=[call.model_dump() for call in response.tool_calls],
                records=[ref.model_dump() for ref in response.records],
                pending_action=response.pending_action.model_dump() if response.pending_action else None,
                grounded=response.grounded,
                latency_ms=round(latency, 2),
                tokens=turn_usage(assistant),
                diagnostics=response.diagnostics,
            )
            with sessions() as session:
                context = QueryContext(session, principal, self.config.today)
                record.checks = check_turn(turn.expect, response, context, message)
                record.checks.extend(generic_checks(case, response, context, message, self._names))
            trial.turns.append(record)
            trial.checks.extend(record.checks)
            for key, value in record.tokens.items():
                trial.tokens[key] = trial.tokens.get(key, 0) + value

    @staticmethod
    def _turn(
        assistant: Any, principal: Principal, turn: Any, thread_id: str | None, pending_id: str | None
    ) -> ChatResponse:
        """One call on the assistant; a refusal it raises (not found, invalid) is its answer, as a channel shows it."""
        try:
            if turn.ask is not None:
                return assistant.ask(principal, turn.ask, thread_id=thread_id)
            if thread_id is None:
                raise RuntimeError("confirm/cancel before any message: the case must ask first")
            if turn.confirm:
                return assistant.confirm(principal, thread_id, action_id=pending_id)
            return assistant.cancel(principal, thread_id, action_id=pending_id)
        except DealwiseError as error:
            return ChatResponse(answer=f"{type(error).__name__}: {error}", thread_id=thread_id or "")
