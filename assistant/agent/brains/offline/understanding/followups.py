"""Follow-ups over an earlier answer: the previous query is the context of the next message.

"of these, which is oldest?", "just the EMEA ones", "and for Sam?", "what about last year?", "and the
quarter before?", "how much of that is Nina's?" change one part of the previous query and keep the rest.
"""

import re
from datetime import date, timedelta

from assistant.agent.brains.offline.linking import of_type
from assistant.agent.brains.offline.understanding.parts import Parts, sort_for
from assistant.agent.brains.offline.understanding.periods import (
    ALL_TIME,
    Found,
    about_the_past,
    calendar_label,
    in_the_past,
)
from assistant.crm.principal import Principal
from tools.query.sources import SOURCES
from tools.query.spec import Comparison, PeriodSpec, QueryFilters, QueryInput

LEAD = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|right|alright|cool|great|thanks)\W+)?"
    r"(?:and|what about|how about|only|just|same|now|ok(?:ay)?,? and|also|but|then|of (?:these|those|them)|"
    r"which of (?:these|those|them|(?:that|this|the) (?:group|batch|set|bunch|lot))|"
    r"among (?:these|those|them)|out of (?:these|those)|for|what if|and for|and in|"
    r"how many of (?:these|those|them)|how much of (?:that|this|it|those|these)|of those|of these|"
    r"(?:out of|from|of|in|on) (?:that|the|this) list|of (?:his|hers|theirs)|"
    r"(?:narrow|cut|trim|whittle|pare|filter|boil) (?:that|it|this|them|those|these|the list)(?: down)?)\b"
)
SAME_AGAIN = re.compile(
    r"\b(?:the )?same (?:period|stretch|time ?frame|dates?|window|range|quarter|month|year|week|question|thing|"
    r"numbers?|figures?|view|breakdown|split|monthly view|average|avg|total|sum|count|median|rate|calculation|"
    r"measure|metric|details|columns|fields|info|format|layout|basis|terms|criteria|rules)\b|"
    r"\bdrill(?:ing)? (?:down|into)\b|"
    r"\b(?:on|by) (?:his|her|their) own\b|\bzoom(?:ing)? in\b|^\s*(?:without|leave out|leaving out|excluding|"
    r"except|minus|not counting|ignoring)\b"
)
"""words that lean on the answer before whatever the length of the message ("his rate for the same period")"""
INSTEAD = re.compile(r"\binstead\b|\b(?:flip|switch|swap|change|turn|make) (?:that|it|this|them)\b")
BACK = re.compile(
    r"\b(?:these|those|them|they|that|this list|the list|above|of them|those ones|these ones|ones|her|his|him|"
    r"their (?:scores?|compan(?:y|ies)|stages?|owners?|amounts?|close dates?|next steps?))\b"
)
BEFORE = re.compile(
    r"\b(?:the )?(?:(week|month|quarter|year|period|one) before|previous (week|month|quarter|year|one|period)|"
    r"prior (week|month|quarter|year|one|period)|before that|the one before)\b"
)
AFTER = re.compile(
    r"\b(?:the )?(?:(week|month|quarter|year|period|one) (?:after|following)(?: (?:that|it|this))?|"
    r"following (week|month|quarter|year|one|period)|after that)\b"
)
OF_THOSE = re.compile(
    r"\b(?:of|among|from|out of|in|on) (?:those|these|them|that list|the list|this list|the (?:two|three|four|five)|"
    r"(?:that|this|the) (?:group|batch|set|bunch|lot)|"
    r"the ones (?:that are |that'?s )?left|what'?s left|the rest|the remaining(?: ones)?)\b"
    r"(?! (?:same )?(?:two |three )?(?:numbers|figures|metrics|measures|stats)\b)"
)
EACH_OF_THEM_SAID = re.compile(r"\b(?:each|both|either|every one) of (?:them|those|these|the two)\b")
"""'for each of them' names the people just said, not the records shown"""
THOSE_FEW_SAID = re.compile(r"\b(?:those|these|the|all|both) (?:two|three|2|3)\b(?! (?:numbers|figures|months|weeks))")
"""'those three' after the top three: the records shown, not the whole set they were picked from"""
NARROWED_TO = re.compile(
    r"\b(?:which|any|what) (?:ones?|of (?:them|those|these))\b|\b(?:of|among) (?:those|these|them)\b|"
    r"\b(?:just|only) (?:the ones|those|these|the)\b"
)
"""the records just shown, narrowed by what follows"""
OF_THE_FEW = re.compile(
    r"\b(?:of|among|between) the (?:two|three|four|five)\b(?! (?:of|quarters?|months?|years?|weeks?))"
)
SHORT = 10
RECORD_NOUN = re.compile(r"\b(?:deals?|opps?|opportunit(?:y|ies)|accounts?|contacts?|leads?|tasks?|activit(?:y|ies)|"
                         r"calls?|e-?mails?|meetings?|pipeline)\b")  # fmt: skip
