"""Explicit periods in a question, with the words that named them: years, quarters, halves, ranges,
"since March", "all time", "Q3 last year", "this quarter vs last".

Each found period says which words it used, so a second period ("... compared with last year")
becomes the other side of a comparison and "all time" is an answer for all time, never this year.
"""

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import chain

from assistant.agent.brains.offline.understanding.reader import Reader
from assistant.crm.lexicon import MONTHS
from tools.periods import calendar_unit, month_of, quarter_of

UNITS = "day|week|month|quarter|year"
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "thirty": 30, "ninety": 90,
}  # fmt: skip
COUNT = r"(\d{1,4}|" + "|".join(NUMBER_WORDS) + r")"
MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"((?:19|20)\d{2})"
PAST = {"last", "previous", "prior", "past"}
FUTURE = {"next", "coming", "upcoming"}


@dataclass(frozen=True)
class Found:
    start: date | None
    end: date | None
    label: str
    all_time: bool = False
    direction: str = "any"
    year_implied: bool = False
    """a month named without its year ("in October"): which October depends on what is asked"""


def about_the_past(date_field: str | None, status: str | None) -> bool:
    """Whether the dates asked about can only lie behind us: wins and losses, activity logged, records created."""
    return date_field in ("created_at", "occurred_at", "converted_at") or status in ("won", "lost")


def in_the_past(found: Found, today: date) -> Found:
    """A month named without a year, about what already happened (wins, calls, new leads): its last occurrence."""
    if found.year_implied and found.start is None and found.end is not None and found.end > today:
        end = _years_back(found.end, 1)  # "created before July": this year's July, not next
        first = end + timedelta(days=1)
        return Found(None, end, f"before {first:%B} {first.year}", direction="past")
    if not found.year_implied or found.start is None or found.end is None or found.start <= today:
        return found
    start, end = _years_back(found.start, 1), _years_back(found.end, 1)
    return Found(start, end, calendar_label(start, end), direction="past")


def in_the_future(found: Found, today: date) -> Found:
    """A quarter or month named without a year, about open deals still to close ("what's closing in Q1"): its next
    occurrence when this year's has passed."""
    if found.year_implied and found.end is None and found.start is not None and found.start <= today:
        start = _years_back(found.start, -1)  # "closing after January" in November: after next January
        return Found(start, None, f"from {start.day} {start:%b} {start.year}", direction="future")
    if not found.year_implied or found.start is None or found.end is None or found.end >= today:
        return found
    start, end = _years_back(found.start, -1), _years_back(found.end, -1)
    label = f"Q{(start.month - 1) // 3 + 1} {start.year}" if found.label.startswith("Q") else calendar_label(start, end)
    return Found(start, end, label, direction="future")


def _years_back(day: date, years: int) -> date:
    return month_of(date(day.year - years, day.month, 1))[1] if day.day > 28 else day.replace(year=day.year - years)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def _year_of_words(words: str | None, today: date) -> int:
    if not words:
        return today.year
    words = words.strip()
    if re.fullmatch(YEAR, words):
        return int(words)
    if re.search(r"\b(last|previous|prior)\b", words):
        return today.year - 1
    if re.search(r"\bnext\b", words):
        return today.year + 1
    return today.year


def _shift_word(word: str) -> int:
    if word in PAST:
        return -1
    if word in FUTURE:
        return 1
    return 0


def _month_year(month: str, year: str | None, today: date, past_hint: bool) -> int:
    if year:
        return int(year)
    number = MONTHS[month]
    if past_hint:
        return today.year if number <= today.month else today.year - 1
    return today.year if number >= today.month else today.year + 1


def calendar_label(start: date, end: date) -> str:
    """'2025', 'Q3 2026', 'October 2026', else '1 Apr 2026 – 30 Jun 2026'."""
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return str(start.year)
    if start.day == 1 and quarter_of(start) == (start, end):
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if start.day == 1 and month_of(start) == (start, end):
        return f"{start:%B} {start.year}"
    return f"{start.day} {start:%b} {start.year} – {end.day} {end:%b} {end.year}"


ALL_TIME = re.compile(
    r"\b(?:(?:of\s+)?all[- ]time|(?<!nobody )(?<!no one )(?<!noone )(?<!never )ever|"
    r"since (?:the )?(?:(?:beginning|start)(?!\s+of\b)|inception|day one)|lifetime|"
    r"in total|over (?:the )?whole history|historically)\b",
    re.I,
)
TO_DATE = re.compile(r"\b(ytd|qtd|mtd|q[1-4] to date|(?:year|quarter|month) to date|so far this (year|quarter|month)|"
                     r"this (year|quarter|month) so far)\b", re.I)  # fmt: skip
