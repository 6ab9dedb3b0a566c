"""Numbers and money as exports write them, read without guessing: a decimal point is never taken for a
thousands separator, so '9225.225' is 9225.225 and never 9,225,225.

A value decides for itself when it can: '1.234,50' (both marks: the last one is the decimal mark),
'1.234.567' (a repeated mark separates thousands), '9225.225' (four digits before the mark: a thousands
separator cannot follow them), '12.5' (anything but three digits after the mark). Only a value like
'1.225' (one to three digits, one mark, three digits) could be either. Such a value is read with the
locale the mapping names (babel, strict), else with what the other values of the same column show, else
with the source's own convention (Salesforce and HubSpot exports write plain numbers with a '.' decimal
point), and otherwise reported as ambiguous; so it is when the column and the convention disagree.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_decimal_symbol, list_currencies, parse_decimal

CURRENCY_CODES = frozenset(list_currencies())
SYMBOLS = (
    ("US$", "USD"), ("U$S", "USD"), ("R$", "BRL"), ("S/.", "PEN"), ("S/", "PEN"), ("€", "EUR"), ("£", "GBP"),
    ("¥", "JPY"), ("₹", "INR"), ("₩", "KRW"), ("₺", "TRY"), ("₽", "RUB"),
)  # fmt: skip
"""Symbols that name one currency. A bare '$' names none: USD, MXN, COP, CLP and ARS all write it."""
AMBIGUOUS = "?"
MAX_DECIMALS = 4
_CODE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])")


class ParseError(ValueError):
    """A cell that cannot be read as the type its column holds."""


def _mark_of(text: str) -> str:
    """The decimal mark this value shows: '.', ',', '' when it has none, or AMBIGUOUS."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return "." if text.rfind(".") > text.rfind(",") else ","
    if not dots and not commas:
        return ""
    mark = "." if dots else ","
    if dots + commas > 1:
        return "," if mark == "." else "."
    head, tail = text.split(mark)
    if len(tail) != 3 or len(head) > 3 or not head.strip("0"):
        return mark
    return AMBIGUOUS


@dataclass(frozen=True)
class NumberFormat:
    """How one column writes numbers: a locale (babel), or a decimal mark and where it was learnt."""

    locale: str | None = None
    decimal_mark: str | None = None
    learnt_from: str = ""

    @classmethod
    def for_values(
        cls, values: Iterable[str], locale: str | None = None, default_mark: str | None = None
    ) -> "NumberFormat":
        if locale:
            return cls(locale=locale, decimal_mark=get_decimal_symbol(locale), learnt_from=f"the locale {locale}")
        seen = {_mark_of(_digits(_without_currency(value))[0]) for value in values if value.strip()} - {"", AMBIGUOUS}
        if len(seen) == 1:
            mark = seen.pop()
            if default_mark and mark != default_mark:
                return cls(learnt_from=f"this column writes {mark!r} as the decimal mark, unlike the export")
            return cls(decimal_mark=mark, learnt_from="the other values of this column")
        if len(seen) > 1:
            return cls(learnt_from="this column, which writes both '.' and ',' as the decimal mark")
        if default_mark:
            return cls(decimal_mark=default_mark, learnt_from="the export's plain number format")
        return cls()

    def read(self, value: str) -> Decimal | None:
        """The number in value ('' -> None); ParseError says why a value cannot be read or could mean two things."""
        text, negative = _digits(value)
        if not text:
            return None
        if not re.fullmatch(r"[0-9.,]+", text):
            raise ParseError(f"{value!r} is not a number")
        if self.locale:
            try:
                number = parse_decimal(text, locale=self.locale, strict=True)
            except NumberFormatError as error:
                raise ParseError(f"{value!r} is not a number as {self.locale} writes them ({error})") from error
            return -number if negative else number
        mark = _mark_of(text)
        if mark == AMBIGUOUS:
            if self.decimal_mark is None:
                whole, fraction = text.replace(",", ".").split(".")
                because = f" ({self.learnt_from})" if self.learnt_from else ""
                raise ParseError(
                    f"{value!r} could be {whole}.{fraction} or {whole}{fraction}{because}: "
                    "say which with `locale:` in the --map file"
                )
            mark = self.decimal_mark
        number = _with_mark(text, mark or ".", value)
        return -number if negative else number


def _digits(value: str) -> tuple[str, bool]:
    """The value without spaces, apostrophes (Swiss grouping) and sign; and whether it was negative."""
    text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    negative = text.startswith("-") or text.endswith("-") or (text.startswith("(") and text.endswith(")"))
    return text.strip("-+()"), negative


def _with_mark(text: str, mark: str, original: str) -> Decimal:
    group = "," if mark == "." else "."
    whole, _, fraction = text.partition(mark)
    if mark in fraction or group in fraction:
        raise ParseError(f"{original!r} is not a number: {mark!r} after the decimal mark")
    if group in whole:
        parts = whole.split(group)
        if not (1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])):
            raise ParseError(f"{original!r} is not a number: {group!r} does not separate thousands there")
        whole = "".join(parts)
    try:
        return Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    except InvalidOperation as error:
        raise ParseError(f"{original!r} is not a number") from error


def _without_currency(value: str) -> str:
    try:
        return split_currency(value)[0]
    except ParseError:
        return value


def split_currency(value: str) -> tuple[str, str | None]:
    """The value without its currency code or symbol, and the currency they name (None for none or a bare '$')."""
    text = value.strip()
    currency = None
    for symbol, code in SYMBOLS:
        if symbol in text:
            currency, text = code, text.replace(symbol, "")
            break
    match = _CODE.search(text)
    if match and match.group(1).upper() in CURRENCY_CODES:
        code = match.group(1).upper()
        if currency and currency != code:
            raise ParseError(f"{value!r} names two currencies ({currency} and {code})")
        currency, text = code, text.replace(match.group(0), "")
    return text.replace("$", "").strip(), currency


def parse_money(value: str, number_format: NumberFormat | None = None) -> tuple[Decimal | None, str | None]:
    """'$1,200.50' -> (1200.50, None); '1.200,50 EUR' -> (1200.50, 'EUR'); 'S/ 9225.225' -> (9225.225, 'PEN')."""
    text, currency = split_currency(value)
    amount = (number_format or NumberFormat()).read(text)
    if amount is not None and -amount.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        raise ParseError(f"{value!r} has more than {MAX_DECIMALS} decimals, more than Dealwise keeps")
    return amount, currency


def parse_int(value: str, number_format: NumberFormat | None = None) -> int | None:
    """A whole number; '1.200' and '1,200' are 1200 here, the only whole reading of them."""
    text, negative = _digits(value)
    if re.fullmatch(r"\d{1,3}([.,])\d{3}(\1\d{3})*", text):
        return -int(re.sub(r"\D", "", text)) if negative else int(re.sub(r"\D", "", text))
    number = (number_format or NumberFormat(decimal_mark=".")).read(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ParseError(f"{value!r} is not a whole number")
    return int(number)
