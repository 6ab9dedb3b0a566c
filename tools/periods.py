"""Named periods ("this quarter", "last 30 days", "Q3 2026") turned into date ranges relative to a day.

Weeks start on Monday. Every range is inclusive at both ends. The offline brain and the analytics
tools share these helpers so a question and a tool call resolve the same words to the same days.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.crm.errors import ValidationFailed

UNITS = ("day", "week", "month", "quarter", "year")
PERIOD_HELP = (
    "today, yesterday, this/last/next week|month|quarter|year, last/next N days|weeks|months, "
    "year to date (ytd), quarter to date (qtd), Q1-Q4 [YYYY], or a month name [YYYY]"
)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip


@dataclass(frozen=True)
class Period:
    start: date | None
    """None: open-ended (only when a caller gave just an end date)"""
    end: date | None
    label: str


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return start, _add_months(start, 3) - timedelta(days=1)


def year_of(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def calendar_unit(unit: str, offset: int, today: date) -> tuple[date, date]:
    """The day, week, month, quarter or year `offset` units from the one holding `today`."""
    if unit == "day":
        day = today + timedelta(days=offset)
        return day, day
    if unit == "week":
        return week_of(today + timedelta(weeks=offset))
    if unit == "month":
        return month_of(_add_months(today.replace(day=1), offset))
    if unit == "quarter":
        return quarter_of(_add_months(today.replace(day=1), 3 * offset))
    return year_of(date(today.year + offset, 1, 1))


def _normalise(text: str) -> str:
    cleaned = re.sub(r"[_\-]+", " ", text.strip().lower())
    return re.sub(r"\s+", " ", re.sub(r"^(the|in the|during the|for the|over the)\s+", "", cleaned))


def parse_period(text: str, today: date) -> Period | None:
    """The period ``text`` names, relative to ``today``; None when it names none; ValidationFailed when
    it names days no calendar has ("Q1 0000", "last 9999 months")."""
    try:
        return _named_period(_normalise(text), today)
    except (ValueError, OverflowError) as error:
        raise ValidationFailed("period", f"{text.strip()!r} names no real dates ({error})") from error


def _named_period(phrase: str, today: date) -> Period | None:
    if phrase in ("today", "yesterday", "tomorrow"):
        day = today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[phrase])
        return Period(day, day, phrase)
    if phrase in ("ytd", "year to date", "this year to date"):
        return Period(date(today.year, 1, 1), today, "year to date")
    if phrase in ("qtd", "quarter to date", "this quarter to date"):
        return Period(quarter_of(today)[0], today, "quarter to date")
    if phrase in ("mtd", "month to date"):
        return Period(today.replace(day=1), today, "month to date")
    match = re.fullmatch(r"(this|current|last|previous|past|next|coming) (day|week|month|quarter|year)", phrase)
    if match:
        offset = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}
        start, end = calendar_unit(match.group(2), offset[match.group(1)], today)
        return Period(start, end, phrase)
    match = re.fullmatch(r"(last|past|previous|next|coming) (\d{1,4}) (day|week|month)s?", phrase)
    if match:
        count, unit = int(match.group(2)), match.group(3)
        span = {"day": timedelta(days=count), "week": timedelta(weeks=count)}.get(unit)
        if match.group(1) in ("next", "coming"):
            end = today + span if span is not None else _add_months(today, count)
            return Period(today, end, phrase)
        start = today - span if span is not None else _add_months(today, -count)
        return Period(start, today, phrase)
    match = re.fullmatch(r"q([1-4])(?: (?:of )?(\d{4}))?", phrase)
    if match:
        year = int(match.group(2) or today.year)
        start, end = quarter_of(date(year, 3 * int(match.group(1)) - 2, 1))
        return Period(start, end, f"Q{match.group(1)} {year}")
    match = re.fullmatch(r"([a-z]+)(?: (\d{4}))?", phrase)
    if match and match.group(1) in MONTHS:
        month = MONTHS.index(match.group(1)) + 1
        year = int(match.group(2)) if match.group(2) else today.year
        start, end = month_of(date(year, month, 1))
        return Period(start, end, f"{match.group(1).title()} {year}")
    return None


def require_period(text: str, today: date, field: str = "period") -> Period:
    period = parse_period(text, today)
    if period is None:
        raise ValidationFailed(field, f"unknown period {text!r}; use {PERIOD_HELP}")
    return period


def resolve_range(
    start: date | None,
    end: date | None,
    period: str | None,
    today: date,
    default: str | None = None,
) -> Period | None:
    """A range from explicit dates (which win) or a named period, else the ``default`` period, else None."""
    if start is not None or end is not None:
        if start is not None and end is not None and end < start:
            raise ValidationFailed("end", f"end {end.isoformat()} is before start {start.isoformat()}")
        label = f"{start.isoformat() if start else '...'} to {end.isoformat() if end else '...'}"
        return Period(start, end, label)
    if period:
        return require_period(period, today)
    if default:
        return require_period(default, today)
    return None