THIS_LAST = re.compile(
    rf"\b(this|current|last|previous|prior|past|next|coming|upcoming)\s+(?:fiscal\s+|financial\s+|calendar\s+)?({UNITS}|fy)\b(?!s)",
    re.I,
)
"""'last quarter', 'this fiscal year' (fiscal periods are calendar ones: the CRM keeps no fiscal calendar)"""
FISCAL_YEAR = re.compile(r"\bfy\s?'?(\d{4}|\d{2})\b", re.I)
OVER_AGO = re.compile(rf"\b(?:more than|over|upwards of|at least|longer than)\s+{COUNT}\s+({UNITS})s?\s+ago\b", re.I)
""""more than 6 months ago": everything before that day, not the calendar month then"""
AGO = re.compile(rf"\b{COUNT}\s+({UNITS})s?\s+ago\b", re.I)
""""two weeks ago": that calendar week (a day, month, quarter or year likewise)"""
BEFORE_LAST = re.compile(rf"\b(?:the\s+)?({UNITS})\s+before\s+last\b", re.I)
QUARTER = re.compile(
    rf"\bq([1-4])(?:\s*(?:of\s+)?(?:{YEAR}|(this|last|next|previous|prior)\s+year)|\s+'?(\d{{2}}))?\b"
    rf"|\b(this|last|next|previous|prior)\s+year'?s\s+q([1-4])\b",
    re.I,
)
ORDINAL_QUARTER = re.compile(
    rf"\b(first|1st|second|2nd|third|3rd|fourth|4th|final)\s+(?:fiscal\s+)?quarter"
    rf"(?:\s+(?:of\s+)?(?:(?:the\s+)?year\s+)?(?:{YEAR}|(this|last|next|previous|prior)\s+year))?\b",
    re.I,
)
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}
HALF = re.compile(
    rf"\b(h[12]|(?:first|1st|second|2nd|back|front|latter|last)\s+half)(?:\s+(?:of\s+)?(?:(?:the\s+)?year\s+)?"
    rf"(?:{YEAR}|(this|last|next)\s+year)|\s+of\s+(?:the|this)\s+year)?\b",
    re.I,
)
DUE_WITHIN = re.compile(
    rf"\b(?:clos(?:e|es|ing)|due|expected|land(?:s|ing)?|renew(?:s|ing|al)?|scheduled|coming up)\b[^.?!,;]{{0,30}}?"
    rf"\b((?:in|within)\s+{COUNT}\s+({UNITS})s?)\b",
    re.I,
)
"""'deals closing in 2 weeks', 'tasks due within 10 days': from today to that many days ahead"""
RELATIVE = re.compile(rf"\b(last|past|previous|prior|next|coming|within the next)\s+{COUNT}\s+({UNITS})s?\b", re.I)
_MONTH_WORD = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH_LIST = re.compile(rf"\b{_MONTH_WORD}(?:\s*(?:/|,|&|\+|\band\b)\s*{_MONTH_WORD}){{1,4}}(?:\s+{YEAR})?\b", re.I)
"""'jul / aug / sep', 'October, November and December': the months from the first named to the last"""
RANGE = re.compile(
    rf"\b(?:from\s+)?{MONTH}(?:\s+{YEAR})?\s*(?:through|thru|to|until|till|-|–)\s*{MONTH}(?:\s+{YEAR})?\b|"
    rf"\bbetween\s+{MONTH}(?:\s+{YEAR})?\s*(?:and|through|thru|to|until|till|-|–)\s*{MONTH}(?:\s+{YEAR})?\b",
    re.I,
)
_DAY_OF_MONTH = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?|(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH})"
)
DAY_RANGE = re.compile(
    rf"\b(?:between|from)\s+{_DAY_OF_MONTH}(?:,?\s+{YEAR})?\s*(?:and|to|through|thru|until|till|-|–)\s*"
    rf"{_DAY_OF_MONTH}(?:,?\s+{YEAR})?\b",
    re.I,
)
"""'between July 15 and September 30', 'from the 1st of May to 15 June 2026'"""
DAY_RANGE_BARE = re.compile(
    rf"\b{_DAY_OF_MONTH}(?:,?\s+{YEAR})?\s*(?:to|through|thru|until|till|-|–)\s*{_DAY_OF_MONTH}(?:,?\s+{YEAR})?\b",
    re.I,
)
"""'aug 1 thru oct 31', '1 Sep to 15 Nov': the same without 'between' or 'from' ('and' then joins two dates)"""
TO_TODAY = r"(?:\s+(?:up )?(?:to|until|till|through|thru)\s+(?:today|now|date|the present))?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKEND = re.compile(r"\b(?:over|this|the|on|at)\s+(?:the\s+)?(next\s+)?weekend\b", re.I)
ON_WEEKDAY = re.compile(
    rf"\b(?:on|next|this|coming)\s+({'|'.join(WEEKDAYS)})\b(?!\s+(?:morning|afternoon)?\s*'s)", re.I
)
"""'over the weekend', 'on Monday': the next one to come (today when it is that day)"""
UNTIL_WEEKDAY = re.compile(
    rf"\b(?:between (?:now|today) and|(?:from )?(?:now|today) (?:to|until|till|through|thru)|by|before|until|till|"
    rf"through|thru|no later than|up to)\s+(?:this\s+|the\s+|(next)\s+|coming\s+)?(?:end of\s+)?"
    rf"({'|'.join(WEEKDAYS)})\b(?!\s*'s)",
    re.I,
)
"""'between now and wednesday', 'by friday': from today to that day (the next one to come; a week on after 'next')"""
SINCE_WEEKDAY = re.compile(rf"\b(?:since|from)\s+(last\s+|this\s+)?({'|'.join(WEEKDAYS)}){TO_TODAY}\b", re.I)
"""'since monday': from the latest Monday on or before today ('since last monday' goes a week further back if
today is Monday)"""
SINCE_YESTERDAY = re.compile(r"\b(?:since|from) yesterday\b", re.I)
ONE_DAY = re.compile(rf"\b(?:(?:on|for|dated)\s+)?{_DAY_OF_MONTH}(?:,?\s+{YEAR})?\b", re.I)
"""'on 13 November', 'on the 10th of November 2026': that day alone"""
EARLIER_THIS_WEEK = re.compile(
    r"\b(?:earlier (?:this|in the) week|(?:from )?monday (?:to|through|thru|till|until) yesterday)\b", re.I
)
""""fell due earlier this week (Monday to yesterday)": this week's Monday to yesterday"""
SINCE_DAY = re.compile(rf"\b(?:since|from|after)\s+{_DAY_OF_MONTH}(?:,?\s+{YEAR})?{TO_TODAY}\b", re.I)
SINCE_QUARTER_START = re.compile(
    rf"\b(?:since|from|after)\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:q([1-4])|the (first|second|third|fourth) "
    rf"quarter)(?:\s+(?:of\s+)?{YEAR})?{TO_TODAY}\b",
    re.I,
)
SINCE = re.compile(
    rf"\b(?:since|from|after)\s+(?:the\s+)?(?:(?:start|beginning|first|1st)\s+of\s+)?(?:{MONTH}(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?"
    rf"(?:,?\s+{YEAR})?|q([1-4])(?:\s+{YEAR})?|{YEAR}|(last|this|the)\s+(year|quarter|month)){TO_TODAY}\b",
    re.I,
)
AFTER_MONTH = re.compile(
    rf"\b(?:after|later than|beyond)\s+(?:the\s+end\s+of\s+)?{MONTH}(?:,?\s+{YEAR})?(?!\s*\d)(?!\s+(?:the\s+)?\d)\b",
    re.I,
)
"""'deals that close after January': from the first of the month after it, open-ended"""
YEAR_ALONE = re.compile(rf"\b(?:in|during|for|of|throughout|over|across)?\s*(?:the\s+year\s+)?"
                        rf"(?<![\d-]){YEAR}(?![\d-])\b",
                        re.I)  # fmt: skip