"""records named before 'of those' in the same message: 'those' are these, not the answer before"""
SET_AGAINST = re.compile(
    r"^\W*(?:and |so |ok,? |how does that )?(?:vs\.?|versus|against|compared? (?:to|with)|next to)\b|"
    r"^\W*(?:and |so |ok,? )?how (?:does|do|did|would) (?:that|this|it|those|these|they|he|she) (?:\w+ )?"
    r"(?:stack up|compare|measure up|fare|look|line up) (?:against|to|with|next to|versus|vs\.?)\b"
)
PUT_OUT = re.compile(
    r"^\W*(?:(?:now|ok|okay|and|so|then)\W+)*(?:take|leave|drop|pull|knock|strip|cut|toss|filter|kick) "
    r"(?:[\w'-]+ ){1,4}?out\b"
)
"""'take Hooli out of that': the list just shown, without something"""
DEALS_NAMED = re.compile(r"\b(?:deals|opps|opportunities|ones)\b")
THAT_STRETCH = re.compile(r"\b(?:that|the same) (?:month|quarter|week|year|period|stretch|window)\b")
THAT_FIGURE = re.compile(
    r"\b(?:of|in|behind) (?:that|this|the same) (?:[\w-]+ )?(?:number|figure|total|sum|amount)\b|"
    r"\b(?:share|slice|portion|chunk|piece|part) of (?:that|this|it)\b"
)
CUT_FROM_THE_LIST = re.compile(
    r"^\W*(?:(?:now|ok|okay|and|so|then|please)\W+)*(?:drop|remove|take out|cut|filter out|exclude|leave out|lose|"
    r"ditch|get rid of|strip out|knock off|skip) (?:anything|everything|any|all|the ones|those|ones|deals?)\b"
    r"|\b(?:from|off|out of) (?:that|the|this|my) list\b|\bwhat'?s left\b(?! to\b)"
)
"""'drop anything under 20k from that list': the list just shown, cut down"""
RERANK = re.compile(
    r"^\W*(?:(?:now|ok|okay|and|so|please|can you|could you)\W+)*(?:re-?)?(?:rank|sort|order|arrange|put)\s+"
    r"(?:them|those|these|that|the list|it|this list|that list)\b"
)
"""'rank them from smallest to largest': the records just shown, in another order"""
BEHIND_THE_FIGURE = re.compile(
    r"\bwhich (?:deals |ones |records )?(?:went into|go into|make up|made up|are behind|were behind|count(?:ed)? (?:in|"
    r"towards?)) (?:that|this|the) (?:average|total|number|figure|count|sum|median)\b"
)
"""'which deals went into that average?': the records behind the figure just given"""
WHICH_OF = re.compile(
    r"^\s*(?:and\s+|so\s+|ok\s+)?(?:which|what) (?:ones|of (?:them|those|these|(?:that|this|the) (?:group|batch|set|"
    r"bunch|lot|list)))\b|"
    r"\bwhich (?:ones|are they|deals|were they)\b|\bwhich (?:accounts|companies|customers|contacts|people) "
    r"(?:were|are) (?:they|those|these)\b|"
    r"\bwhich of (?:those|these|them)(?: deals| ones)? (?:are|is|were|have)\b|"
    r"\b(?:name|list|show(?: me)?) (?:them|those|these)\b|"
    r"^\s*(?:and\s+|so\s+|ok\s+|now\s+)?which of (?:\w+'s|the \w+ ones)\b|"
    r"\bwhat are they\b|^\s*(?:names?|list)(?: them| please| pls)?\W*$|\b(?:just (?:the )?)?names(?: only)?\b|"
    + BEHIND_THE_FIGURE.pattern
)
"""the records behind the last figure ("name them", "which are they", "which ones did I lose")"""
LIST_OF = re.compile(r"^\s*(?:(?:ok|now|and|so)\s+)?(?:list|show(?: me)?|name|pull up|give me)\b")
"""a list asked for outright ("List her Negotiation deals."): the records, not the earlier grouping"""
UNDO = re.compile(
    r"\b(?:forget|drop|remove|ignore|clear|lose|scrap|undo)(?: the| that)? (stage|period|date|time|owner|person|"
    r"amount|size|source|industry|region)s?(?: filter| bit| part| restriction| limit)?\b|"
    r"\b(?:forget|drop|remove|ignore|clear|lose|scrap|undo|no)(?: the| that)? (?:\$?\d[\d,.]*\s?[km]?\s+)?"
    r"(floor|minimum|min|cutoff|cut-off|threshold|ceiling|cap)\b"
)
"""a filter taken back ("forget the stage filter")"""
ADD_TO = re.compile(r"\b(?:add|include|throw in|bring in|plus)\b")
WHICH_ONES = re.compile(r"^\s*(?:and |so |ok |now )?(?:which|what) (?:ones?|of (?:them|those|these))\b")
ONES = re.compile(r"\bones\b")
THE_CONTACTS_ON_THEM = re.compile(
    r"^\W*(?:and |so |ok )?who (?:were|are|was|is) (?:the|their|our|my) (?:primary |main |key |customer )?contacts?"
    r"(?: (?:on|for|at|with) (?:them|those|these|both|each(?: one| of them)?)(?: two| three| deals)?)?\W*$"
)
"""'which of my deals closed last month and who were the contacts?': each deal with its primary contact"""
WHO_OWNS_EACH = re.compile(r"\bwho owns (?:each|them|those|it|which)\b|\bwith (?:their|the) owners?\b")
"""'which ones are qualified, and who owns each of them': the records, each with its owner"""
ONE_FIGURE = re.compile(r"^\s*(?:and |so |ok,? )?(?:how much|how many|what(?:'s| is) the total|total)\b")
"""a single figure asked for: no grouping carried over from the answer before"""
WHOSE = re.compile(r"\bwhose (?:are|is|were)\b|\bwho (?:owns|has|holds) (?:most of )?(?:them|those|these)\b")
WHOLE_TEAM = re.compile(
    r"\b(?:the )?(?:whole|entire|full|rest of the) team\b|\beveryone(?: else)?\b|\ball (?:my|the) reps\b|"
    r"^\W*(?:and |so |ok )?(?:what about|how about|and for|and|for|same for) (?:the|my|our) team\W*$|"
    r"\bthe team as a whole\b|\bteam[- ]wide\b|\b(?:the|my|our) team (?:altogether|in total|overall|combined)\b|"
    r"\b(?:who|which rep|which person|anyone|somebody|someone) (?:on|in) (?:the|my|our) team\b"
)
""""same thing for the whole team": the earlier figure for everyone, not one person's"""
THE_REST = re.compile(
    r"\b(?:the )?(?:rest(?: of (?:them|those|these|the list|my deals|the deals))?|remaining (?:ones|deals|\d+)|"
    r"remainder|other ones|everything else|all the others|(?:the )?others|ones you left out|"
    r"ones not (?:shown|listed))\b"
)
"""the records of the earlier set that its answer left out ("the rest of them" after a top five)"""
REST_LIMIT = 25
CREATED_SAID = re.compile(r"\b(?:created|opened|added|entered|set up|logged)\b")
EACH_OF_THEM = re.compile(r"\b(?:each|every|them|those|these|all)\b")
THEIR_DETAILS = re.compile(
    r"\b(?:e-?mails?|e-?mail address(?:es)?|addresses|phones?|phone numbers?|numbers|titles?|contact details)\b"
    r"[^.?!]{0,30}\b(?:for |of |on )?(?:both|them|those|these|each(?: of them)?|all of them|everyone)\b|"
    r"\b(?:their|both of their|each of their) (?:e-?mails?|e-?mail address(?:es)?|phones?|phone numbers?|numbers|"
    r"titles?|contact details)\b"
)
"""how to reach the people just listed ("email addresses for both", "their phone numbers")"""
EACH_WORTH = re.compile(
    r"\b(?:what(?:'s| is)|how much(?: is)?) each(?: one| of them)?(?: worth)?\b|\beach (?:one )?worth\b"
)
DAYS_ASKED = re.compile(r"\bhow many days\b|\bdays? (?:for|does|did|do|is|was)\b")
BOTH = re.compile(
    r"\b(?:the two of them|both of them|the pair of them|the two|both|them both|the pair|those two|these two|"
    r"same two|two numbers|two figures|two counts)\b"
)
"""the two people of the last two answers, together or side by side"""
WHO_AHEAD = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|then)\W+)?(?:who|which (?:one|of them))(?:'s| is| was)? (?:ahead|in front|leading|"
    r"behind|winning|on top|higher|bigger)\b|"
    r"^\W*(?:(?:so|and|ok)\W+)?who (?:has|had|'s got|got) (?:more|less|the most|the bigger)\b|"
    r"^\W*(?:(?:so|and|ok)\W+)?whose (?:\w+ ){0,2}(?:is|was|'s) (?:bigger|larger|higher|smaller|lower|ahead)\b"
)
"""'so who's ahead on dollars': the two people just asked about, side by side"""


