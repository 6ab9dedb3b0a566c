"""Named periods resolve to the calendar ranges a sales person means."""

from datetime import date

import pytest

from assistant.crm.errors import ValidationFailed
from tools.periods import parse_period, require_period, resolve_range

TODAY = date(2026, 11, 20)  # a Friday in Q4


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("this week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last_week", date(2026, 11, 9), date(2026, 11, 15)),
        ("next month", date(2026, 12, 1), date(2026, 12, 31)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("last quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("next quarter", date(2027, 1, 1), date(2027, 3, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("last 30 days", date(2026, 10, 21), TODAY),
        ("past 2 weeks", date(2026, 11, 6), TODAY),
        ("next 7 days", TODAY, date(2026, 11, 27)),
        ("last 3 months", date(2026, 8, 20), TODAY),
        ("ytd", date(2026, 1, 1), TODAY),
        ("Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("q1 2025", date(2025, 1, 1), date(2025, 3, 31)),
        ("February", date(2026, 2, 1), date(2026, 2, 28)),
        ("yesterday", date(2026, 11, 19), date(2026, 11, 19)),
    ],
)
def test_named_periods(text: str, start: date, end: date) -> None:
    period = parse_period(text, TODAY)
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_unknown_period_names_the_accepted_forms() -> None:
    assert parse_period("whenever", TODAY) is None
    with pytest.raises(ValidationFailed, match="unknown period 'whenever'"):
        require_period("whenever", TODAY)


def test_explicit_dates_win_over_names_and_defaults_apply() -> None:
    period = resolve_range(date(2026, 1, 1), None, "last month", TODAY)
    assert period is not None and (period.start, period.end) == (date(2026, 1, 1), None)
    fallback = resolve_range(None, None, None, TODAY, "this quarter")
    assert fallback is not None and fallback.start == date(2026, 10, 1)
    assert resolve_range(None, None, None, TODAY) is None
