"""How a fact's value shows in an answer: numbers within the precision written, dates in common forms,
strings case-insensitively, lists all (or any)."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])[-+]?\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|m|bn|b|%)?(?![\w])", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "%": 1.0, "": 1.0}
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def numbers_in(text: str) -> list[tuple[float, float]]:
    """Each number written in the text with its precision: '$1.2M' -> (1_200_000, 50_000)."""
    found = []
    for match in _NUMBER.finditer(text):
        whole, fraction, suffix = match.group(1), match.group(2) or "", (match.group(3) or "").lower()
        scale = _SCALE[suffix]
        value = float(whole.replace(",", "") + fraction) * scale
        unit = 10 ** -(len(fraction) - 1) if fraction else 1.0
        found.append((value, unit * scale / 2))
    return found


def _date_forms(day: date) -> list[str]:
    month, short = day.strftime("%B"), day.strftime("%b")
    return [
        day.isoformat(),
        f"{month} {day.day}",
        f"{short} {day.day}",
        f"{day.day} {month}",
        f"{day.day} {short}",
        f"{day.month}/{day.day}/{day.year}",
    ]


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").lower().split())


def appears(value: Any, text: str, match: str = "all") -> bool:
    """Whether a fact's value is stated in the text (numbers within the precision they are written with)."""
    if isinstance(value, list):
        if not value:
            return True
        results = [appears(item, text) for item in value]
        return all(results) if match == "all" else any(results)
    if value is None:
        return False
    if isinstance(value, bool):
        return str(value).lower() in normalise(text)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        lowered = normalise(text)
        return any(form.lower() in lowered for form in _date_forms(value))
    if isinstance(value, int | float | Decimal):
        target = float(value)
        if target.is_integer() and 0 <= target < len(_WORDS) and re.search(rf"\b{_WORDS[int(target)]}\b", text, re.I):
            return True
        return any(
            abs(number - target) <= tolerance + 1e-9 * max(1.0, abs(target)) for number, tolerance in numbers_in(text)
        )
    return normalise(str(value)) in normalise(text)