LATE_FIELD = {"tasks": "due_date", "deals": "close_date"}
"""the date a record is late by: a task's due date, a deal's close date"""


def not_late(filters: QueryFilters, late_field: str, today: date) -> None:
    """Take the overdue records out: a close (or due) date from today on, within any period already asked."""
    filters.overdue = False
    period = filters.period
    if period is None or period.field not in (None, late_field):
        filters.period = PeriodSpec(start=today, field=late_field, label="from today on")  # type: ignore[arg-type]
    elif period.start is None or period.start < today:
        if period.end is not None and period.end < today:
            return
        label = f"{period.label}, from today on" if period.label else "from today on"
        filters.period = period.model_copy(update={"start": today, "label": label, "field": late_field})


THE_ONES_SAID = re.compile(r"\bthe (?:\w+ )?ones\b(?! (?:that|which|who|with|without|where|in|from|closing|due)\b)")
THEY_ASKED = re.compile(
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:what|how much|how many|when|where|who|which)(?: \w+)? "
    r"(?:are|were|do|did|is|would|will) (?:they|those|these|them)\b"
)
""""what are they worth …", "when do those close": a question whose subject is the records just shown"""


ANY_OF_THEM = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|now)\W+)?(?:(?:have|are|did|do|were|has|is|was) )?(?:any|none|which|how many|all) "
    r"of (?:those|these|them|the above)\b|"
    r"\b(?:any|none|which|how many|all) of (?:that|this|the) (?:group|batch|bunch|lot|list|set)\b"
)
""""have any of those gone quiet, nothing logged in the past two weeks?": the records just shown, narrowed"""


HOW_MANY_MORE = re.compile(r"^\W*(?:(?:and|so|ok|plus)\W+)?how many more\b")


def is_follow_up(text: str, parts: Parts) -> bool:
    """Whether the message refines the previous answer rather than asking something new."""
    if ANY_OF_THEM.search(text) and not parts.object_words and not parts.mentions:
        return True
    if HOW_MANY_MORE.search(text) and not parts.object_words and not parts.mentions:
        return True  # "… how many more are due between today and the end of November?": more of the same
    if LEAD.search(text) or BEFORE.search(text) or AFTER.search(text) or INSTEAD.search(text) or UNDO.search(text):
        return True
    if SET_AGAINST.search(text) or BEHIND_THE_FIGURE.search(text) or RERANK.search(text) or PUT_OUT.search(text):
        return True
    those = OF_THOSE.search(text)
    if those and not parts.object_words and re.search(r"\bhow (?:many|much)\b", text):
        return True  # "ok now jack - how many of those has he got?": the same records, counted for him
    if those and parts.group_by and not parts.mentions and not RECORD_NOUN.search(text[: those.start()]):
        return True  # "which of their people did most of those emails go to": the records just counted, regrouped
    if THEIR_DETAILS.search(text) or OF_THE_FEW.search(text):
        return True  # "give me email addresses for both", "who's the hotter of the two"
    if LIST_OF.search(text) and re.search(r"\b(?:hers|his|theirs|them|those|these)\b", text):
        return True  # "List hers, with the close date each one was supposed to hit."
    if (
        re.search(
            r"\beach of (?:those|these|them|the (?:two|three|four|five))\b|^\W*(?:and\s+)?how (?:many|long)\b"
            r"[^?]*\beach one\b",
            text,
        )
        and not parts.mentions
        and not parts.object_words
    ):
        return True  # "how many days did each of those take from creation to close"
    if THAT_STRETCH.search(text) and not parts.periods and not parts.mentions:
        return True  # "who on the team logged the most calls that month": the month just asked about
    if THAT_FIGURE.search(text) and not parts.mentions:
        return True  # "who on the team is carrying the most of that Media number": the figure just given
    if CUT_FROM_THE_LIST.search(text) and not parts.mentions:
        return True  # "Drop anything under 20k from that list. What's left …?"
    if SAME_AGAIN.search(text) and not parts.object_words:
        return True
    if WHICH_ONES.match(text) and not parts.mentions:  # "Which ones are still open, and what stage is each in?"
        return True
    if THE_CONTACTS_ON_THEM.search(text):
        return True
    each_step = parts.with_next_steps and EACH_OF_THEM.search(text)
    if (parts.with_contacts or each_step) and not parts.object_words:  # "who's the primary contact on each?"
        return True
    if THE_ONES_SAID.search(text) and not parts.mentions:
        return True  # "whose leads were the converted ones"
    if THEY_ASKED.search(text) and not parts.mentions and not parts.object_words:
        return True  # "what are they worth together once you weight them by stage probability?"
    words = len(text.split())
    new_subject = bool(parts.object_words) and not BACK.search(text)
    return words <= SHORT and not new_subject and bool(BACK.search(text) or _changes_something(parts))


def used_by_follow_up(phrase: str) -> bool:
    """Words that only point back at the previous answer ("the quarter before", "of these")."""
    return any(
        p.search(phrase)
        for p in (LEAD, BACK, BEFORE, AFTER, INSTEAD, UNDO, WHICH_OF, WHOSE, THE_REST, SAME_AGAIN, OF_THOSE)
    ) or phrase in (
        "source",
        "industry",
        "region",
        "within",
        "share",
        "went",
        "two",
        "three",
        "four",
        "five",
        "before",
        "quarter before",
        "one",
        "flip",
        "switch",
        "swap",
        "change",
        "instead",
        "split",
        "question",
        "forget",
        "drop",
        "remove",
        "ignore",
        "scrap",
        "both",
        "filter",
        "stage filter",
        "dated",
        "stretch",
        "same stretch",
        "month",
        "same month",
        "same quarter",
        "same week",
        "same year",
        "same period",
        "names",
        "name",
        "ranking",
        "re-rank",
        "rerank",
        "quarter after",
        "month after",
        "year after",
        "week after",
        "industry",
        "belong",
        "left",
        "2nd",
        "3rd",
        "4th",
        "5th",
        "second",
        "third",
        "fourth",
        "fifth",
        "between",
        "industry's",
        "region's",
        "stage's",
        "source's",
        "rep's",
        "top",
        "there",
        "drill",
        "period",
        "zoom",
        "addresses",
        "email addresses",
    )