SO_FAR = re.compile(r"\s+(?:so far|to date|until now|up to now|till now)\b", re.I)
MONTH_ALONE = re.compile(rf"\b(?:in|during|for|of)?\s*{MONTH}(?:\s+{YEAR})?\b", re.I)
DAY_WORD = re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)
SEASON = re.compile(
    rf"\b(?:(this|last|next|past|previous|coming)\s+|(?:in|during|over|through|throughout|across|for|since)\s+"
    rf"(?:the\s+)?)(summer|winter|spring|autumn|fall)\b(?:\s+(?:of\s+)?{YEAR})?|\b(summer|winter|spring|autumn)"
    rf"(?:\s+(?:of\s+)?{YEAR})?\b",
    re.I,
)
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
"""the month each season starts (three months, northern hemisphere)"""
DEADLINE = re.compile(
    r"\b(?:between (?:now|today) and|from (?:now|today) (?:until|till|to|through)|(?:now|today) (?:until|till|through)|"
    r"before|by|until|till|ahead of)\s+(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+|this\s+|(next)\s+)?"
    r"(week|month|quarter|year)|"
    r"(month|quarter|year)[- ]end|eo([mqy])|christmas|xmas|new years?(?:'?s)?(?: day| eve)?)(?!\w)|\beo([mqy])\b",
    re.I,
)
UNTIL_END_OF_NEXT = re.compile(
    r"\b(?:between (?:now|today) and|from (?:now|today) (?:until|till|to|through)|(?:now|today) (?:until|till|through)|"
    r"before|by|until|till)\s+(?:the\s+)?(?:end|close)\s+of\s+next\s+(week|month|quarter)\b",
    re.I,
)
"""'between today and the end of next week': from today to that unit's last day"""
AFTER_NEXT = re.compile(r"\b(?:the\s+)?(week|month|quarter)\s+after\s+next\b", re.I)
BEFORE_MONTH = re.compile(rf"\b(?:before|prior to|ahead of)\s+{MONTH}(?:\s+{YEAR})?\b(?!\s+\d)", re.I)
"""'closing before Feb': every day up to the end of the month before"""
START_TO_END = re.compile(
    rf"\b(?:between|from)\s+(?:the\s+)?(?:start|beginning|first)\s+of\s+{MONTH}(?:\s+{YEAR})?\s+(?:and|to|until|till|"
    rf"through)\s+(?:the\s+)?(?:end|close|last day)\s+of\s+{MONTH}(?:\s+{YEAR})?\b",
    re.I,
)
"""'between the start of August and the end of October': one stretch, not two months compared"""
UNTIL_MONTH_END = re.compile(
    rf"\b(?:between (?:now|today) and|from (?:now|today) (?:until|till|to|through)|"
    rf"(?:now|today) (?:until|till|through)|before|by|until|till|through)\s+(?:the\s+)?(?:end|close)\s+of\s+{MONTH}"
    rf"(?:\s+{YEAR})?\b",
    re.I,
)
"""'between today and the end of November': from today to that month's last day"""
MONTH_OR_EARLIER = re.compile(
    rf"\b(?:in\s+)?{MONTH}(?:\s+{YEAR})?\s+or\s+(earlier|before|sooner|prior|later|after)\b",
    re.I,
)
"""'close dates in December or earlier': every day up to that month's end (or from its start, 'or later')"""
UNTIL_DAY = re.compile(
    rf"\b(before|by|until|till|through|no later than|up to|between (?:now|today) and|"
    rf"from (?:now|today) (?:until|till|to|through))\s+(?:the\s+)?(?:{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?|"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH})(?:,?\s+{YEAR})?\b",
    re.I,
)
ELLIPSIS = re.compile(
    rf"\b(this|current)\s+({UNITS})\s*(?:,\s*)?(?:vs\.?|versus|against|compared (?:to|with)|or|and|than|over)\s+"
    rf"(?:the\s+)?(last|previous|prior|one before|the one before)(?:\s+(?:one|({UNITS})))?\b",
    re.I,
)
PAST_HINT = re.compile(r"\b(won|lost|closed|did|was|were|had|booked|signed|created|opened|since)\b", re.I)


