"""Evaluation runs started from the admin page: the datasets to choose from, one run at a time in a
background thread, and its progress (cases done, passed) for the page that waits for the report."""

import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from assistant.crm.settings import Settings
from evals.cases import DATASETS_DIR, HELDOUT, load_file
from evals.runner import CaseResult
from evals.service import EvalSetupError, new_report_name, reports_dir, run_evaluation

RunStatus = Literal["running", "done", "failed"]


@dataclass(frozen=True)
class Dataset:
    name: str
    """as `dealwise eval run` takes it: `questions`, or `heldout/periods` for a held-out file"""
    cases: int
    heldout: bool


@cache
def _case_count(path: Path, modified_ns: int) -> int:
    """Cases that load from the file as it was at `modified_ns` (parsing all datasets takes seconds)."""
    return len(load_file(path).cases)


def available_datasets(directory: Path = DATASETS_DIR) -> list[Dataset]:
    """The datasets on disk, learned first, then held-out, each with its number of cases."""
    found = [(path, False) for path in sorted(directory.glob("*.yaml"))]
    found += [(path, True) for path in sorted((directory / HELDOUT).glob("*.yaml"))]
    return [
        Dataset(f"{HELDOUT}/{path.stem}" if heldout else path.stem, _case_count(path, path.stat().st_mtime_ns), heldout)
        for path, heldout in found
    ]


def chosen_datasets(requested: list[str], known: list[Dataset]) -> list[str] | None:
    """Form values (checkboxes, or one comma/space separated field) checked against the datasets on disk.

    None means every dataset. `learned` and `heldout` stand for their whole group; a path to a YAML
    file on the server is taken as `dealwise eval run` takes it."""
    names = [part for value in requested for part in value.replace(",", " ").split()]
    groups = {"learned": [d.name for d in known if not d.heldout], HELDOUT: [d.name for d in known if d.heldout]}
    by_name = {d.name for d in known}
    unknown = [name for name in names if name not in by_name and name not in groups and not _yaml_file(name)]
    if unknown:
        raise EvalSetupError(
            f"no dataset named {', '.join(unknown)}; choose from {', '.join(sorted(by_name))} (or learned, heldout)"
        )
    chosen: list[str] = []
    for name in names:
        for member in groups.get(name, [name]):
            if member not in chosen:
                chosen.append(member)
    return chosen or None


def _yaml_file(name: str) -> bool:
    path = Path(name)
    return path.suffix in (".yaml", ".yml") and path.is_file()


@dataclass
class EvalRun:
    name: str
    brain: str
    datasets: list[str] | None
    status: RunStatus = "running"
    total: int | None = None
    """cases to run; None until they are loaded"""
    done: int = 0
    passed: int = 0
    error: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "brain": self.brain,
            "datasets": self.datasets or "all",
            "total": self.total,
            "done": self.done,
            "passed": self.passed,
            "error": self.error,
            "report": f"/admin/evals/{self.name}",
        }


class RunInProgress(Exception):
    def __init__(self, run: EvalRun) -> None:
        super().__init__(f"an evaluation is already running ({run.name}); wait for it to finish")
        self.run = run


@dataclass
class EvalRuns:
    """This server's runs, newest last. One runs at a time: each case builds its own demo database."""

    runs: dict[str, EvalRun] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, name: str) -> EvalRun | None:
        return self.runs.get(name)

    def recent(self) -> list[EvalRun]:
        return list(reversed(self.runs.values()))

    def start(self, settings: Settings, brain: str, datasets: list[str] | None, repeat: int) -> EvalRun:
        with self.lock:
            running = next((run for run in self.runs.values() if run.status == "running"), None)
            if running is not None:
                raise RunInProgress(running)
            run = EvalRun(name=new_report_name(brain), brain=brain, datasets=datasets)
            self.runs[run.name] = run
        threading.Thread(target=self._work, args=(run, settings, repeat), name=f"eval-{run.name}", daemon=True).start()
        return run

    @staticmethod
    def _work(run: EvalRun, settings: Settings, repeat: int) -> None:
        def started(total: int) -> None:
            run.total = total

        def progressed(result: CaseResult) -> None:
            run.done += 1
            run.passed += int(result.passed)

        try:
            run_evaluation(
                settings,
                run.datasets,
                run.brain,  # type: ignore[arg-type]
                repeat,
                progress=progressed,
                on_start=started,
                name=run.name,
            )
            run.status = "done"
        except EvalSetupError as error:
            run.error, run.status = str(error), "failed"
        except Exception as error:  # noqa: BLE001 - shown on the run's page, never lost
            run.error, run.status = f"{type(error).__name__}: {error}", "failed"


def report_exists(settings: Settings, name: str) -> bool:
    return (reports_dir(settings) / name / "report.html").is_file()
