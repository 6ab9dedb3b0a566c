"""Numbers and dates as people write them out, in the forms the readers of amounts and periods know: "fifty
thousand dollars" is 50k, "11/3" is nov 3 (month first, as US reps write it), "the first of august" is 1 august."""

import re

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
SPELLED_AMOUNT = re.compile(
    rf"\b((?:(?:{_UNIT}|a|\d+(?:\.\d+)?)[ -]?)+(?:hundred(?:[ -]and)?(?:[ -](?:{_UNIT})){{0,2}})?)\s+"
    r"(thousand|grand|million|mil)\b"
)
"""'fifty thousand', 'two hundred and fifty thousand', '1.5 million', 'twenty-five grand'"""
ORDINAL_DAYS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
ORDINAL_DAY_OF = re.compile(
    r"\b(?:the )?(?:(twenty|thirty)[ -])?(" + "|".join(ORDINAL_DAYS) + rf")(?: of)? ({MONTH_WORD})\b"
)
"""'the first of august', 'the twenty-first of november', 'thirtieth september'"""
MONTH_FIRST = re.compile(r"(?<![\w/$.])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?:/(\d{4}|\d{2}))?(?![\w/%])")
"""'11/3', '12/1/2026': month first"""
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _number(words: str) -> float | None:
    """The value of 'two hundred and fifty', 'twenty-five', '1.5', 'a'."""
    total, current = 0.0, 0.0
    for word in re.split(r"[ -]+", words.strip()):
        if not word or word == "and":
            continue
        if word == "a":
            current += 1
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in UNITS:
            current += UNITS[word]
        else:
            try:
                current += float(word)
            except ValueError:
                return None
    return total + current or None


def spelled_amounts(text: str) -> str:
    """'over fifty thousand dollars' -> 'over 50k dollars'."""

    def swap(said: re.Match[str]) -> str:
        value = _number(said[1])
        if value is None:
            return said[0]
        suffix = "m" if said[2] in ("million", "mil") else "k"
        return f"{value:g}{suffix}"

    return SPELLED_AMOUNT.sub(swap, text)


def spelled_days(text: str) -> str:
    """'11/3' -> 'nov 3'; 'the thirtieth of september' -> '30 september'."""

    def month_first(said: re.Match[str]) -> str:
        year = said[3] and (said[3] if len(said[3]) == 4 else f"20{said[3]}")
        return f"{MONTHS[int(said[1]) - 1]} {int(said[2])}" + (f" {year}" if year else "")

    def ordinal(said: re.Match[str]) -> str:
        day = ORDINAL_DAYS[said[2]] + (UNITS[said[1]] if said[1] else 0)
        return f"{day} {said[3]}" if day <= 31 else said[0]

    return ORDINAL_DAY_OF.sub(ordinal, MONTH_FIRST.sub(month_first, text))