LAST_TOUCHED = re.compile(
    r"\b(?:the )?last (?:day|date|time) (?:that |when )?(?:anyone|anybody|someone|somebody|we|i|you|he|she|they|"
    r"\w+) (?:worked|touched|logged|spoke|talked|called|e-?mailed|met|reached|contacted|did anything)\b"
)
"""'the last day anyone worked it': when a record was last touched, not yesterday"""


WHEN_I_MEET = re.compile(
    r"\b(?:i'?ve got|i have|i'?m in|i'?m having|we have|we'?ve got|got) (?:my |our |a |an |the )?"
    r"(?:qbr|meeting|call|demo|dinner|lunch|1:1|one[- ]on[- ]one|review|catch[- ]?up|visit|trip|flight|pipeline review|"
    r"forecast call)\b(?: with [\w' ]{1,30}?)? (?P<when>tomorrow|today|tonight|this (?:afternoon|morning|evening)|"
    r"(?:on |next )?(?:mon|tues|wednes|thurs|fri)day|next week|in (?:an hour|\w+ minutes))\b"
)
"""'I've got my QBR with Maya tomorrow': when the asker meets someone, not the period the figures are about"""


SAME_LAST_YEAR = re.compile(
    r"\b(?:the same|this|that) (quarter|month) (?:of |in )?(?:last year|a year ago|the year before)\b", re.I
)
"""the current quarter or month, a year back"""


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def find_periods(reader: Reader, today: date) -> list[Found]:
    """The periods the message names, in the order it names them; their words are claimed."""
    found: list[tuple[int, int, Found]] = []
    """(where the words start, where they end, the period)"""
    text = reader.text
    reader.search(LAST_TOUCHED, claim="last-touch")
    for meeting in WHEN_I_MEET.finditer(text):
        reader.claim(meeting.start("when"), meeting.end("when"), "event")

    def add(match: re.Match[str], period: Found) -> None:
        reader.claim(match.start(), match.end(), "period")
        found.append((match.start(), match.end(), period))

    for m in reader.all(EARLIER_THIS_WEEK):
        monday = today - timedelta(days=today.weekday())
        if monday < today:
            add(m, Found(monday, today - timedelta(days=1), f"{monday:%A} {monday.day} {monday:%b} to yesterday",
                         direction="past"))  # fmt: skip
    for m in reader.all(ELLIPSIS):
        unit = m[2].lower()
        start, end = calendar_unit(unit, 0, today)
        add(m, Found(start, end, f"this {unit}"))
        before_start, before_end = calendar_unit(unit, -1, today)
        found.append((m.end(), m.end(), Found(before_start, before_end, f"last {unit}", direction="past")))
    for m in reader.all(SAME_LAST_YEAR):  # "the same quarter last year", "this month last year"
        unit = m[1].lower()
        start, end = calendar_unit(unit, 0, today)
        start, end = _year_earlier(start), _year_earlier(end)
        label = f"Q{(start.month - 1) // 3 + 1} {start.year}" if unit == "quarter" else f"{start:%B} {start.year}"
        add(m, Found(start, end, label, direction="past"))
    for m in reader.all(AFTER_NEXT):  # "the week after next"
        unit = m[1].lower()
        start, end = calendar_unit(unit, 2, today)
        add(m, Found(start, end, f"the {unit} after next", direction="future"))
    for m in reader.all(BEFORE_MONTH):
        month = MONTHS[m[1].lower().rstrip(".")]
        year = int(m[2]) if m[2] else today.year + (1 if month <= today.month else 0)
        first = date(year, month, 1)
        last = first - timedelta(days=1)
        add(m, Found(None, last, f"before {first:%B} {first.year}", year_implied=not m[2]))
    for m in reader.all(START_TO_END):
        first, last = MONTHS[m[1].lower().rstrip(".")], MONTHS[m[3].lower().rstrip(".")]
        year = int(m[2]) if m[2] else _month_year(m[1].lower().rstrip("."), None, today, bool(PAST_HINT.search(text)))
        end_year = int(m[4]) if m[4] else (year if last >= first else year + 1)
        start, end = date(year, first, 1), month_of(date(end_year, last, 1))[1]
        add(m, Found(start, end, calendar_label(start, end), year_implied=not (m[2] or m[4])))
    for m in chain(reader.all(DAY_RANGE), reader.all(DAY_RANGE_BARE)):
        hint = bool(PAST_HINT.search(text))
        first = _day_of(m[1] or m[4], m[2] or m[3], m[5], today, hint)
        last = _day_of(m[6] or m[9], m[7] or m[8], m[10] or m[5], today, hint)
        if first is not None and last is not None:
            if last < first and not m[10]:
                last = last.replace(year=last.year + 1)
            add(m, Found(first, last, calendar_label(first, last), year_implied=not (m[5] or m[10])))
    for m in reader.all(UNTIL_MONTH_END):
        month = MONTHS[m[1].lower().rstrip(".")]
        year = int(m[2]) if m[2] else today.year + (1 if month < today.month else 0)
        end = month_of(date(year, month, 1))[1]
        if end >= today:
            add(m, Found(today, end, f"by {end.day} {end:%b} {end.year}", direction="future"))
    for m in reader.all(MONTH_OR_EARLIER):
        month = MONTHS[m[1].lower().rstrip(".")]
        year = int(m[2]) if m[2] else today.year + (1 if month < today.month else 0)
        first, last = month_of(date(year, month, 1))
        if (m[3] or "").lower() in ("later", "after"):
            add(m, Found(first, None, f"from {first:%B} {first.year} on"))
        else:
            add(m, Found(None, last, f"by the end of {first:%B} {first.year}"))
    for m in reader.all(UNTIL_DAY):
        month = MONTHS[(m[2] or m[5]).lower()]
        number = int(m[3] or m[4])
        year = int(m[6]) if m[6] else (today.year if (month, number) >= (today.month, today.day) else today.year + 1)
        try:
            end = date(year, month, number)
        except ValueError:
            continue
        if m[1].lower() == "before":
            end -= timedelta(days=1)
        if m[1].lower() == "before":  # "close date before December 15th": whatever lies before it, overdue too
            add(m, Found(None, end, f"before {(end + timedelta(days=1)).day} {end + timedelta(days=1):%b} {end.year}"))
        elif end >= today:
            add(m, Found(today, end, f"until {end.day} {end:%b} {end.year}", direction="future"))
    for m in reader.all(ALL_TIME):
        add(m, Found(None, None, "all time", all_time=True))
    for m in reader.all(TO_DATE):
        word = m[0].lower()
        if word[:1] == "q" and word[1:2].isdigit() and int(word[1]) != (today.month - 1) // 3 + 1:
            continue  # "Q2 to date" in November is no period to date
        unit = (
            "quarter"
            if "q" in word[:1] or "quarter" in word
            else ("month" if word.startswith("m") or "month" in word else "year")
        )
        start = calendar_unit(unit, 0, today)[0]
        add(m, Found(start, today, f"{unit} to date", direction="past"))
    for m in reader.all(SINCE_QUARTER_START):  # "since the start of Q3": to today, not Q3 alone
        number = int(m[1]) if m[1] else ORDINALS[m[2].lower()]
        start = quarter_of(date(int(m[3]) if m[3] else today.year, 3 * number - 2, 1))[0]
        start = start if start <= today else start.replace(year=start.year - 1)
        add(m, Found(start, today, f"since {start.day} {start:%b} {start.year}", direction="past"))
    for m in reader.all(ORDINAL_QUARTER):
        number, year = ORDINALS[m[1].lower()], int(m[2]) if m[2] else _year_of_words(m[3], today)
        start, end = quarter_of(date(year, 3 * number - 2, 1))
        add(m, Found(start, end, f"Q{number} {year}"))
    for m in reader.all(QUARTER):
        if m[6]:
            number, year = int(m[6]), _year_of_words(m[5], today)
            implied = not m[5]
        else:
            number = int(m[1])
            year = int(m[2]) if m[2] else (2000 + int(m[4]) if m[4] else _year_of_words(m[3], today))
            implied = not (m[2] or m[4] or m[3])
        start, end = quarter_of(date(year, 3 * number - 2, 1))
        add(m, Found(start, end, f"Q{number} {year}", year_implied=implied))
    for m in reader.all(HALF):
        first = m[1].lower() in ("h1", "first half", "1st half", "front half")
        year = int(m[2]) if m[2] else _year_of_words(m[3], today)
        start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
        add(m, Found(start, end, f"{'H1' if first else 'H2'} {year}"))
    for m in DUE_WITHIN.finditer(text):
        if reader.free(m.start(1), m.end(1)):
            count, unit = _count(m[2].lower()), m[3].lower()
            days = {"day": 1, "week": 7}.get(unit)
            months = count * (3 if unit == "quarter" else 12 if unit == "year" else 1)
            end = today + timedelta(days=count * days) if days else _add_months(today, months) - timedelta(days=1)
            reader.claim(m.start(1), m.end(1), "period")
            found.append((m.start(1), m.end(1), Found(today, end, f"the next {count} {unit}s", direction="future")))
    for m in reader.all(UNTIL_END_OF_NEXT):  # "between today and the end of next week"
        end = calendar_unit(m[1].lower(), 1, today)[1]
        add(m, Found(today, end, f"by {end.day} {end:%b} {end.year}", direction="future"))
    for m in reader.all(RELATIVE):
        word, count, unit = m[1].lower(), _count(m[2].lower()), m[3].lower()
        days = {"day": 1, "week": 7}.get(unit)
        if word in FUTURE or word.startswith("within"):
            end = (
                today + timedelta(days=count * days)
                if days
                else _add_months(today, count * (3 if unit == "quarter" else 12 if unit == "year" else 1))
                - timedelta(days=1)
            )
            add(m, Found(today, end, f"the next {count} {unit}s", direction="future"))
        else:
            months = count * (3 if unit == "quarter" else 12 if unit == "year" else 1)
            start = today - timedelta(days=count * days) if days else _shift_day(today, -months)
            add(m, Found(start, today, f"the last {count} {unit}s", direction="past"))
    for m in reader.all(WEEKEND):
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 + (7 if m[1] else 0))
        add(
            m,
            Found(
                saturday,
                saturday + timedelta(days=1),
                f"the weekend of {saturday.day} {saturday:%b}",
                direction="future",
            ),
        )
    for m in reader.all(UNTIL_WEEKDAY):
        ahead = (WEEKDAYS.index(m[2].lower()) - today.weekday()) % 7 + (7 if m[1] else 0)
        if m[0].lower().startswith("before"):
            ahead -= 1
        day = today + timedelta(days=max(ahead, 0))
        add(m, Found(today, day, f"from today to {day:%A} {day.day} {day:%b}", direction="future"))
    for m in reader.all(ON_WEEKDAY):
        day = today + timedelta(days=(WEEKDAYS.index(m[1].lower()) - today.weekday()) % 7)
        add(m, Found(day, day, f"{day:%A} {day.day} {day:%b}", direction="future"))
    for m in reader.all(SINCE_WEEKDAY):
        back = (today.weekday() - WEEKDAYS.index(m[2].lower())) % 7
        if back == 0 and m[1] and m[1].strip().lower() == "last":
            back = 7
        start = today - timedelta(days=back)
        add(m, Found(start, today, f"since {start:%A} {start.day} {start:%b}", direction="past"))
    for m in reader.all(SINCE_YESTERDAY):  # "since yesterday": yesterday and today
        start = today - timedelta(days=1)
        add(m, Found(start, today, f"since {start:%A} {start.day} {start:%b}", direction="past"))
    for m in reader.all(SINCE_DAY):
        start = _day_of(m[1] or m[4], m[2] or m[3], m[5], today, True)
        if start is not None and start <= today:
            add(m, Found(start, today, f"since {start.day} {start:%b} {start.year}", direction="past"))
    for m in reader.all(ONE_DAY):
        day = _day_of(m[1] or m[4], m[2] or m[3], m[5], today, bool(PAST_HINT.search(text)))
        if day is not None:
            add(m, Found(day, day, f"{day.day} {day:%b} {day.year}", year_implied=not m[5]))
    for m in reader.all(MONTH_LIST):
        named = [MONTHS[w.lower().rstrip(".")] for w in re.findall(_MONTH_WORD, m[0], re.I)]
        if named != sorted(named):
            continue
        hint = bool(PAST_HINT.search(text))
        first = next(k for k, v in MONTHS.items() if v == named[0])
        year = int(m[1]) if m[1] else _month_year(first, None, today, hint)
        start, end = date(year, named[0], 1), month_of(date(year, named[-1], 1))[1]
        add(m, Found(start, end, calendar_label(start, end), year_implied=not m[1]))
    for m in reader.all(RANGE):
        hint = bool(PAST_HINT.search(text))
        first, first_y, last, last_y = m.groups()[:4] if m[1] else m.groups()[4:]
        first_year = int(first_y) if first_y else None
        second_year = int(last_y) if last_y else None
        year = first_year or second_year or _month_year(first.lower(), None, today, hint)
        start = date(year, MONTHS[first.lower()], 1)
        end_year = second_year or (year if MONTHS[last.lower()] >= MONTHS[first.lower()] else year + 1)
        end = month_of(date(end_year, MONTHS[last.lower()], 1))[1]
        add(m, Found(start, end, calendar_label(start, end), year_implied=not (first_year or second_year)))
    for m in reader.all(AFTER_MONTH):
        month = MONTHS[m[1].lower().rstrip(".")]
        year = int(m[2]) if m[2] else today.year
        start = month_of(date(year, month, 1))[1] + timedelta(days=1)
        add(m, Found(start, None, f"from {start.day} {start:%b} {start.year}", year_implied=not m[2]))
    for m in reader.all(SINCE):
        start = _since_start(m, today)
        if start is not None and start <= today:
            add(m, Found(start, today, f"since {start.day} {start:%b} {start.year}", direction="past"))
    for m in reader.all(BEFORE_LAST):
        unit = m[1].lower()
        start, end = calendar_unit(unit, -2, today)
        add(m, Found(start, end, f"the {unit} before last", direction="past"))
    for m in reader.all(OVER_AGO):
        count, unit = _count(m[1].lower()), m[2].lower()
        cutoff = _back(today, count, unit)
        end = cutoff - timedelta(days=1)
        add(m, Found(None, end, f"before {cutoff.day} {cutoff:%b} {cutoff.year}", direction="past"))
    for m in reader.all(AGO):
        count, unit = _count(m[1].lower()), m[2].lower()
        start, end = calendar_unit(unit, -count, today)
        add(m, Found(start, end, f"{count} {unit}{'s' if count != 1 else ''} ago", direction="past"))
    for m in reader.all(FISCAL_YEAR):
        year = int(m[1]) if len(m[1]) == 4 else 2000 + int(m[1])
        add(m, Found(date(year, 1, 1), date(year, 12, 31), str(year)))
    for m in reader.all(THIS_LAST):
        word, unit = m[1].lower(), m[2].lower().replace("fy", "year")
        shift = _shift_word(word)
        start, end = calendar_unit(unit, shift, today)
        label = f"{'this' if shift == 0 else word} {unit}"
        add(m, Found(start, end, label, direction="past" if shift < 0 else "future" if shift > 0 else "any"))
    for m in reader.all(DEADLINE):
        unit = (
            m[2] or m[3] or {"m": "month", "q": "quarter", "y": "year"}.get((m[4] or m[5] or "").lower()) or ""
        ).lower()
        if not unit:
            end = date(today.year, 12, 24) if re.search(r"christmas|xmas", m[0], re.I) else date(today.year, 12, 31)
        else:
            end = calendar_unit(unit, 1 if m[1] else 0, today)[1]  # "by the end of next week"
        add(m, Found(today, end, f"by {end.day} {end:%b} {end.year}", direction="future"))
    for m in reader.all(SEASON):
        add(m, _season(m, today, bool(PAST_HINT.search(text))))
    for m in reader.all(MONTH_ALONE):
        if not _is_month_word(m):
            continue
        year = _month_year(m[1].lower(), m[2], today, bool(PAST_HINT.search(text)))
        start, end = month_of(date(year, MONTHS[m[1].lower()], 1))
        if start <= today <= end and SO_FAR.match(text, m.end()):  # "november so far": up to today
            reader.claim(m.end(), SO_FAR.match(text, m.end()).end(), "period")  # type: ignore[union-attr]
            add(m, Found(start, today, f"{start:%B} {year} to date", direction="past"))
            continue
        add(m, Found(start, end, f"{start:%B} {year}", year_implied=not m[2]))
    for m in reader.all(YEAR_ALONE):
        year = int(m[1])
        add(m, Found(date(year, 1, 1), date(year, 12, 31), str(year)))
    for m in reader.all(DAY_WORD):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m[1].lower()]
        day = today + timedelta(days=shift)
        add(m, Found(day, day, m[1].lower()))
    found.sort(key=lambda span: span[0])
    return _years_applied(_without_restatements(found, text), text)


