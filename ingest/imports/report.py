"""What an import did: counts per record kind and outcome, rejected rows, warnings, possible duplicates;
the console summary with the top reasons; report.json + rejected.csv."""

import csv
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OUTCOMES = ("created", "updated", "unchanged", "merged", "rejected")
KEPT_WITH_WARNINGS = "kept_with_warnings"
"""rows kept (created, updated, unchanged or merged) with at least one warning; counted besides their outcome"""
TOP_REASONS = 3


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    reason: str
    kind: str = ""


def reason_family(problem: Problem) -> str:
    """A reason without its row's values ('Phone: must be a phone number ...'), to count alike reasons together."""
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "…", problem.reason.split(" (got ")[0])
    reason = re.sub(r"\b(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{8,18}\b", "…", reason)
    reason = re.sub(
        r"\b(line|lines) \d+|\b\d+ (row|rows|row\(s\))\b",
        lambda m: m.group(0).replace(next(part for part in m.group(0).split() if part.isdigit()), "…"),
        reason,
    )
    return f"{problem.field}: {reason}"


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    """one entry per rejected cell or rule; a row may appear more than once"""
    warnings: list[Problem] = field(default_factory=list)
    """rows kept with a change: optional values dropped, unknown owners, links not found"""
    merges: list[dict[str, Any]] = field(default_factory=list)
    possible_duplicates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    seconds: float = 0.0
    seconds_per_kind: dict[str, float] = field(default_factory=dict)

    def count(self, kind: str, outcome: str, amount: int = 1) -> None:
        per_kind = self.counts.setdefault(kind, {**dict.fromkeys(OUTCOMES, 0), KEPT_WITH_WARNINGS: 0})
        per_kind[outcome] += amount

    def total(self, outcome: str) -> int:
        return sum(per_kind.get(outcome, 0) for per_kind in self.counts.values())

    def top_reasons(self, problems: list[Problem], kind: str, limit: int = TOP_REASONS) -> list[tuple[str, int]]:
        lines_per_family: dict[str, set[tuple[str, int]]] = {}
        for problem in problems:
            if problem.kind == kind:
                lines_per_family.setdefault(reason_family(problem), set()).add((problem.file, problem.line))
        counts = Counter({family: len(lines) for family, lines in lines_per_family.items()})
        return counts.most_common(limit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "seconds": round(self.seconds, 3),
            "seconds_per_kind": {kind: round(value, 3) for kind, value in self.seconds_per_kind.items()},
            "counts": self.counts,
            "totals": {outcome: self.total(outcome) for outcome in (*OUTCOMES, KEPT_WITH_WARNINGS)},
            "rejected": [asdict(problem) for problem in self.rejected],
            "warnings": [asdict(problem) for problem in self.warnings],
            "merges": self.merges,
            "possible_duplicates": self.possible_duplicates,
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
        """Per kind: created, updated, unchanged, merged, kept with warnings, rejected, and the top reasons."""
        verb = "would be " if self.dry_run else ""
        header = f"{self.source} import{' (dry run: nothing written)' if self.dry_run else ''}: {self.rows_read} rows"
        lines = [header]
        for kind, per_kind in self.counts.items():
            parts = [f"{per_kind[outcome]} {verb}{outcome}" for outcome in OUTCOMES[:-1]]
            parts.append(f"{per_kind[KEPT_WITH_WARNINGS]} kept with warnings")
            parts.append(f"{per_kind['rejected']} rejected")
            lines.append(f"  {kind}: {', '.join(parts)}")
            for label, problems in (("rejected", self.rejected), ("warning", self.warnings)):
                for family, count in self.top_reasons(problems, kind):
                    lines.append(f"      {label}: {family}  ({count} row{'s' if count != 1 else ''})")
        if self.possible_duplicates:
            lines.append(f"  {len(self.possible_duplicates)} possible duplicates not merged (distinct source ids); "
                         "see the report")  # fmt: skip
        lines += [f"  note: {note}" for note in self.notes]
        return lines
