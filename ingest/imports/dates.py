"""Dates and times as exports write them, read without guessing the order of day and month.

ISO 8601 (with or without a time and an offset, converted to UTC), epoch milliseconds (HubSpot's API
dumps), all-numeric dates with '/', '.' or '-' ('12/31/2026', '31.12.2026', '01-14-2020', two-digit years
too), and dates that spell the month ('14-Jan-2020', '14 de enero de 2026', read with dateparser).

'03/04/2026' could be 3 April or 4 March. It is read in the order the mapping names (`dates: DMY`), else
in the order other dates of the same columns prove ('25/12/2026' can only be day first), else in the
order of the mapping's locale (babel's short date pattern), and otherwise reported as ambiguous.
A value that can be read one way only ('25/12/2026', '05/05/2026') is always read that way.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from babel.dates import get_date_format

from ingest.imports.numbers import ParseError

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s?[Mm]\.?)?)?$"
)
_EPOCH_MS = re.compile(r"^\d{12,13}$")
MONTH_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl")


def _numeric(value: str) -> tuple[int, int, int, int, int, int] | None:
    """(first, second, year, hour, minute, second) of an all-numeric date, or None."""
    match = _NUMERIC.match(value)
    if match is None:
        return None
    first, _, second, year, hour_text, minute_text, second_text, meridiem = match.groups()
    full_year = int(year) + (0 if len(year) == 4 else 2000 if int(year) < 70 else 1900)
    hour, minute, sec = int(hour_text or 0), int(minute_text or 0), int(second_text or 0)
    if meridiem:
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    return int(first), int(second), full_year, hour, minute, sec


def _languages(locale: str | None) -> tuple[str, ...]:
    """Month names are looked up in the locale's language and English, or in several common languages."""
    if not locale:
        return MONTH_LANGUAGES
    language = locale.split("_")[0]
    return (language, "en") if language != "en" else ("en",)


def _locale_order(locale: str) -> str | None:
    pattern = get_date_format("short", locale=locale).pattern
    day, month, year = pattern.find("d"), pattern.find("M"), pattern.find("y")
    if min(day, month, year) < 0:
        return None
    if year < min(day, month):
        return "YMD"
    return "DMY" if day < month else "MDY"


@dataclass(frozen=True)
class DateReader:
    """Reads the dates of a group of columns; ``order`` (DMY, MDY or YMD) settles all-numeric ones."""

    order: str | None = None
    learnt_from: str = ""
    languages: tuple[str, ...] = MONTH_LANGUAGES

    @classmethod
    def for_values(cls, values: Iterable[str], locale: str | None = None, order: str | None = None) -> "DateReader":
        languages = _languages(locale)
        if order:
            return cls(order, "the mapping's `dates:`", languages)
        day_first = month_first = False
        for value in values:
            parts = _numeric(value.strip())
            if parts:
                day_first |= parts[0] > 12
                month_first |= parts[1] > 12
        if day_first != month_first:
            return cls("DMY" if day_first else "MDY", "other dates in this file", languages)
        if day_first and month_first:
            return cls(None, "this file, which has dates written both day first and month first", languages)
        if locale:
            return cls(_locale_order(locale), f"the locale {locale}", languages)
        return cls(None, "", languages)

    def datetime(self, value: str) -> datetime | None:
        value = value.strip()
        if not value:
            return None
        if _EPOCH_MS.match(value):
            return datetime.fromtimestamp(int(value) / 1000, UTC).replace(tzinfo=None)
        try:
            if match := _ISO.match(value):
                year, month, day, hour, minute, second, zone = match.groups()
                moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
                return moment - _offset(zone)
            if parts := _numeric(value):
                return self._numeric(value, *parts)
        except ParseError:
            raise
        except ValueError as error:
            raise ParseError(f"{value!r} is not a valid date ({error})") from error
        if re.search(r"[A-Za-zÀ-ÿ]{3}", value):
            return _spelled(value, self.languages)
        raise ParseError(f"{value!r} is not a date in a known format (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, epoch ms)")

    def _numeric(self, value: str, first: int, second: int, year: int, hour: int, minute: int, sec: int) -> datetime:
        if first > 12 or second > 12 or first == second:
            order = "DMY" if first > 12 else "MDY" if second > 12 else "DMY"
            if self.order in ("DMY", "MDY") and order != self.order and first != second:
                raise ParseError(f"{value!r} is not a valid date written {self._spelled_order()}")
        elif self.order in ("DMY", "MDY"):
            order = self.order
        else:
            because = f" ({self.learnt_from})" if self.learnt_from else ""
            raise ParseError(
                f"{value!r} could be {first}/{second} or {second}/{first} as day/month{because}: "
                "say which with `dates: DMY` or `dates: MDY` (or `locale:`) in the --map file"
            )
        day, month = (first, second) if order == "DMY" else (second, first)
        return datetime(year, month, day, hour, minute, sec)

    def _spelled_order(self) -> str:
        return "day first" if self.order == "DMY" else "month first"

    def date(self, value: str) -> date | None:
        moment = self.datetime(value)
        return moment.date() if moment else None


@lru_cache(maxsize=4096)
def _spelled(value: str, languages: tuple[str, ...]) -> datetime:
    import dateparser  # heavy (a third of a second to import): loaded only when a date spells its month

    moment = dateparser.parse(
        value, languages=list(languages), settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}
    )
    if moment is None:
        raise ParseError(f"{value!r} is not a date in a known format")
    return moment


def _offset(zone: str | None) -> timedelta:
    if not zone or zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