def _changes_something(parts: Parts) -> bool:
    return bool(
        parts.narrows or parts.periods or parts.mentions or parts.teams or parts.superlative or parts.sort
        or parts.order or parts.overdue or parts.measure or parts.group_by or parts.amount_min is not None
        or parts.amount_max is not None or parts.score_min is not None or parts.score_max is not None
    )  # fmt: skip


UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def shift_period(period: PeriodSpec, direction: int, unit: str | None = None) -> PeriodSpec | None:
    """The period of the same length just before (direction -1) or just after (+1) this one; with a calendar
    ``unit`` named ("the quarter before that") and a period that starts where such a unit starts (this quarter so
    far), the whole unit before or after it."""
    if period.start is None or period.end is None:
        return None
    months = UNIT_MONTHS.get(unit or "")
    if months and period.start.day == 1 and (period.start.month - 1) % months == 0:
        index = period.start.year * 12 + period.start.month - 1 + direction * months
        start = date(index // 12, index % 12 + 1, 1)
        after = index + months
        end = date(after // 12, after % 12 + 1, 1) - timedelta(days=1)
        return PeriodSpec(start=start, end=end, field=period.field, label=calendar_label(start, end))
    length = (period.end - period.start).days + 1
    if period.start.day == 1 and (period.end + timedelta(days=1)).day == 1:
        months = round(length / 30.4)
        index = period.start.year * 12 + period.start.month - 1 + direction * months
        start = date(index // 12, index % 12 + 1, 1)
        after = start.year * 12 + start.month - 1 + months
        end = date(after // 12, after % 12 + 1, 1) - timedelta(days=1)
        return PeriodSpec(start=start, end=end, field=period.field, label=calendar_label(start, end))
    start = period.start + timedelta(days=direction * length)
    label = calendar_label(start, start + timedelta(days=length - 1))
    return PeriodSpec(start=start, end=start + timedelta(days=length - 1), field=period.field, label=label)


COMPARED_WITH_IT = re.compile(
    r"\b(?:compare[sd]?|stack(?:s|ed)? up|measure[sd]? up|look(?:s|ed)?) (?:with|to|against|next to|beside) "
    r"(?:that|this|it|those|these|them)\b"
)
""""how does november so far compare with that?": the new period beside the one just answered"""


def _period(found: Found, field: str | None) -> PeriodSpec:
    return PeriodSpec(start=found.start, end=found.end, field=field, label=found.label)  # type: ignore[arg-type]


def apply_follow_up(
    previous: QueryInput, previous_ids: list[int], text: str, parts: Parts, principal: Principal, today: date
) -> QueryInput:
    """The previous query with what this message changes."""
    query = previous.model_copy(deep=True)
    filters = query.filters
    date_field = filters.period.field if filters.period else None
    if parts.created and query.object in ("deals", "tasks") and CREATED_SAID.search(text):  # "only the ones created …"
        date_field = "created_at" if query.object == "deals" else "occurred_at"
    real = [p for p in parts.periods if not p.all_time]
    if about_the_past(date_field, filters.status) or (parts.created and date_field is not None):
        real = [in_the_past(p, today) for p in real]
    moved = BEFORE.search(text) or AFTER.search(text)
    step = -1 if BEFORE.search(text) else 1 if AFTER.search(text) else 0
    if step and filters.period is not None:
        unit = next((word for word in (moved.groups() if moved else ()) if word), None)
        shifted = shift_period(filters.period, step, unit)
        if shifted is not None:
            if _moved_period(filters, shifted, text):
                filters.ids = []  # "what about the month after?" after sorting December's: January's deals
            filters.period = shifted
    elif len(real) >= 2:
        query.compare = Comparison(by="period", periods=[_period(p, date_field) for p in real])
    elif (
        real
        and filters.period is not None
        and query.compare is None
        and (SET_AGAINST.search(text) or (parts.compare and COMPARED_WITH_IT.search(text)))
    ):
        query.compare = Comparison(by="period", periods=[filters.period, _period(real[0], date_field)])
        filters.period = None  # "vs last yr?" after this year's figure: the two side by side
    elif real:
        new_period = _period(real[0], date_field)
        if _moved_period(filters, new_period, text):
            filters.ids = []  # "same for january" after "which of those is the biggest": January's, not those
            query.limit = max(query.limit, 25)  # all of them, in the order that picked the one before
        filters.period = new_period
        if query.compare is not None and query.compare.by == "period":
            query.compare = None  # "and in October alone?" after Rita against Sam: the two of them, in October
    elif any(p.all_time for p in parts.periods) and not _only_in_total(text):
        filters.period = None  # "what about all time?"; not "what were they worth in total?"
    accounts = [m.entity.id for m in of_type(parts.mentions, "account")]
    if accounts and filters.account_ids and query.object in ("deals", "contacts", "activities", "tasks"):
        filters.account_ids, filters.ids = accounts, []  # "same for Ironclad Storage" after one account's deals
    elif accounts and query.object in ("deals", "contacts", "activities", "tasks") and NARROWED_TO.search(text):
        filters.account_ids = accounts  # "which ones are for the atlas robotics deals" after the week's tasks
    people = [m.entity.id for m in of_type(parts.mentions, "user")]
    one_person = filters.owner_ids if len(filters.owner_ids) == 1 else []
    one_person = one_person or ([principal.user_id] if filters.owner == "me" else [])
    against_team = bool(SET_AGAINST.search(text) and query.compare is None and one_person and not people)
    if parts.excluded_people:  # "now take Erin's out of that list"
        filters.exclude_owner_ids = list(dict.fromkeys([*filters.exclude_owner_ids, *parts.excluded_people]))
        filters.owner_ids = [i for i in filters.owner_ids if i not in parts.excluded_people]
        filters.ids = []
    adds = ADD_TO.search(text) and query.compare is not None and query.compare.by == "owner"
    if against_team and (parts.teams or parts.team):  # "how does that stack up against the East team's average"
        teams = list(parts.teams) or ([principal.team_id] if principal.team_id is not None else [])
        query.compare = Comparison(by="owner", owner_ids=one_person, team_ids=teams)
        filters.owner, filters.owner_ids, filters.team_ids, filters.ids = None, [], [], []
    elif people and len(people) == 1 and one_person and people != one_person and SET_AGAINST.search(text):
        query.compare = Comparison(by="owner", owner_ids=[*one_person, *people])  # "how does that compare with Erin"
        filters.owner, filters.owner_ids, filters.team_ids, filters.ids = None, [], [], []
    elif people and adds:  # "add Sam to that": one more person side by side
        query.compare.owner_ids = list(dict.fromkeys([*query.compare.owner_ids, *people]))  # type: ignore[union-attr]
    elif people and query.group_by == "owner" and len(people) == 1:  # "Show me Rita's." after a split by person
        query.group_by, query.sort, query.order = None, None, None
        query.measure, query.field = "list", None  # type: ignore[assignment]
        filters.owner, filters.team_ids, filters.owner_ids = None, [], people
    elif people:
        filters.owner = None
        filters.team_ids = []
        within = OF_THOSE.search(EACH_OF_THEM_SAID.sub("", text))  # "same number for each of them": theirs
        if set(people) != set(filters.owner_ids) and not within:
            filters.ids = []  # "what about jack's?" after Erin's: his records, not hers just shown
        if len(people) == 1:
            filters.owner_ids = [] if people[0] == principal.user_id else people
            filters.owner = "me" if people[0] == principal.user_id else None
        else:
            query.compare = Comparison(by="owner", owner_ids=people)
            filters.owner_ids = []
            if query.measure == "list" and query.object == "deals":
                query.measure = "count"  # type: ignore[assignment]  # each person's deals counted, with their dollars
    elif len(parts.teams) >= 2 and parts.compare and query.compare is None:
        filters.owner, filters.owner_ids, filters.team_ids = None, [], []  # "split that between West and East"
        query.compare = Comparison(by="team", team_ids=list(parts.teams))
    elif parts.teams:
        if set(parts.teams) != set(previous.filters.team_ids):
            filters.ids = []  # "and how does East's look on those same two numbers" after West's: East's records
        filters.owner, filters.owner_ids, filters.team_ids = None, [], list(parts.teams)
        if query.compare is not None and query.compare.by == "team":
            query.compare = None  # "within East's share, which rep owns the most" after West against East
    elif parts.my_own:
        filters.owner, filters.owner_ids = "me", []
    elif parts.everyone:
        filters.owner, filters.owner_ids, filters.team_ids = None, [], []
    elif parts.team and not parts.mine and filters.owner in ("me", None) and not filters.owner_ids:
        filters.owner = "my_team" if principal.team_id is not None and not principal.is_admin else None
    elif parts.team and WHOLE_TEAM.search(text):  # "same for (my) whole team" after one rep's
        filters.owner_ids, filters.ids = [], []
        filters.owner = "my_team" if principal.team_id is not None and not principal.is_admin else None
    for undone in UNDO.finditer(text):
        _undo(query, undone[1] or "amount")
    status_swapped = parts.status and query.object == "deals" and parts.status != previous.filters.status
    if status_swapped:
        filters.ids = []  # "now the wins over the same stretch": not the lost deals just shown
    if parts.product and query.object == "deals" and parts.product != filters.text:
        filters.text, filters.ids = parts.product, []  # "just the renewals" after my open deals
    if parts.activity_types and query.object == "activities":
        filters.types = list(parts.activity_types)  # type: ignore[assignment]
    if parts.stages and set(parts.stages) != set(previous.filters.stages) and not OF_THOSE.search(text):
        filters.ids = []  # "same total for negotiation" after the proposal deals: other deals than those shown
    if parts.stages or parts.excluded_stages:
        filters.stages = list(parts.stages)
        filters.exclude_stages = list(parts.excluded_stages)
        one_stage = len(parts.stages) == 1 and query.group_by == "stage" and query.compare is None
        if one_stage and query.object == "deals" and DEALS_NAMED.search(text):  # "now just Erin's deals in
            query.group_by, query.measure, query.field = None, "list", None  # type: ignore[assignment]
            query.sort, query.order, query.limit = None, None, max(query.limit, 25)  # Negotiation": the deals
    kept_won = parts.status == "closed" and previous.filters.status in ("won", "lost") and OF_THOSE.search(text)
    if parts.status and query.object == "deals" and not kept_won:  # "how many of those closed in May": still won
        filters.status = parts.status  # type: ignore[assignment]
    elif parts.excluded_status in ("won", "lost") and query.object == "deals" and filters.status == "closed":
        filters.status = "won" if parts.excluded_status == "lost" else "lost"  # type: ignore[assignment]
        if query.group_by == "status":
            query.group_by, query.sort, query.order = None, None, None
    elif (
        parts.excluded_status in ("closed", "open")
        and query.object == "deals"
        and filters.status != parts.excluded_status
    ):
        filters.status = "open" if parts.excluded_status == "closed" else "closed"  # type: ignore[assignment]
    if parts.lead_statuses and query.object == "leads":
        if set(parts.lead_statuses) != set(previous.filters.lead_status) and not OF_THOSE.search(text):
            filters.ids = []  # "swap to the qualified ones": other leads than the new ones just shown
            query.limit = max(query.limit, 25) if not (parts.superlative or parts.limit) else query.limit
        filters.lead_status = list(parts.lead_statuses)
    elif query.object == "leads" and re.search(r"\bnew\b", text) and not real:
        filters.lead_status = ["new"]  # "how many of them are new": the status, not leads created lately
    for name in ("industries", "regions", "sources"):
        values = [v for v in getattr(parts, name) if not _said_instead_of(v, text)] or getattr(parts, name)
        if values:
            if set(values) != set(getattr(previous.filters, name)) and not OF_THOSE.search(text):
                filters.ids = []  # "now APAC" after the LATAM deals: other records than the ones just shown
            setattr(filters, name, list(values))
    if query.object == "contacts" and THEIR_DETAILS.search(text):
        query.measure, query.field, query.group_by = "list", None, None  # type: ignore[assignment]
        filters.ids = filters.ids or list(previous_ids)
    if parts.titles and query.object == "contacts":  # "which of them are the finance people"
        filters.titles = list(parts.titles)
        if OF_THOSE.search(text) or BACK.search(text) or WHICH_ONES.search(text):
            query.measure, query.field = "list", None  # type: ignore[assignment]
    if parts.amount_min is not None or parts.amount_max is not None:
        filters.amount_min, filters.amount_max = parts.amount_min, parts.amount_max
        filters.amount_strict = parts.amount_strict
    if query.object == "leads" and (parts.score_min is not None or parts.score_max is not None):
        filters.score_min, filters.score_max = parts.score_min, parts.score_max  # "any scoring over 40?"
    if parts.weighted and query.object == "deals":
        query.measure, query.field = "sum", "weighted_amount"  # type: ignore[assignment]
        return query
    if parts.overdue:
        filters.overdue = True
    late_field = LATE_FIELD.get(query.object)
    if parts.not_overdue and late_field:
        not_late(filters, late_field, today)
        filters.ids = []
    if parts.missing:
        filters.missing = list(dict.fromkeys([*filters.missing, *parts.missing]))  # type: ignore[list-item]
    held = [name for name in parts.present if name in SOURCES[query.object].missing]
    if held:  # "of those, which have something open on them"
        filters.present = list(dict.fromkeys([*filters.present, *held]))  # type: ignore[list-item]
    if parts.inactive_days:
        filters.inactive_days = parts.inactive_days
        filters.inactive_types = list(parts.inactive_types)  # type: ignore[arg-type]
    if parts.group_by:
        query.group_by = parts.group_by  # type: ignore[assignment]
        if parts.measure == "distinct":  # "how many different accounts make up that industry's pipeline"
            query.measure, query.field, query.sort, query.order = "distinct", None, None, None  # type: ignore[assignment]
        elif query.measure == "list":
            amounts = query.object == "deals" and filters.status in ("open", "won", "lost")
            query.measure, query.field = ("sum", "amount") if amounts else ("count", None)  # type: ignore[assignment]
    elif query.group_by and parts.measure and ONE_FIGURE.search(text) and not re.search(r"\b(?:each|per|by)\b", text):
        query.group_by, query.sort, query.order, query.limit = None, None, None, 25  # "how much of that industry's …"
    if parts.measure in ("win_rate", "conversion_rate") and query.compare is None:
        deals_rate = parts.measure == "win_rate" and query.object == "deals"
        if deals_rate or (parts.measure == "conversion_rate" and query.object == "leads"):
            query.measure, query.field = parts.measure, None  # type: ignore[assignment]
            if deals_rate and filters.status in ("won", "lost", "open"):
                filters.status = None  # "re-rank them by win rate": won and lost both count
            return query
    if parts.days_to_close and parts.each and query.object == "deals":
        query.measure, query.field, query.compare = "list", "days_to_close", None  # type: ignore[assignment]
        if query.filters.status not in ("won", "lost", "closed"):
            query.filters.status = "won"  # days to close are the closed deals' ("each of those lost ones": theirs)
        query.filters.ids = list(previous_ids)
        return query
    if parts.amount_field and parts.measure is None and query.measure == "count" and query.object == "deals":
        query.measure, query.field = "sum", "amount"  # type: ignore[assignment]  # "which stage holds the most money"
    if THE_REST.search(text) and previous_ids and previous.limit < REST_LIMIT and not filters.ids:
        query.limit = REST_LIMIT
        if query.group_by is None:  # a grouped answer shows every group instead of its first few
            filters.exclude_ids = [*filters.exclude_ids, *previous_ids]
        return query
    waited = (parts.sort, parts.order) == ("created_at", "asc") and query.object == "tasks" and filters.overdue
    if waited:  # "which of them has been waiting the longest" among overdue tasks: due longest ago
        parts.sort = "due_date"
    parts.sort = sort_for(parts.sort, query.object)  # "which one has been overdue the longest" among deals
    days_of_theirs = query.field in KEPT_STAT_FIELDS or (parts.days_to_close and query.object == "deals")
    if parts.measure == "count" and days_of_theirs and DAYS_ASKED.search(text):
        parts.measure = None  # "who's the slowest? how many days for them": the days, not a count of deals
    top_cut = previous.sort is not None and previous.limit <= 3 and previous.measure == "list"
    kept = OF_THOSE.search(text) or THOSE_FEW_SAID.search(text)  # "put those three in close-date order"
    _narrow(query, [] if top_cut and not kept else previous_ids, text, parts)
    if status_swapped:
        filters.ids = []  # "and the ones I lost over the same stretch": _narrow may have kept the wins just listed
    if (
        OF_THOSE.search(EACH_OF_THEM_SAID.sub("", text))
        and previous_ids
        and query.measure == "list"
        and not query.group_by
    ):
        query.filters.ids = list(previous_ids)  # "which one of those is Jack's": within the list just shown
    listed = parts.object_words or ONES.search(text) or re.search(r"\b(?:hers|his|theirs|them|those)\b", text)
    asks_records = bool(WHICH_OF.search(text) or (LIST_OF.search(text) and listed))
    owner_column = parts.group_by == "owner" and WHO_OWNS_EACH.search(text) is not None  # listed with their owners
    each_worth = parts.measure == "sum" and EACH_WORTH.search(text)  # "which deals are they and what's each worth"
    measured = parts.measure and not each_worth and not BEHIND_THE_FIGURE.search(text)
    if asks_records and not (measured or parts.sort or parts.superlative or (parts.group_by and not owner_column)):
        query.measure, query.field, query.group_by, query.compare = "list", None, None, None  # type: ignore[assignment]
        query.sort, query.order = None, None
        if query.object == "deals" and filters.status is None and previous.measure == "win_rate":
            filters.status = "closed"
    listed_before = previous.group_by is None and previous.compare is None and previous_ids
    if WHO_OWNS_EACH.search(text) and listed_before and not parts.measure:  # "who owns each of them" after a count
        query.measure, query.field, query.group_by, query.sort, query.order = "list", None, None, None, None
    if THE_CONTACTS_ON_THEM.search(text) and previous.object == "deals":
        query.object, parts.with_contacts = "deals", True
    if (parts.with_contacts or parts.with_next_steps) and query.object == "deals":  # "who's the contact on each?"
        query.with_contacts = query.with_contacts or parts.with_contacts  # each deal with its contact, not groups
        query.with_next_steps = query.with_next_steps or parts.with_next_steps
        query.measure, query.field, query.group_by, query.compare = "list", None, None, None  # type: ignore[assignment]
        query.sort, query.order = (query.sort, query.order) if query.sort != "value" else (None, None)
    if filters.ids:
        filters.exclude_ids = []  # the earlier answer's own records are already the rest
    each_named = re.search(r"\b(?:which|what) (?:compan(?:y|ies)|accounts?|names?|deals?)\b", text)
    if each_named and re.search(r"\bwhose\b", text) and previous_ids and query.compare is None:
        query.measure, query.field, query.sort, query.order = "list", None, None, None  # type: ignore[assignment]
        query.group_by = None
        query.filters.ids = list(previous_ids)  # "whose leads were the converted ones, and what companies": each one
    elif WHOSE.search(text) and query.group_by is None and not re.search(r"\bwhich\b", text) and not parts.sort:
        query.group_by, query.measure, query.field = "owner", "count", None  # type: ignore[assignment]
        query.sort, query.order, query.limit = "value", "desc", 25  # type: ignore[assignment]
    return query


def _only_in_total(text: str) -> bool:
    said = [m[0].lower() for m in ALL_TIME.finditer(text)]
    return bool(said) and all(word == "in total" for word in said)


def _moved_period(filters: QueryFilters, new: PeriodSpec, text: str) -> bool:
    """Whether a follow-up moves the same question to another stretch of the same date ("same for january"), so the
    records picked from the earlier stretch no longer apply ("of those, …" keeps them)."""
    old = filters.period
    if not filters.ids or old is None or OF_THOSE.search(text) or old.field != new.field:
        return False
    return (old.start, old.end) != (new.start, new.end)


def _said_instead_of(value: str, text: str) -> bool:
    """ "I meant referrals, not events": a value named only to be replaced."""
    name = re.escape(value.lower())
    return re.search(rf"\b(?:not|instead of|rather than)\s+(?:the\s+)?{name}s?\b", text) is not None


def _undo(query: QueryInput, what: str) -> None:
    filters = query.filters
    if what == "stage":
        filters.stages, filters.exclude_stages = [], []
    elif what in ("period", "date", "time"):
        filters.period, query.compare = None, None
    elif what in ("owner", "person"):
        filters.owner, filters.owner_ids = None, []
    elif what in ("amount", "size"):
        filters.amount_min = filters.amount_max = None
    else:
        setattr(filters, {"source": "sources", "industry": "industries", "region": "regions"}[what], [])


def _owner_of(query: QueryInput, principal: Principal) -> int | None:
    filters = query.filters
    if filters.owner == "me" and not filters.owner_ids:
        return principal.user_id
    if filters.owner is None and len(filters.owner_ids) == 1 and not filters.team_ids:
        return filters.owner_ids[0]
    return None


ONE_RECORD_OF_BOTH = re.compile(r"\b(?:single|one) (?:deal|opp|opportunity|record|task|lead)\b|\bwhich (?:deal|opp)\b")


def both_people(
    previous: QueryInput, before: QueryInput, text: str, parts: Parts, principal: Principal
) -> QueryInput | None:
    """ "Same for Sam." after "What has Omar won?", then "the two of them combined" (one total over both people) or
    "which of the two has more" (the two side by side): None unless the last two answers each asked about one
    person and otherwise the same thing."""
    asked = BOTH.search(text) or WHO_AHEAD.search(text)
    if not asked or previous.compare is not None or previous.group_by is not None:
        return None
    first, second = _owner_of(before, principal), _owner_of(previous, principal)
    if len(previous.filters.owner_ids) == 2 and previous.filters.owner is None:  # after "the two of them combined"
        first, second = previous.filters.owner_ids
        before = previous
    same_question = before.object == previous.object and before.filters.model_copy(
        update={"owner": None, "owner_ids": [], "ids": []}
    ) == previous.filters.model_copy(update={"owner": None, "owner_ids": [], "ids": []})
    if first is None or second is None or first == second or not same_question:
        return None
    query = previous.model_copy(deep=True)
    query.filters.owner, query.filters.owner_ids, query.filters.ids = None, [first, second], []
    if (parts.superlative or parts.sort) and ONE_RECORD_OF_BOTH.search(text):
        query.measure, query.field, query.group_by = "list", None, None  # type: ignore[assignment]
        query.sort = parts.sort or ("amount" if query.object == "deals" else query.sort)
        query.order = parts.order or ("asc" if parts.superlative == "min" else "desc")  # type: ignore[assignment]
        query.limit = parts.limit or 1
        return query  # "across both lists, which single deal is biggest"
    measure = "count" if parts.count_rank and parts.measure is None else parts.measure
    measure = "sum" if measure is None and parts.pipeline_word and query.object == "deals" else measure
    if query.measure in ("win_rate", "conversion_rate") and BY_HOW_MUCH.search(text):
        measure = None  # "which of the two is ahead, and by how many points?" after two win rates
    if measure in ("count", "sum", "avg", "median"):
        query.measure = measure  # type: ignore[assignment]
        query.field = "amount" if measure != "count" and query.object == "deals" else None
    elif query.measure == "list" and query.object == "deals":
        query.measure, query.field = "sum", "amount"  # type: ignore[assignment]
    if parts.status and query.object == "deals" and query.measure != "win_rate":
        query.filters.status = parts.status  # type: ignore[assignment]
    if parts.stages:  # "which of the two has more deals sitting in Negotiation"
        query.filters.stages = list(parts.stages)
    if parts.compare or re.search(r"\b(?:which|who|whose)\b", text):
        query.filters.owner_ids = []
        query.compare = Comparison(by="owner", owner_ids=[first, second])
    return query


BY_HOW_MUCH = re.compile(
    r"\bby how (?:much|many(?: percentage)? points|many percent|big a (?:gap|margin))\b|"
    r"\bhow (?:big|wide) (?:is |was )?the (?:gap|margin|difference)\b"
)
"""the size of the lead asked for, in the measure already on the table"""


KEPT_STAT_FIELDS = ("days_to_close", "days_since_activity", "age_days", "score", "employees", "weighted_amount")


def _stat_field(query: QueryInput, parts: Parts) -> str | None:
    """The number a swapped statistic is of: the earlier one's ("and the median?" after average days to close)
    unless the message names the amount; else a deal's amount."""
    swapped_stat = parts.measure in ("avg", "median") and query.measure in ("avg", "median", "min", "max", "list")
    if swapped_stat and query.field in KEPT_STAT_FIELDS and not parts.amount_field:
        return query.field
    if parts.days_to_close and query.object == "deals":
        return "days_to_close"  # "and on average how many days did those take to close?"
    default = {"deals": "amount", "leads": "score", "accounts": "employees"}.get(query.object)
    return default if query.object == "deals" or query.field is None else query.field  # "average score of those"


RECORD_SORTS = ("score", "close_date", "created_at", "last_activity", "due_date", "occurred_at")
"""orders of the records themselves: asked after a grouping, they rank its records, not its groups"""
RANKED = re.compile(r"\b(?:rank|ranked|sort|sorted|order|ordered)\b")


def _narrow(query: QueryInput, previous_ids: list[int], text: str, parts: Parts) -> None:
    """ "which is the oldest / biggest of these": the same records, ranked, one answer."""
    ranked = parts.sort or parts.superlative
    listed = previous_ids and query.measure == "list" and query.group_by is None
    worth_most = ranked and parts.measure == "sum" and listed  # "which of those is worth the most": one record
    if parts.measure in ("count", "sum", "avg", "median") and query.compare is not None and not parts.compare:
        query.field = _stat_field(query, parts) if parts.measure != "count" else None  # type: ignore[assignment]
        query.measure = parts.measure  # type: ignore[assignment]  # "now as a number of deals instead"
        return
    if parts.measure in ("count", "sum", "avg", "median") and query.compare is None and not worth_most:
        if parts.measure != "count":
            query.field = _stat_field(query, parts)  # type: ignore[assignment]
        query.measure = parts.measure  # type: ignore[assignment]
        if BACK.search(text) and listed:
            query.filters.ids = list(previous_ids)
        if query.group_by is not None and (parts.order or parts.superlative or RANKED.search(text)):
            high = "asc" if parts.superlative == "min" else "desc"  # "which source has the highest average score"
            query.sort, query.order = "value", parts.order or high  # type: ignore[assignment]
        return
    if not ranked and parts.order and query.measure == "list" and query.group_by is None:
        query.sort = query.sort or ("amount" if query.object == "deals" else None)  # "smallest first please"
        query.order = parts.order  # type: ignore[assignment]
        query.limit = max(query.limit, 25)
        return
    if not ranked and parts.limit and query.measure == "list" and query.group_by is None:
        if listed:
            query.filters.ids = list(previous_ids)
        query.limit = parts.limit  # "just the first three": in the order shown
        return
    if not ranked and query.group_by is not None and (parts.order or RANKED.search(text)):
        query.sort, query.order = "value", parts.order or "desc"  # type: ignore[assignment]  # "rank them by $"
        return
    if not ranked:
        return
    if listed:
        query.filters.ids = list(previous_ids)
    if query.group_by is not None and parts.sort in RECORD_SORTS:  # "of those, which has the highest score"
        query.group_by, query.measure, query.field, query.compare = None, "list", None, None  # type: ignore[assignment]
    if query.group_by is not None:
        query.sort, query.order = "value", ("asc" if parts.superlative == "min" else "desc")
        query.limit = parts.limit or 1
        return
    query.measure = "list"
    if parts.sort:
        query.sort, query.order = parts.sort, parts.order  # type: ignore[assignment]
        if parts.sort_all:
            query.limit = parts.limit or 25
            return
    elif parts.days_to_close and query.object == "deals":
        query.sort, query.field = "days_to_close", "days_to_close"  # "which of those closed fastest"
        query.order = "asc" if parts.superlative == "min" else "desc"
    else:
        query.sort = "amount" if query.object == "deals" else query.sort
        query.order = "asc" if parts.superlative == "min" else "desc"
    query.limit = parts.limit or 1


TOGETHER = re.compile(
    r"\b(?:total|together|combined|altogether|in all|overall|across|between them|sum|add(?:ed)? up|all told|"
    r"which|biggest|largest|smallest|best|worst|top|most|fewest|least)\b"
)
"""'total of both', 'across both quarters, which …': the two periods as one set, not side by side"""


SET_DIMENSION = {"stages": "stage", "regions": "region", "industries": "industry", "sources": "source",
                 "status": "status", "account_ids": "account"}  # fmt: skip
EACH_SET = re.compile(r"\b(?:each|per|separately|respectively|apiece|one by one|side by side|broken out|by group)\b")
""""the total of each of those two groups": one row per set, not one total"""


def both_sets(previous: QueryInput, before: QueryInput, text: str, parts: Parts) -> QueryInput | None:
    """ "Total of both stages together?" after Proposal, then Negotiation; "across both quarters, which win was the
    biggest?" after Q2, then Q3: the last two answers' records as one set, when the two differ only in the stages,
    the period, the regions, the industries, the sources or the accounts they asked about. None otherwise."""
    if not BOTH.search(text) or previous.object != before.object or previous.compare or before.compare:
        return None
    if any(not found.all_time for found in parts.periods):
        return None  # "and this quarter so far, same two numbers?": a third period, not the two before
    kept = {"stages", "period", "regions", "industries", "sources", "ids", "status", "account_ids"}
    if previous.filters.model_dump(exclude=kept) != before.filters.model_dump(exclude=kept):
        return None
    query = previous.model_copy(deep=True)
    filters, earlier = query.filters, before.filters
    differs = [name for name in kept - {"ids"} if getattr(filters, name) != getattr(earlier, name)]
    if len(differs) != 1:
        return None
    name = differs[0]
    if name == "status":
        if {filters.status, earlier.status} != {"won", "lost"}:
            return None
        filters.status = "closed"  # "total of both?" after the wins, then the losses
    elif name == "period":
        if filters.period is None or earlier.period is None or filters.period.field != earlier.period.field:
            return None
        first, last = sorted([earlier.period, filters.period], key=lambda p: p.start or date.min)
        if first.end is None or last.start is None or first.end + timedelta(days=1) != last.start:
            return None  # not next to each other: no one period holds both and nothing between
        if not TOGETHER.search(text):  # "same for emails, both weeks": each period on its own line
            filters.period, filters.ids = None, []
            query.compare = Comparison(by="period", periods=[first, last])
            if parts.activity_types and query.object == "activities":
                filters.types = list(parts.activity_types)
            return query
        label = f"{first.label} and {last.label}" if first.label and last.label else None
        filters.period = PeriodSpec(start=first.start, end=last.end, field=first.field, label=label)
    else:
        setattr(filters, name, list(dict.fromkeys([*getattr(earlier, name), *getattr(filters, name)])))
    filters.ids = []
    if parts.measure in ("count", "sum", "avg", "median"):
        query.measure = parts.measure  # type: ignore[assignment]
        query.field = _stat_field(query, parts) if parts.measure != "count" else None  # type: ignore[assignment]
        query.group_by = SET_DIMENSION.get(name) if EACH_SET.search(text) else None  # type: ignore[assignment]
    elif parts.superlative or parts.sort:
        query.measure, query.field, query.group_by = "list", None, None  # type: ignore[assignment]
        query.sort = parts.sort or ("amount" if query.object == "deals" else query.sort)
        query.order = parts.order or ("asc" if parts.superlative == "min" else "desc")  # type: ignore[assignment]
        query.limit = parts.limit or 1
    return query
