"""What an import did: counts per record kind and outcome, rejected rows, warnings; report.json + rejected.csv."""

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OUTCOMES = ("created", "updated", "unchanged", "merged", "rejected")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    reason: str
    kind: str = ""


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    """one entry per rejected cell or rule; a row may appear more than once"""
    warnings: list[Problem] = field(default_factory=list)
    """rows kept with a change: unknown owners (assigned to the importing user), orphan links dropped"""
    merges: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    seconds: float = 0.0

    def count(self, kind: str, outcome: str, amount: int = 1) -> None:
        per_kind = self.counts.setdefault(kind, dict.fromkeys(OUTCOMES, 0))
        per_kind[outcome] += amount

    def total(self, outcome: str) -> int:
        return sum(per_kind.get(outcome, 0) for per_kind in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "seconds": round(self.seconds, 3),
            "counts": self.counts,
            "totals": {outcome: self.total(outcome) for outcome in OUTCOMES},
            "rejected": [asdict(problem) for problem in self.rejected],
            "warnings": [asdict(problem) for problem in self.warnings],
            "merges": self.merges,
            "notes": self.notes,
        }

    def write(self, directory: Path) -> tuple[Path, Path]:
        """report.json and rejected.csv (file, line, field, reason) in directory."""
        directory.mkdir(parents=True, exist_ok=True)
        report_path, rejected_path = directory / "report.json", directory / "rejected.csv"
        report_path.write_text(json.dumps(self.as_dict(), indent=2, default=str), encoding="utf-8")
        with rejected_path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["file", "line", "field", "reason"])
            writer.writerows([p.file, p.line, p.field, p.reason] for p in self.rejected)
        return report_path, rejected_path

    def summary_lines(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        lines = [f"{self.source} import{' (dry run: nothing written)' if self.dry_run else ''}: {self.rows_read} rows"]
        for kind, per_kind in self.counts.items():
            parts = ", ".join(
                f"{per_kind[outcome]} {verb if outcome != 'rejected' else ''}{outcome}" for outcome in OUTCOMES
            )
            lines.append(f"  {kind}: {parts}")
        if self.warnings:
            lines.append(f"  {len(self.warnings)} warnings (unknown owners, orphan links); see the report")
        return lines
