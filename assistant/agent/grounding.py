"""The grounding check: every number, amount, date and record name in an answer must come from a tool.

Evidence is the JSON of the turn's tool results plus the person's own message. Amounts are compared
as values (1,200,000 = 1.2M = $1.2M), allowing the rounding the answer's precision implies; dates
match in ISO form or as "Nov 20" / "November 20, 2026"; record names are checked against the names
the CRM holds, so a name from outside the turn's results (another team's deal) is a violation too.
"""

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.crm.lexicon import MONTHS, MULTIPLIERS

log = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?\b")
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_WORDS})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ \t]+(\d{{4}}))?\b", re.IGNORECASE
)
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ \t]+({_MONTH_WORDS})\.?(?:,?[ \t]+(\d{{4}}))?\b", re.IGNORECASE
)
"""a date is written on one line: "June 2026: 6" above "May 2026 is higher" is no 6 May 2026"""
_NUMBER = re.compile(
    r"(?<![\w.])(\$|USD\s?|€|£)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|K|M|MM|m|million|thousand|bn|B)?(%)?(?![\w])"
)
SMALL_INTEGER_LIMIT = 10


@dataclass
class Violation:
    kind: str
    """number, date or name"""
    text: str


@dataclass
class GroundingResult:
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass
class Evidence:
    numbers: set[float] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    month_days: set[tuple[int, int]] = field(default_factory=set)
    """dates written without a year ("Thursday, December 3" in the person's message)"""
    text: str = ""


def _walk_numbers(value: Any, into: set[float]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        into.add(float(value))
        into.add(abs(float(value)))  # a negative difference is stated as "X less" / "X behind"
    elif isinstance(value, dict):
        for item in value.values():
            _walk_numbers(item, into)
    elif isinstance(value, list):
        into.add(float(len(value)))
        for item in value:
            _walk_numbers(item, into)
    elif isinstance(value, str):
        for match in _NUMBER.finditer(value):
            into.add(_value(match))


def _value(match: re.Match[str]) -> float:
    number = float(match[2].replace(",", "") + (match[3] or ""))
    suffix = (match[4] or "").lower()
    return number * MULTIPLIERS.get(suffix if suffix != "bn" else "b", 1)


def _dates_in(text: str) -> list[tuple[re.Match[str], date | tuple[int, int, int | None]]]:
    found: list[tuple[re.Match[str], date | tuple[int, int, int | None]]] = []
    for m in _ISO_DATE.finditer(text):
        try:
            found.append((m, date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            continue
    for m in _MONTH_DAY.finditer(text):
        found.append((m, (MONTHS[m[1].lower()], int(m[2]), int(m[3]) if m[3] else None)))
    for m in _DAY_MONTH.finditer(text):
        found.append((m, (MONTHS[m[2].lower()], int(m[1]), int(m[3]) if m[3] else None)))
    return found


def build_evidence(results: Iterable[Any], message: str = "") -> Evidence:
    """Evidence from tool results (pydantic models or plain data) and the person's message."""
    evidence = Evidence()
    chunks: list[str] = [message]
    for result in results:
        data = result.model_dump(mode="json") if hasattr(result, "model_dump") else result
        _walk_numbers(data, evidence.numbers)
        chunks.append(json.dumps(data, default=str))
    evidence.text = "\n".join(chunks)
    for _, found in _dates_in(evidence.text):
        if isinstance(found, date):
            evidence.dates.add(found)
            evidence.numbers.add(float(found.year))
        elif found[2] is None:
            evidence.month_days.add((found[0], found[1]))
    _walk_numbers(message, evidence.numbers)
    return evidence


def _number_ok(match: re.Match[str], numbers: set[float]) -> bool:
    value = _value(match)
    if match[5] is None and not match[1] and not match[4] and not match[3] and value <= SMALL_INTEGER_LIMIT:
        return True
    decimals = len(match[3]) - 1 if match[3] else 0
    unit = MULTIPLIERS.get((match[4] or "").lower().replace("bn", "b"), 1)
    tolerance = 0.5 * unit / (10**decimals) if (match[4] or decimals) else 0.5
    candidates = [value]
    if match[5]:
        candidates.append(value / 100)
    for candidate in candidates:
        tol = tolerance / 100 if candidate != value else tolerance
        if any(abs(candidate - known) <= tol + 1e-9 for known in numbers):
            return True
    return False


def _date_ok(found: date | tuple[int, int, int | None], evidence: Evidence) -> bool:
    if isinstance(found, date):
        return found in evidence.dates
    month, day, year = found
    if year is None and (month, day) in evidence.month_days:
        return True
    return any(d.month == month and d.day == day and (year is None or d.year == year) for d in evidence.dates)


def check(answer: str, evidence: Evidence, known_names: Iterable[str] = ()) -> GroundingResult:
    """Violations in `answer`: figures, dates and CRM record names the evidence does not hold."""
    result = GroundingResult()
    remaining = answer
    for match, found in _dates_in(answer):
        if not _date_ok(found, evidence):
            result.violations.append(Violation("date", match[0]))
        remaining = remaining.replace(match[0], " ")
    for match in _NUMBER.finditer(remaining):
        if not _number_ok(match, evidence.numbers):
            result.violations.append(Violation("number", match[0].strip()))
    haystack = evidence.text.lower()
    lowered = answer.lower()
    for name in known_names:
        key = name.lower()
        if len(key) >= 4 and key in lowered and key not in haystack and key.replace('"', '\\"') not in haystack:
            result.violations.append(Violation("name", name))
    if result.violations:
        log.warning("grounding violations: %s", [(v.kind, v.text) for v in result.violations])
    return result