def _without_restatements(found: list[tuple[int, int, Found]], text: str) -> list[tuple[int, int, Found]]:
    """ "in Q3 (Jul-Sep)", "last month (October)": a bracket that names the period just said again is no second
    period, whatever year it would be read in alone."""
    kept: list[tuple[int, int, Found]] = []
    for start, end, period in found:
        before = kept[-1] if kept else None
        bracketed = before is not None and re.fullmatch(r"\s*\(\s*", text[before[1] : start]) is not None
        if bracketed and before is not None and _same_months(before[2], period):
            continue
        kept.append((start, end, period))
    return kept


def _same_months(first: Found, second: Found) -> bool:
    if None in (first.start, first.end, second.start, second.end):
        return False
    return (first.start.month, first.start.day, first.end.month, first.end.day) == (  # type: ignore[union-attr]
        second.start.month,  # type: ignore[union-attr]
        second.start.day,  # type: ignore[union-attr]
        second.end.month,  # type: ignore[union-attr]
        second.end.day,  # type: ignore[union-attr]
    )


def _season(m: re.Match[str], today: date, past_hint: bool) -> Found:
    """ "over the summer", "last winter", "spring 2025": three calendar months (winter runs December to February).
    Unqualified or "this": this year's (the one under way, in winter); "last" or a past-tense question: the latest
    that has ended; "next": the next to begin."""
    word, season, year_text = (m[1] or "").lower(), (m[2] or m[4]).lower(), m[3] or m[5]
    first_month = SEASON_MONTHS[season]

    def starting(year: int) -> tuple[date, date]:
        start = date(year, first_month, 1)
        return start, month_of(_add_months(start, 2))[1]

    if year_text:
        start, end = starting(int(year_text) - (1 if season == "winter" else 0))
    else:
        start, end = starting(today.year - (1 if season == "winter" and today.month <= 2 else 0))
        if word in PAST or (past_hint and word not in FUTURE and word != "this"):
            while end >= today:
                start, end = starting(start.year - 1)
        elif word in FUTURE:
            while start <= today:
                start, end = starting(start.year + 1)
    label = f"{season} {start.year}" if season != "winter" else f"winter {start.year}-{str(end.year)[2:]}"
    direction = "past" if end < today else "future" if start > today else "any"
    return Found(start, end, f"{label} ({calendar_label(start, end)})", direction=direction)


