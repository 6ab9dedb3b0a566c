"""Reading periods, amounts, stages and activity kinds out of a message, relative to the clock's today."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.crm.lexicon import MONTHS, MULTIPLIERS

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    direction: str = "any"
    """past (ended before or at today), future, or any"""


@dataclass(frozen=True)
class AmountRange:
    minimum: float | None = None
    maximum: float | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    return first, _month_end(year, 3 * quarter)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


_RELATIVE = re.compile(
    r"\b(last|past|previous|next|coming)\s+(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)?\s*"
    r"(day|week|month|quarter|year)s?\b"
)
_THIS = re.compile(r"\b(this|current|last|previous|next)\s+(week|month|quarter|year)\b")
_QUARTER = re.compile(r"\bq([1-4])(?:\s*(?:of\s*)?(\d{4}))?\b")
_MONTH_NAME = re.compile(
    r"\b(?:in|during|for|of)?\s*(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b(?:\s+(\d{4}))?"
)
_WEEKDAY = re.compile(r"\b(next|this|on|by)?\s*(" + "|".join(WEEKDAYS) + r")\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?"
)
_SINCE = re.compile(r"\b(?:since|from|starting|after)\s+(?:the\s+)?$")
_WITHIN = re.compile(r"\b(?:within|in) the next (\d+|a|two|three|four|six) (day|week|month)s?\b")


_DEADLINE = re.compile(r"\b(before|by|until|till|til|through|thru|ahead of|prior to|no later than)\s+(?:the\s+)?(.+)$")
_END_OF = re.compile(r"^(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+|this\s+)?(month|quarter|year)\b|^eo([mqy])\b")
_EOX_UNITS = {"m": "month", "q": "quarter", "y": "year"}
_HOLIDAYS: list[tuple[re.Pattern[str], int, int, str]] = [
    (re.compile(r"^(?:christmas|xmas|x-mas)\s+eve\b"), 12, 24, "Christmas Eve"),
    (re.compile(r"^(?:christmas|xmas|x-mas)\b"), 12, 25, "Christmas"),
    (re.compile(r"^new\s*year'?s?\s+eve\b"), 12, 31, "New Year's Eve"),
    (re.compile(r"^(?:the\s+)?new\s*years?'?s?(?:\s+day)?\b"), 1, 1, "New Year"),
    (re.compile(r"^halloween\b"), 10, 31, "Halloween"),
    (re.compile(r"^valentine'?s?(?:\s+day)?\b"), 2, 14, "Valentine's Day"),
]
"""fixed-date days a deadline can name: (pattern on the words after before/by/until, month, day, label)"""


def _next_on_or_after(today: date, month: int, day: int) -> date:
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _deadline(lowered: str, today: date) -> Period | None:
    """ "before christmas", "by the end of the quarter", "until Dec 15": from today up to that day."""
    m = _DEADLINE.search(lowered)
    if m is None:
        return None
    word, target = m[1], m[2]
    for pattern, month, day, label in _HOLIDAYS:
        if pattern.search(target):
            end = _next_on_or_after(today, month, day)
            return Period(today, end, f"{word} {label} ({end:%b} {end.day})", "future")
    if end_of := _END_OF.search(target):
        unit = end_of[1] or _EOX_UNITS[end_of[2]]
        end = _calendar_period("this", unit, today).end
        return Period(today, end, f"{word} the end of the {unit} ({end:%b} {end.day})", "future")
    named = None
    if _ISO.match(target) or _MONTH_DAY.match(target) or _MONTH_NAME.match(target):
        named = parse_period(target, today)
    if named is None or named.end < today:
        return None
    end = named.start - timedelta(days=1) if word in ("before", "prior to", "ahead of") else named.end
    if end < today:
        return None
    named_day = named.start if end < named.start else end
    return Period(today, end, f"{word} {named_day:%b} {named_day.day}, {named_day.year}", "future")


def parse_period(text: str, today: date) -> Period | None:
    """The first period the message names, or None."""
    lowered = text.lower()
    if deadline := _deadline(lowered, today):
        return deadline
    if m := _ISO.search(lowered):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return Period(day, day, day.isoformat())
    if m := _MONTH_DAY.search(lowered):
        month, number = MONTHS[m[1]], int(m[2])
        if _SINCE.search(lowered[: m.start()]):
            return _since_day(month, number, int(m[3]) if m[3] else None, today)
        year = int(m[3]) if m[3] else (today.year if (month, number) >= (today.month, today.day) else today.year + 1)
        try:
            day = date(year, month, number)
            return Period(day, day, day.isoformat())
        except ValueError:
            pass
    if m := _WITHIN.search(lowered):
        days = _count(m[1]) * UNIT_DAYS[m[2]]
        return Period(today, today + timedelta(days=days), f"the next {m[1]} {m[2]}s", "future")
    if m := _RELATIVE.search(lowered):
        word, amount, unit = m[1], m[2], m[3]
        if amount is not None:
            count = _count(amount)
            span = timedelta(days=count * UNIT_DAYS[unit])
            label = f"the {'last' if word in ('last', 'past', 'previous') else 'next'} {count} {unit}s"
            if unit == "month":
                shift = count if word in ("next", "coming") else -count
                other = _add_months(today, shift)
                start, end = (today, other) if shift > 0 else (other, today)
                return Period(start, end, label, "future" if shift > 0 else "past")
            if word in ("next", "coming"):
                return Period(today, today + span, label, "future")
            return Period(today - span, today, label, "past")
    if m := _THIS.search(lowered):
        return _calendar_period(m[1], m[2], today)
    if m := _QUARTER.search(lowered):
        quarter, year = int(m[1]), int(m[2]) if m[2] else today.year
        start, end = _quarter(year, quarter)
        return Period(start, end, f"Q{quarter} {year}")
    if re.search(r"\b(ytd|year to date|so far this year)\b", lowered):
        return Period(date(today.year, 1, 1), today, "this year so far", "past")
    if re.search(r"\btoday\b", lowered):
        return Period(today, today, "today")
    if re.search(r"\btomorrow\b", lowered):
        day = today + timedelta(days=1)
        return Period(day, day, "tomorrow", "future")
    if re.search(r"\byesterday\b", lowered):
        day = today - timedelta(days=1)
        return Period(day, day, "yesterday", "past")
    if m := _WEEKDAY.search(lowered):
        return _weekday(m[1], m[2], today)
    if m := _MONTH_NAME.search(lowered):
        return _named_month(m[1], m[2], lowered, today)
    return None


def _since_day(month: int, number: int, year: int | None, today: date) -> Period | None:
    """ "since Oct 1": from that day (the last one on or before today when no year is said) up to today."""
    if year is None:
        year = today.year if (month, number) <= (today.month, today.day) else today.year - 1
    try:
        start = date(year, month, number)
    except ValueError:
        return None
    if start > today:
        return None
    return Period(start, today, f"since {start:%b} {start.day}, {start.year}", "past")


def _calendar_period(word: str, unit: str, today: date) -> Period:
    shift = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}[word]
    label = f"{'this' if shift == 0 else word} {unit}"
    direction = "any" if shift == 0 else ("past" if shift < 0 else "future")
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
        return Period(monday, monday + timedelta(days=6), label, direction)
    if unit == "month":
        first = _add_months(today.replace(day=1), shift)
        return Period(first, _month_end(first.year, first.month), label, direction)
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + shift
        year, quarter = divmod(index, 4)
        start, end = _quarter(year, quarter + 1)
        return Period(start, end, label, direction)
    year = today.year + shift
    return Period(date(year, 1, 1), date(year, 12, 31), label, direction)


def _weekday(word: str | None, name: str, today: date) -> Period:
    target = WEEKDAYS[name]
    ahead = (target - today.weekday()) % 7 or 7
    day = today + timedelta(days=ahead)
    if word == "by":
        return Period(today, day, f"by {name.title()} {day:%b} {day.day}", "future")
    return Period(day, day, f"{name.title()} {day:%b} {day.day}", "future")


def _named_month(name: str, year_text: str | None, lowered: str, today: date) -> Period:
    month = MONTHS[name]
    if year_text:
        year = int(year_text)
    elif re.search(r"\b(last|since|was|were|did|closed|won|lost)\b", lowered):
        year = today.year if month <= today.month else today.year - 1
    else:
        year = today.year if month >= today.month else today.year + 1
    first = date(year, month, 1)
    if re.search(rf"\bsince\s+{name}\b", lowered):
        return Period(first, today, f"since {calendar.month_name[month]} {year}", "past")
    return Period(first, _month_end(year, month), f"{calendar.month_name[month]} {year}")


_AMOUNT = r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand|b)?\b"
_AMOUNT_MIN = re.compile(r"\b(?:over|above|more than|greater than|at least|bigger than|larger than|>=?)\s*" + _AMOUNT)
_AMOUNT_MAX = re.compile(r"\b(?:under|below|less than|smaller than|at most|up to|<=?)\s*" + _AMOUNT)
_AMOUNT_BETWEEN = re.compile(r"\bbetween\s*" + _AMOUNT + r"\s*(?:and|-|to)\s*" + _AMOUNT)
AMOUNT_WORD = re.compile(_AMOUNT, re.IGNORECASE)
_AMOUNT_ANY = re.compile(r"(?<![\w-])" + _AMOUNT.replace(r"\$?", r"(\$)?", 1), re.IGNORECASE)


def amount_value(number: str, suffix: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * MULTIPLIERS.get((suffix or "").lower(), 1)


def parse_amount_range(text: str) -> AmountRange | None:
    lowered = text.lower()
    if m := _AMOUNT_BETWEEN.search(lowered):
        return AmountRange(amount_value(m[1], m[2]), amount_value(m[3], m[4]))
    low = _AMOUNT_MIN.search(lowered)
    high = _AMOUNT_MAX.search(lowered)
    if not low and not high:
        return None
    return AmountRange(amount_value(low[1], low[2]) if low else None, amount_value(high[1], high[2]) if high else None)


def _money_said(text: str) -> list[tuple[str, str | None, bool]]:
    """(number, suffix, written as money) for each amount in the text: a $ or a k/m suffix, or four digits or more."""
    found = []
    for m in _AMOUNT_ANY.finditer(text):
        dollar, number, suffix = m[1], m[2], m[3]
        if dollar or suffix or len(number.replace(",", "")) >= 4:
            found.append((number, suffix, bool(dollar or suffix)))
    return found


def parse_money(text: str) -> float | None:
    """A single amount ("to 45k", "$1.2M", "45,000"); None if the message names none."""
    said = _money_said(text)
    return amount_value(said[0][0], said[0][1]) if said else None


def amounts_said(text: str) -> list[float]:
    """Every amount of four figures and up the text names ("the 43k one", "$43,000"); a bare year is none."""
    values = []
    for number, suffix, as_money in _money_said(text):
        bare_year = not as_money and "," not in number and 1900 <= float(number) <= 2100
        value = amount_value(number, suffix)
        if value >= 1000 and not bare_year:
            values.append(value)
    return values


def is_amount(word: str) -> bool:
    """Whether a word is an amount ("43k", "$1.5m", "45,000")."""
    return AMOUNT_WORD.fullmatch(word) is not None


def parse_limit(text: str) -> int | None:
    if m := re.search(r"\b(?:top|first|best|biggest|largest)\s+(\d{1,3}|three|five|ten)\b", text.lower()):
        return _count(m[1])
    return None


def parse_days(text: str) -> int | None:
    """A count of days ("no activity in 3 weeks", "idle for 20 days")."""
    if m := re.search(r"\b(\d+|two|three|four|six)\s*(day|week|month)s?\b", text.lower()):
        return _count(m[1]) * UNIT_DAYS[m[2]]
    return None


ACTIVITY_KINDS = {
    "call": ("call", "called", "phone", "rang", "calls"),
    "email": ("email", "emailed", "mail", "emails"),
    "meeting": ("meeting", "met", "meetings", "demo", "onsite"),
    "note": ("note", "notes"),
    "task": ("task", "tasks", "todo", "to-do", "reminder"),
}


def parse_activity_kind(text: str) -> str | None:
    words = set(re.findall(r"[a-z-]+", text.lower()))
    for kind, cues in ACTIVITY_KINDS.items():
        if words & set(cues):
            return kind
    return None


def parse_stage(text: str, stage_names: list[str]) -> str | None:
    lowered = text.lower()
    for name in sorted(stage_names, key=len, reverse=True):
        if name.lower() in lowered:
            return name
    if re.search(r"\b(won|win|wins)\b", lowered):
        return next((n for n in stage_names if n.lower() == "closed won"), None)
    if re.search(r"\b(lost|lose|losses)\b", lowered):
        return next((n for n in stage_names if n.lower() == "closed lost"), None)
    if re.search(r"\bnegotiat", lowered):
        return next((n for n in stage_names if n.lower().startswith("negotiat")), None)
    return None


QUOTED = re.compile(r"(?<![\w])[\"“‘'](?=\S)([^\"“”‘’'\n]{1,300}?)[\"”’'](?![\w])")
"""a quoted passage; an apostrophe inside a word ("Tom's", "what's") opens or closes nothing"""


def parse_quoted(text: str) -> str | None:
    if m := QUOTED.search(text):
        return m[1].strip() if len(m[1].strip()) >= 3 else None
    return None