RESTATED = re.compile(
    r"^[^()?.]{0,25}\(\s*(?:(?:close|closing|due|created) dates? |closed |from |between |i\.?e\.?,? |so |that'?s |"
    r"ie,? |aka )*$"
)
""""next week (the 23rd to the 27th)": dates in brackets that say exactly which days the period before means"""


def within(inner: Found, outer: Found) -> bool:
    """Whether ``inner`` lies inside ``outer`` (both with both ends)."""
    if None in (inner.start, inner.end, outer.start, outer.end):
        return False
    return outer.start <= inner.start and inner.end <= outer.end  # type: ignore[operator]


YEAR_WORDS = re.compile(r"^[\s,]*(?:(?:of|in|for|during)\s+)?(?:the\s+)?$")


def _years_applied(spans: list[tuple[int, int, Found]], text: str) -> list[Found]:
    """ "Between June 1 and August 31 this year", "December of last year": a year said right after a month or a day
    range without its own year is that period's year, not a second period."""
    kept: list[Found] = []
    previous_end = -1
    for start, end, period in spans:
        implied = kept[-1] if kept and kept[-1].year_implied else None
        dated = _in_year(implied, period) if implied and YEAR_WORDS.match(text[previous_end:start]) else None
        restated = kept and RESTATED.match(text[previous_end:start]) and within(period, kept[-1])
        if dated is not None:
            kept[-1] = dated
        elif restated:  # "next week (monday the 23rd through friday the 27th)", "q2 wins only (closed apr-jun)"
            kept[-1] = replace(period, direction=kept[-1].direction)
        else:
            kept.append(period)
        previous_end = end
    return kept


def _in_year(implied: Found, year: Found) -> Found | None:
    """``implied`` moved into the calendar year ``year`` covers; None when ``year`` is no whole year."""
    if implied.start is None or implied.end is None or year.start is None or year.end is None:
        return None
    if (year.start.month, year.start.day, year.end.month, year.end.day) != (1, 1, 12, 31):
        return None
    if year.start.year != year.end.year:
        return None
    shift = year.start.year - implied.start.year
    try:
        first = implied.start.replace(year=implied.start.year + shift)
        last = implied.end.replace(year=implied.end.year + shift)
    except ValueError:
        return None
    return replace(implied, start=first, end=last, label=calendar_label(first, last), year_implied=False)


def _day_of(month: str | None, day: str | None, year: str | None, today: date, past: bool) -> date | None:
    """A day named by month and number; without a year, this year's unless that lies the wrong side of today."""
    if month is None or day is None:
        return None
    number = MONTHS[month.lower()]
    try:
        when = date(int(year) if year else today.year, number, int(day))
    except ValueError:
        return None
    if not year and past and when > today:
        when = when.replace(year=when.year - 1)
    return when


def _shift_day(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    year, month = divmod(index, 12)
    last = month_of(date(year, month + 1, 1))[1]
    return date(year, month + 1, min(today.day, last.day))


_LINK = r"(?:vs\.?|versus|v\.?|and|or|to|through|thru|-|–|against|compared (?:to|with))"
PAIRED_BEFORE = re.compile(rf"\s*{_LINK}\s*{MONTH}")
PAIRED_AFTER = re.compile(rf"{MONTH}\s*{_LINK}\s*$")


MONTH_FIGURE = re.compile(
    r"\s+(?:closing|closes|close|closed|pipe(?:line)?|deals|numbers|wins|losses|forecast|bookings|revenue|"
    r"activity|calls|meetings|emails|leads|quota|total|figures?)\b"
)
"""'my dec closing pipe', 'aug wins': an abbreviated month naming the stretch a figure is about"""


def _is_month_word(m: re.Match[str]) -> bool:
    """'may' and 'march' are also verbs: a bare one counts only with a year or a preposition before it."""
    word = m[1].lower()
    if word not in ("may", "march", "jan", "mar", "jun", "sep", "oct", "dec", "aug"):
        return True
    after, before = m.string[m.end() : m.end() + 30].lower(), m.string[max(0, m.start() - 30) : m.start()].lower()
    paired = PAIRED_BEFORE.match(after) or PAIRED_AFTER.search(before)  # "oct vs nov": a month beside a month
    as_figure = word not in ("may", "march") and MONTH_FIGURE.match(after)  # "my dec closing pipe"
    return bool(m[2]) or m[0].lower().split()[0] in ("in", "during", "for", "of") or paired is not None or as_figure


def _since_start(m: re.Match[str], today: date) -> date | None:
    if m[1]:
        month = MONTHS[m[1].lower()]
        year = int(m[3]) if m[3] else (today.year if month <= today.month else today.year - 1)
        return date(year, month, int(m[2]) if m[2] else 1)
    if m[4]:
        year = int(m[5]) if m[5] else today.year
        return quarter_of(date(year, 3 * int(m[4]) - 2, 1))[0]
    if m[6]:
        return date(int(m[6]), 1, 1)
    if m[7]:
        return calendar_unit(m[8].lower(), -1 if m[7].lower() == "last" else 0, today)[0]
    return None


def _back(today: date, count: int, unit: str) -> date:
    """The day ``count`` units before ``today`` (month ends clamp: 31 May less three months is 28 Feb)."""
    if unit in ("day", "week"):
        return today - timedelta(days=count * (7 if unit == "week" else 1))
    months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
