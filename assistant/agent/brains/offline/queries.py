"""The offline brain's path for questions about sets of records: read the message into one query (or
refine the previous one), run the query tool, answer with what was computed and what was not done."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from assistant.agent.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.agent.brains.offline.linking import Entity, Mention, Visible, deals_by_product, link, of_type
from assistant.agent.brains.offline.pronouns import PERSON_PRONOUN, person_in_place
from assistant.agent.brains.offline.understanding.answer import as_result, figure, render_limits, render_query
from assistant.agent.brains.offline.understanding.figures import figures_asked, figures_given
from assistant.agent.brains.offline.understanding.figures import query_for as figures_query
from assistant.agent.brains.offline.understanding.followups import (
    BOTH,
    OF_THOSE,
    REST_LIMIT,
    THE_REST,
    apply_follow_up,
    both_people,
    both_sets,
    is_follow_up,
    used_by_follow_up,
)
from assistant.agent.brains.offline.understanding.normalize import Normalized, normalize
from assistant.agent.brains.offline.understanding.parts import LAST_WITH, Labels, Parts
from assistant.agent.brains.offline.understanding.parts import left_out_of as _left_out
from assistant.agent.brains.offline.understanding.plan import (
    DEFAULT_THIS_YEAR,
    MONEY_ASKED,
    Reading,
    no_money_note,
    read_question,
)
from assistant.agent.brains.offline.understanding.questions import FALLBACK_LEAD, THEIR_STAT
from assistant.agent.brains.offline.understanding.reader import Reader
from assistant.agent.brains.offline.understanding.spelled import UNITS
from assistant.agent.brains.offline.understanding.words import FILLERS
from assistant.crm.access import scope_for
from assistant.crm.models import Activity, Contact, User
from tools.query.spec import Comparison, QueryInput

UNASKED = frozenset({"if", "can't", "cannot", "can", "tell", "give", "find", "get", "at", "least", "either", "way"})
"""the words of "if you can't tell me …, at least …" that only set the condition"""
SIZED = re.compile(r"\b(?:(bigger|larger|biggest|largest)|smaller|smallest)\b")
ALL_OF_THEM = re.compile(r"\b(?:them|those|these|them all|all of them|all four|all three|the lot)\b")
"""'sum them' after one record was picked from a list: the list, not the one"""
THEIR_THING = re.compile(
    r"\b(?:their|its)\b(?= (?:\w+ ){0,2}?(?:cfo|ceo|cto|coo|cio|vp|head|director|manager|"
    r"contacts?|people|deals?|opps?|opportunities|pipeline|tasks?|calls?|meetings?|emails?|notes?|"
    r"leads?|decision[- ]?makers?|champion|buyer|owner|rep)\b)"
)
"""'their CFO', 'its open deals': something of the account just shown"""
ACCOUNT_SHOWN_BY = ("get_account_overview",)
THAT_ACCOUNT = re.compile(r"\b(?:with|at|on|for) (?:that|this|the same) (?:account|company|customer|client)\b")
"""'anything going with that account' after one deal: that deal's account"""
AT_THERE = re.compile(
    r"(?<!is )(?<!are )(?<!was )(?<!were )\b(?:there|(?:at|on|with|for) (?:that|this) (?:one|account|company|customer|"
    r"client))\b"
    r"(?! (?:is|are|was|were|any)\b)"
)
"""'what have I got open there': at the one account just shown ('is there any …' asks whether)"""
CONTACT_POINTED_AT = re.compile(
    r"\b(?:with|to|from|reached|called|call|e-?mailed|e-?mail|met|meet|see|saw|seen|heard from|spoke to|spoken to|"
    r"get|got|had|rang|ring|phoned|phone) "
    r"(him|her|the (?:primary |main |key )?contact(?: (?:on|for|at) (?:it|that|this|that deal|that one|this one|"
    r"the deal|there))?)\b"
)
"""'when did I last speak with him', 'when did I last email her': the contact of the answer before"""
ABOUT_ME = re.compile(r"\b(?:have i|i have|i've|do i|am i|did i|i'm|i am)\b(?! (?:\w+ )?(?:him|her)\b)")
"""the asker's own figures asked, whoever else the message mentions"""
ACTIVITY_WITH = re.compile(
    r"\b(?:calls?|e-?mails?|meetings?|notes?|activit(?:y|ies)|touch ?points?|conversations?)\b[^.?!]{0,40}"
    r"\b(?:with|to|from) (?:him|her)\b"
)
ONE_OF_THEM = re.compile(
    r"\b(?:the\s+)?(?:(first|second|third|fourth|fifth|2nd|3rd|4th|5th)[- ])?(largest|biggest|smallest|oldest|"
    r"newest|latest|soonest|first|second|third|fourth|fifth|2nd|3rd|4th|5th|top|last)\s+"
    r"(?:one|deal|opp|of (?:them|those|these|his|hers|theirs|mine|the two|both))\b|"
    r"\b(?:the\s+)?(bigger|larger|smaller|older|newer)\s+(?:one|deal|opp)?\s*(?:of (?:them|those|these|the two|both)"
    r"(?: two)?)?(?=\W|$)|"
    r"\bthe (?:one|deal) (?:now |currently |that'?s (?:now )?)?(?:at|on) (?:the )?(top)\b|"
    r"\bthe (?:one|deal|opp) (?:that'?s |that is |which is |that was )?(?:closing|due(?: to close)?|set to close) "
    r"(soonest|first|next)\b|"
    r"\bthe (?:one|deal|opp) (?:that'?s |that is |which is |i |we |that |which )?(?:still )?(open|won|lost|closed)\b|"
    r"\bwhich (?:one|deal|opp) (?:is|was) (?:still )?(open|won|lost)\b"
)
"""one deal of the list just shown: by its place, by a ranking, or as the only one still open, won or lost"""
ORDINAL_PLACES = {"first": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5}
WHICH_IS_RANKED = re.compile(
    r"\bwhich (?:one |deal )?of (?:them|those|these)(?: deals)? (?:is|was|has) the (largest|biggest|smallest|oldest|"
    r"newest|latest)(?: one)?\b"
)
"""'which of those is the biggest': said as 'the biggest one' for the pick below"""
DEAL_DETAIL = re.compile(
    r"\b(?:contact|(?:main|key|point) person|person over there|owner|owns|owned|whose|"
    r"close date|closing date|next step|stage|amount|account|details?|status|"
    r"due to close|meant to close|supposed to close|when (?:is|was|does|did) it|how much|worth|primary|what was it|"
    r"(?:expected|set|scheduled|slated|going|likely) to close|when'?s it|reps?|who has it|who holds it|"
    r"talking to|dealing with|speaking (?:to|with)|(?:lead )?source|c[oa]me from|where did it)\b"
)
RANKINGS = {
    "bigger": ("amount", "desc"), "larger": ("amount", "desc"), "smaller": ("amount", "asc"),
    "older": ("created_at", "asc"), "newer": ("created_at", "desc"),
    "smallest": ("amount", "asc"), "oldest": ("created_at", "asc"), "newest": ("created_at", "desc"),
    "latest": ("created_at", "desc"), "soonest": ("close_date", "asc"),
}  # fmt: skip
QUERY_TOOL = "query"
THEY_ALL = re.compile(
    r"^(?=.*\b(?:compare|comparing|versus|vs|side by side|each|both)\b).*"
    r"\b(?:their|them|they|each of them|both of them|the two of them)\b"
)
"""people pointed at together, named in a preamble the question was trimmed from"""
NAMED_ONE = re.compile(
    r"\b(?:the|that|this)\s+(?:[\w&'.-]+\s+){1,3}?(?:one|deal|opp|opportunity)\b(?!s)|"
    r"\b(?:that|the) one (?:at|with|for|from|on)\b"
)
"""one record of the list just shown, pointed at by its account ("the Soylent one", "that one at Harbor")"""
NEXT_DOWN = re.compile(
    r"^\W*(?:(?:and|ok|so|now)\W+)?(?:(?:what about|how about|what's|whats|what is|who's|whos)\s+)?(?:the\s+)?next"
    r"(?:[- ](?:biggest|largest|smallest|oldest|newest|highest|lowest|best|worst))? (?:one|deal|opp|loss|win|sale)"
    r"(?: down| after (?:that|it|this)(?: one)?| on the list| in line| below)?\W*$|"
    r"^\W*(?:(?:and|ok|so)\W+)?(?:the\s+)?(?:one|deal) (?:after|below) (?:that|it)\W*$",
    re.I,
)
"""the record ranked right after the one just shown ("and the next one down?")"""
ABOUT_THE_ONE = re.compile(
    r"\b(?:she|he|they|her|his|their|that lead|this lead|the lead)\b.*\b(?:company|firm|employer|work for|works for|"
    r"score|status|source|owner|owns|c[oa]me to us|f(?:i|ou)nd us|c[oa]me in)\b|"
    r"\b(?:company|firm|employer|score|status|source|owner)\b.*"
    r"\b(?:she|he|they|her|his|their|that lead|this lead)\b",
    re.I,
)
"""a question about the one lead just shown ("what company is she with")"""
WHO_WAS_IT = re.compile(
    r"^\W*(?:(?:and|ok|so)\W+)?(?:who|whom)(?:'s| was| is| were)? (?:that|it|this|that one|this one|"
    r"the (?:call|e-?mail|meeting|note))? ?(?:to|with|for|from|about|on|by)?\W*$|"
    r"^\W*(?:(?:and|ok|so)\W+)?(?:with|to) whom\W*$"
)
"""'who was that one to' after the one activity just shown: that activity again, its line naming the person"""
LEAD_PICKED = re.compile(r"\bthe (top|first|second|2nd|third|3rd|fourth|4th|fifth|5th|last)(?: one| lead)?\b")
LEAD_DETAIL = re.compile(r"\b(?:company|firm|employer|e-?mail|phone|number|score|status|source|owner)\b")
AT_THE_ACCOUNT = re.compile(
    r"\b(?:there|that account|that company|that customer|that client|with them|at them|that one's account)\b|"
    r"\bwho do (?:we|i|you) know\b"
)
"""the account itself asked about after an ordinal pick ("who do we know there")"""
FIGURE_WORDS = re.compile(
    r"\b(?:win(?:ning)? (?:rate|ratio|%|percentage)|close rate|won|wins|lost|losses|lose|revenue|"
    r"bookings|dollars|pipeline|pipe|open)\b"
)
"""words that name a figure given beside the query's own"""
WIN_RATE_NOTE = re.compile(r"\n?Note: the win rate counts won and lost deals, so the '\w+' filter was not applied\.?")
AMONG_THEM = re.compile(
    r"^\W*(?:(?:and|so|ok)\W+)?(?:which|who) (?:one )?of (?:them|those|these)(?: people| contacts)?\b"
)
"""'which of them is the CFO' after an account's contacts: the people just shown"""
STATE_KEY = "query"
KEPT_IDS = 200
KEPT_KEYS = 10
THAT_GROUP = re.compile(
    r"\b(?:that|this|the top|the winning|the leading|the first|the biggest|the largest) "
    r"(industry|vertical|sector|region|territory|(?:lead )?source|stage|rep|owner|seller|account|customer)(?:'s)?\b"
)
GROUP_ORDINAL = re.compile(
    r"(?<!at )(?<!on )(?<!to )\bthe (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|top|last|bottom)"
    r"(?: one| on (?:that|the) list)?\b"
    r"(?!\s+(?:\d|two|three|four|five|ten)\b)"
)
GO_BACK = re.compile(
    r"\b(?:go(?:ing)? back to|back to the|return to) (?:the |those |that )?(?:earlier|previous|first|[\w-]+)"
)
WHICH_RECORDS = re.compile(r"^\W*which (?:\w+ ){0,3}(?:deals|opps|opportunities|leads|tasks)\b")
""""which open deals … are missing a next step? group them by rep": the groups, and the records in them"""
EACH_SIDE_LISTED = re.compile(
    r"\b(?:name|list|show(?: me)?|spell out|give me) (?:the |their |those |all the |all their )?(?:\w+ )?"
    r"(?:deals|opps|opportunities)\b|\b(?:the )?deals themselves\b|\band (?:which|what) deals\b"
)
""""compare Rita and Omar on wins this month, and name the deals each of them won": each side's deals too"""
_COUNTED = r"(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
THOSE_COUNTED = re.compile(
    rf"\b(?:those|these) {_COUNTED}\b(?! of)(?! (?:months|quarters|weeks|years|periods|stages|regions|industries|"
    r"sources|lists|sets|groups|accounts|teams|reps|people|numbers|figures)\b)|"
    rf"\b(?:the|all) {_COUNTED} (?:deals|ones|opps|leads|accounts|tasks|contacts)\b"
)


def _the_set_before_counted(saved: dict[str, Any], text: str) -> bool:
    """ "how many dollars of those five sit with East" after "which of those five are West's" (one): the five
    records of the answer before, counted by the number said."""
    said = THOSE_COUNTED.search(text)
    if said is None or not saved.get("before_ids"):
        return False
    word = said[1] or said[2]
    number = int(word) if word.isdigit() else UNITS.get(word, 0)
    return len(saved["before_ids"]) == number != len(saved.get("ids") or [])


ONE_DEAL_NAMED = re.compile(
    r"\b(?:the|that|this|our|my) (?:won |lost |open |closed |new )?(?:[\w-]+ ){0,2}(?:deal|opportunity|opp|pilot|"
    r"renewal|expansion|platform|license|suite|seats)\b(?!s)"
)
"""'the renewal deal': one deal of the account named, by its product"""
THAT_ONE = re.compile(r"\b(?:in|from|of|for|at|under) (?:that|this) one\b")
ON_TOP = re.compile(
    r"\b(?:who|whoever|whichever(?: one| rep)?)(?:'s| is|s)? (?:on top|top|the leader|leading|in front|number one|"
    r"first)\b|\b(?:the|that) (?:top|leading) (?:rep|person|one|seller|account|stage)\b"
)
"""'who's on top there and which deals got them there': the first group of the ranking just shown"""
PERSON_BACK = re.compile(r"\b(?:her|hers|his|him|she|he|their|theirs|them)\b")
ORDINALS = {
    "1st": 0,
    "2nd": 1,
    "3rd": 2,
    "4th": 3,
    "5th": 4,
    "first": 0,
    "top": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "last": -1,
    "bottom": -1,
}
GROUP_WORDS = {"industry": "industry", "vertical": "industry", "sector": "industry", "region": "region",
               "territory": "region", "source": "source", "lead source": "source", "stage": "stage",
               "rep": "owner", "owner": "owner", "seller": "owner", "account": "account",
               "customer": "account"}  # fmt: skip
GROUP_FILTERS = {"industry": "industries", "region": "regions", "source": "sources", "stage": "stages",
                 "owner": "owner_ids", "account": "account_ids"}  # fmt: skip
THOSE_ASKED = re.compile(r"^\W*(?:(?:and|so|ok)\W+)?(?:what|which) (?:are|were) (?:those|these|they)\b")
RECORDS_BEHIND = re.compile(
    r"\b(?:which|what) (?:deals|ones)\b|\bgot (?:them|him|her) there\b|\bmake(?:s)? up\b|\bbehind (?:it|that|the)\b|"
    r"\blist\b|^\W*(?:(?:and|so|ok)\W+)?(?:what|which) (?:are|were) (?:those|these|they)\b"
)
MONEY_WORDS = re.compile(r"\b(?:revenue|pipeline|pipe|dollars?|amount|value|bookings|money|business|sales)\b|\$")
SPREAD_WORDS = re.compile(
    r"(?:(?:the |my |our )?(?:biggest|largest|smallest|highest|lowest|spread|range|between|in between)"
    r"(?: one| win| deal)?(?:,? (?:and|&) )?)+"
)
"""'my biggest win, my smallest win and the average in between': what an average's answer shows beside it"""
LEAD_LINE_WORDS = re.compile(r"(?:(?:job )?titles?|roles?|positions?|company|companies|employer)")
"""what a lead's line shows beside its status and score"""
COUNTED_TOO = re.compile(
    r"\b(?:by|in) (?:number|count|deal count|volume)\b|\bnumber of deals\b|\bhow many\b(?! dollars)|\bby count\b|"
    r"\b(?:count|number) and (?:by )?(?:value|dollars?|\$|amount|revenue)\b"
)
"""'once by number of deals and once by dollars': the share by count beside the share by value"""
SHARE = re.compile(
    r"\b(?:what|which) (?:share|slice|portion|part|percentage|percent|proportion|fraction|piece|chunk) "
    r"(?:of\b|(?:came|comes|come|was|were|is|are) (?:in )?(?:from|through|via|with)\b)|"
    r"\bwhat % of\b|\bas an? (?:share|percentage|percent|proportion|fraction|%)|\bin percent(?:age)? terms\b|"
    r"\bhow much of (?:the |our |my |the team'?s |\w+'s )?(?:team'?s? )?(?:open |total )?"
    r"(?:pipeline|pipe|revenue|wins?)\b|"
    r"\b(?:share|percentage|percent|proportion) (?:of (?:the |our |my )?(?:team'?s? |total )?)?"
    r"(?:pipeline|revenue|wins?)\b|"
    r"\b(?:versus|vs|against|compared (?:to|with)|out of|next to) (?:my|our|the|his|her|their|the team's) "
    r"(?:whole|entire|overall|total|full)\b|\bhow many dollars of\b|"
    r"\b(?:pipeline|pipe|revenue|wins?|total)\b[^?.!]{0,40}\band how much of (?:it|that|this|those|them)\b"
)
"""one group's part of a whole ("what slice of the team's pipeline is Omar's", "the total open pipeline and how
much of it is in Negotiation")"""
BOTH_WORDS = re.compile(
    r"(?:the )?(?:two|pair|both|combined|together|them both|of them|between|bigger|larger|smaller|higher|lower|"
    r"both (?:averages|totals|numbers|figures|rates))(?: of them)?"
)

BOTH_SETS = re.compile(
    BOTH_WORDS.pattern + r"|(?:across |over |for |of )?(?:both|the two|those two|two) (?:stages|quarters|months|years|"
    r"periods|regions|industries|sources|lists|sets|groups|accounts|companies|customers)"
)


def labels_of(visible: Visible) -> Labels:
    catalog = visible.catalog
    return Labels(
        catalog.stages,
        catalog.industries,
        catalog.regions,
        catalog.sources,
        catalog.lead_statuses,
        catalog.teams,
        catalog.managed_teams,
        catalog.products,
    )


AT_THAT_ACCOUNT = re.compile(
    r"\b(?:(?<!is )(?<!are )there(?! (?:is|are|was|were)\b)|at (?:that|this) (?:account|one|customer|company|client)|"
    r"with (?:them|that account|that customer)|at them)\b"
)
"""'how many opps there' after a ranking of accounts: at the account on top"""
HE_OR_SHE = re.compile(r"\b(?:he|she)\b")
"""the colleague of the answer before as the subject ("is he still carrying"); "the biggest of his" is the list's"""
N_BIGGEST = re.compile(
    r"\b(?:\d+|two|three|four|five) (?:biggest|largest|smallest|top|best|latest|oldest|newest|highest|lowest)\b"
)
ON_THE_NTH_ONE = re.compile(
    r"\b(?:on|at|for|with|from) the (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|top|last) "
    r"(?:one|account|customer|company|client)\b"
)
"""'any overdue tasks on the first one?' after a ranking of accounts: at that account"""


def _at_the_leading_account(
    shown: QueryInput, fresh: QueryInput | None, saved: dict[str, Any], text: str, parts: Any
) -> QueryInput | None:
    """A question about the top account of the ranking just shown, pointing at it ("there", "with them") instead
    of naming it: asked over that account, with the ranking's owner and status when it names none."""
    refs = saved.get("refs") or []
    picked = ON_THE_NTH_ONE.search(text)
    index = ORDINALS.get(picked[1], 0) if picked else 0
    pointed = AT_THAT_ACCOUNT.search(text) or picked
    if shown.group_by != "account" or len(refs) <= index or refs[index] is None or fresh is None or not pointed:
        return None
    other_kind_by_owner = fresh.group_by == "owner" and fresh.object != shown.object  # "who owns the contacts there"
    if of_type(parts.mentions, "account") or (fresh.group_by is not None and not other_kind_by_owner):
        return None
    if fresh.compare is not None:
        return None
    asked = fresh.model_copy(deep=True)
    asked.filters.account_ids = [refs[index]]
    if asked.object == shown.object:
        if asked.filters.owner is None and not asked.filters.owner_ids:
            asked.filters.owner, asked.filters.owner_ids = shown.filters.owner, list(shown.filters.owner_ids)
        asked.filters.status = asked.filters.status or shown.filters.status
    return asked


def _share_key(dimension: str, row: Any) -> Any:
    """What a share's named value is matched against: the record id of a person or account, else the label."""
    if dimension in ("owner", "account"):
        return row.ref.id if row.ref is not None else None
    return row.key.lower() if isinstance(row.key, str) else row.key


@dataclass
class Understood:
    normalized: Normalized
    reading: Reading
    deal_by_product: int | None = None
    """the one deal of the named account whose product the message names ("the renewal deal")"""
    account_pointed: bool = False
    """'that account' was the account of the deal just shown: a question about the account, asked afresh"""


class QueryPath:
    def __init__(self, runner: ToolRunner) -> None:
        self.runner = runner

    def available(self) -> bool:
        return QUERY_TOOL in self.runner.specs

    def _person_before(self, turn: Turn) -> str | None:
        """The first name of the one colleague the last answer was about ("What were his two biggest wins?" after
        Omar was named), for "he" / "his" in the next question; None when it was about no one person."""
        saved = turn.state.get(STATE_KEY) or {}
        if turn.state.get("last_tool") != QUERY_TOOL or not saved.get("input"):
            return None
        owners = list((saved["input"].get("filters") or {}).get("owner_ids") or [])
        if len(owners) != 1 or owners[0] == turn.deps.principal.user_id:
            return None
        name = turn.deps.session.scalars(select(User.name).where(User.id == owners[0])).first()
        return name.split()[0] if name else None

    def understand(self, message: str, visible: Visible, turn: Turn) -> Understood:
        catalog = visible.catalog
        vocabulary = [*catalog.stages, *catalog.industries, *catalog.regions, *catalog.sources, *catalog.products]
        fallback = FALLBACK_LEAD.match(message.strip())
        condition = ""
        if fallback and len(message.strip()[fallback.end() :].split()) >= 3:
            condition = message.strip()[: fallback.end()]  # "if you can't tell me X, at least give me Y": Y, and
            message = message.strip()[fallback.end() :]  # X is said to be left out
        today: date = turn.deps.clock.today()
        normalized = normalize(_unsigned(message, turn.deps.principal.name), catalog.name_words, vocabulary, today)
        mentions = link(visible, normalized.text)
        about_me = ABOUT_ME.search(
            normalized.text
        )  # "… with Maya tomorrow and she'll grill me, so how much have I got"
        if (
            normalized.trimmed
            and PERSON_PRONOUN.search(normalized.text)
            and not of_type(mentions, "user")
            and not about_me
        ):
            named = {m.entity.id: m.entity for m in of_type(link(visible, message.lower()), "user")}
            named.pop(turn.deps.principal.user_id, None)
            if len(named) == 1:  # "Jack asked for feedback. … what is his win rate": Jack's, from the trimmed preamble
                normalized.text = person_in_place(normalized.text, next(iter(named.values())).name.split()[0].lower())
                mentions = link(visible, normalized.text)
        carried = self._person_before(turn) if not of_type(mentions, "user") and not about_me else None
        if carried is not None and HE_OR_SHE.search(normalized.text):  # "how many deals is he still carrying"
            normalized.text = person_in_place(normalized.text, carried.lower())
            mentions = link(visible, normalized.text)
        if normalized.trimmed and THEY_ALL.search(normalized.text) and not of_type(mentions, "user"):
            named = {m.entity.id: m.entity for m in of_type(link(visible, message.lower()), "user")}
            named.pop(turn.deps.principal.user_id, None)
            if 2 <= len(named) <= 4:  # "Omar and Jack are both up for it. Compare their open pipelines"
                people = " and ".join(person.name.lower() for person in named.values())
                normalized.text = f"{normalized.text.rstrip(' ?.')} for {people}?"
                mentions = link(visible, normalized.text)
        focus_contact = (turn.state.get("focus") or {}).get("contact")
        pointed = CONTACT_POINTED_AT.search(normalized.text)
        kinds_with = ACTIVITY_WITH.search(normalized.text)  # "how many emails have I logged with her this year"
        asks_with = LAST_WITH.search(normalized.text) or kinds_with
        if focus_contact and pointed and not of_type(mentions, "contact") and asks_with:
            name = str(focus_contact["name"]).lower()  # "when did I last speak with him": the contact just shown
            normalized.text = normalized.text[: pointed.start(1)] + name + normalized.text[pointed.end(1) :]
            mentions = link(visible, normalized.text)
        deal_shown = (turn.state.get("focus") or {}).get("deal")
        that_account = THAT_ACCOUNT.search(normalized.text)
        account_pointed = False
        if deal_shown and that_account and not of_type(mentions, "account"):
            deal = visible.find("deal", int(deal_shown["id"]))
            account = visible.find("account", deal.account_id) if deal and deal.account_id else None
            if account is not None:  # "does Omar have anything going with that account" after Sam's Vandelay deal
                named = f"at {account.name.lower()}"
                normalized.text = (
                    normalized.text[: that_account.start()] + named + normalized.text[that_account.end() :]
                )
                mentions = link(visible, normalized.text)
                account_pointed = True
        account_shown = (turn.state.get("focus") or {}).get("account")
        last = turn.state.get(STATE_KEY) or {}
        one_listed = turn.state.get("last_tool") == QUERY_TOOL and len(last.get("ids") or []) == 1
        one_listed = one_listed and (last.get("input") or {}).get("object") == "accounts"
        shown_alone = turn.state.get("last_tool") in ACCOUNT_SHOWN_BY or one_listed
        their, there = THEIR_THING.search(normalized.text), AT_THERE.search(normalized.text)
        if account_shown and (their or there) and shown_alone and not mentions:
            name = str(account_shown["name"]).lower()  # "who's their CFO" after an account's overview: that account's
            said, named = (their, f"{name}'s") if their else (there, f"at {name}")
            normalized.text = normalized.text[: said.start()] + named + normalized.text[said.end() :]  # type: ignore[union-attr]
            mentions = link(visible, normalized.text)
        people_shown = turn.state.get("last_tool") == "find_contacts" and account_shown and not mentions
        shown_at = visible.find("account", int(account_shown["id"])) if people_shown else None  # type: ignore[index]
        if shown_at is not None and (among := AMONG_THEM.search(normalized.text)):
            name = shown_at.name.lower()  # "which of them is the CFO" after an account's contacts
            normalized.text = f"{normalized.text[: among.end()]} at {name}{normalized.text[among.end() :]}"
            mentions = link(visible, normalized.text)
        by_product: list[Mention] = []
        flat = normalized.text.replace("-", " ")
        in_full = any(" " in p.replace("-", " ") and p.lower().replace("-", " ") in flat for p in catalog.products)
        named_product = ONE_DEAL_NAMED.search(normalized.text) or in_full  # "soylent green energy add on seats"
        if not of_type(mentions, "deal") and named_product:
            by_product = deals_by_product(visible, normalized.text, mentions)  # "how much the renewal deal is worth"
        reading = read_question(normalized, mentions + by_product, labels_of(visible), turn.deps.principal, today)
        if named_product and not by_product and not of_type(mentions, "deal"):
            reading.notes += _product_not_at_account(visible, normalized.text, mentions)
        if condition:
            unasked = Reader(normalize(condition, catalog.name_words).text).leftover(FILLERS | UNASKED)
            reading.leftovers += [p for p in unasked if not set(p.split()) <= catalog.name_words]
        return Understood(normalized, reading, by_product[0].entity.id if by_product else None, account_pointed)

    def follow_up(self, understood: Understood, turn: Turn, visible: Visible | None = None) -> QueryInput | None:
        """The previous answer's query, changed by this message; None when the message starts afresh."""
        saved = turn.state.get(STATE_KEY)
        parts = understood.reading.parts
        if not saved or parts is None or understood.account_pointed:
            return None  # "anything still open at that account?" after one deal: that account's, asked afresh
        text = understood.normalized.text
        shown = QueryInput.model_validate(saved["input"])
        before = QueryInput.model_validate(saved["before"]) if saved.get("before") else None
        if before is not None and GO_BACK.search(text):  # "ok go back to the before-year-end ones"
            shown, before, saved = before, None, {"input": saved["before"]}
        elif before is not None and _the_set_before_counted(saved, text):  # "… of those five" after one of them
            shown, before, saved = before, None, {"input": saved["before"], "ids": saved["before_ids"]}
        rest = _rest_of_the_set(shown, before, saved, text) if not (parts.mentions or TAKEN_OUT.search(text)) else None
        if rest is not None:  # "and the rest?" after "which of them came from referrals?"
            understood.reading.leftovers = [
                p for p in understood.reading.leftovers if not THE_REST.fullmatch(p.lower())
            ]
            return rest
        again = _picked_again(shown, saved, text)
        if again is not None:  # "and the third one?" after "who owns the first one"
            understood.reading.leftovers = [p for p in understood.reading.leftovers if p.lower() not in ORDINALS]
            return again
        fresh_ranking = understood.reading.query
        if saved.get("picked_from") and INSTEAD_RANKED.search(text) and fresh_ranking is not None:
            understood.reading.leftovers = [p for p in understood.reading.leftovers if p.lower() != "instead"]
            return _ranked_instead(QueryInput.model_validate(saved["picked_from"]["input"]), fresh_ranking, parts)
        picked_one = shown.limit == 1 and shown.measure == "list" and before is not None and before.limit != 1
        if picked_one and ALL_OF_THEM.search(text) and parts.measure in ("sum", "count", "avg", "median"):
            shown, before, saved = before, None, {"input": saved["before"]}  # "ok sum them" after "which has …"
        both = both_people(shown, before, text, parts, turn.deps.principal) if before is not None else None
        if both is not None:
            leftovers = understood.reading.leftovers
            understood.reading.leftovers = [p for p in leftovers if not BOTH_SETS.fullmatch(p.lower())]
            return both
        dropped = self._without_one(shown, saved, text, parts, turn)
        if dropped is not None:  # "drop the smallest one - what do the rest add up to?"
            drop_words = ("drop", "rest", "remove", "the rest", "exclude")
            understood.reading.leftovers = [p for p in understood.reading.leftovers if p.lower() not in drop_words]
            return dropped
        other = _the_other_value(shown, before, text) if before is not None else None
        if other is not None:  # "same for the other region" after LATAM of EMEA and LATAM
            leftovers = understood.reading.leftovers
            understood.reading.leftovers = [p for p in leftovers if not OTHER_WORDS.fullmatch(p.lower())]
            return other
        joined = both_sets(shown, before, text, parts) if before is not None else None
        if joined is not None:
            reading = understood.reading
            reading.leftovers = [
                p
                for p in reading.leftovers
                if not (BOTH_SETS.fullmatch(p.lower()) or BOTH_PERIODS.fullmatch(p.lower()))
            ]
            reading.notes = [note for note in reading.notes if note != DEFAULT_THIS_YEAR]
            return joined
        leader = _at_the_leading_account(shown, understood.reading.query, saved, text, parts)
        if leader is not None:  # "how many opps there" after the account with the most open dollars
            leftovers = understood.reading.leftovers
            understood.reading.leftovers = [p for p in leftovers if p.lower() not in ORDINALS]
            return leader
        tied = _the_tied_people(shown, saved, text, parts)
        picks_group = bool(saved.get("keys") and (GROUP_ORDINAL.search(text) or _group_picked(shown, saved, text)))
        narrowed = picks_group or tied is not shown or GO_BACK.search(text) is not None
        fresh_query = understood.reading.query
        named_kind = fresh_query is not None and bool(parts.object_words)
        swapped = _same_for_other_object(shown, fresh_query, text) if named_kind else None
        if swapped is not None:  # "same for contacts" after my accounts: my contacts
            understood.reading.leftovers = [p for p in understood.reading.leftovers if p.lower() != "same"]
            return swapped
        ranked = _accounts_ranked_by_records(shown, fresh_query, saved, text, parts) if fresh_query else None
        if ranked is not None:  # "which of those has the most contacts" after a list of accounts
            return ranked
        at_theirs = _at_their_accounts(shown, fresh_query, saved, text, visible) if fresh_query is not None else None
        if at_theirs is not None and not narrowed:  # "anything open at those same accounts" after lost deals
            return at_theirs
        at_them = _deals_at_the_accounts(shown, fresh_query, saved, text) if fresh_query is not None else None
        if at_them is not None and not narrowed:  # "how many Healthcare accounts … and their open pipeline?"
            return at_them
        their_tasks = _tasks_on_the_deals(shown, fresh_query, saved, text) if fresh_query is not None else None
        if their_tasks is not None and not narrowed:  # "which ones have a task due next week" after deals
            return their_tasks
        on_deals = _deals_of_the_tasks(shown, fresh_query, saved, text, turn) if fresh_query is not None else None
        if on_deals is not None and not narrowed:  # "are any of those deals past their close date" after tasks
            return on_deals
        of_people = _records_of_the_contacts(shown, fresh_query, saved, text) if fresh_query is not None else None
        if of_people is not None and not narrowed:  # "how many calls have we logged with them" after contacts
            return of_people
        at_one = _records_at_the_one_account(shown, fresh_query, text) if fresh_query is not None else None
        if at_one is not None and (not narrowed or WITH_THEM.search(text)):  # after "who owns the second one"
            return at_one
        other_kind = shown.object == "activities" and bool(parts.activity_types) and not parts.mentions
        other_kind = other_kind and len(text.split()) <= BARE_KIND_WORDS  # "emails?" after a count of calls
        if not (narrowed or other_kind or is_follow_up(text, parts)):
            return None
        fresh = understood.reading
        other_object = fresh.is_set and parts.object_words and fresh.query.object != shown.object
        if other_object and not narrowed and not OF_THOSE.search(text) and fresh.query.filters.deal_ids:
            return None  # "are any of my tasks on that deal overdue?" after a list of meetings: the deal's tasks
        previous = _deals_they_are_on(_within_top_group(shown, saved, text), saved, text)
        previous = tied if previous is shown else previous
        own_ranking = parts.limit and N_BIGGEST.search(text)  # "what were his two biggest wins": ranked within it
        if previous is not shown and not own_ranking:  # the group picked is the subject now; "top" picked it
            parts.superlative, parts.limit = None, None
            if parts.group_by in (None, shown.group_by):
                parts.group_by, parts.group_from = None, None
        if before is not None and BOTH.search(text) and previous.object == before.object == "activities":
            previous = previous.model_copy(deep=True)  # "what about September, both of those?": calls and emails
            previous.filters.types = sorted({*before.filters.types, *previous.filters.types})
            previous.group_by = "type" if previous.measure == "count" else previous.group_by
        changed = apply_follow_up(
            previous,
            list(saved.get("ids") or []),
            text,
            parts,
            turn.deps.principal,
            turn.deps.clock.today(),
        )
        reading = understood.reading
        reading.leftovers = [p for p in reading.leftovers if not used_by_follow_up(p.lower())]
        periods = [p for p in (before.filters.period, shown.filters.period) if p is not None] if before else []
        if BOTH_PERIODS.search(text) and changed.compare is None and len(periods) == 2 and periods[0] != periods[1]:
            changed.filters.period = None  # "same for emails, both weeks": the two periods just asked, side by side
            changed.compare = Comparison(by="period", periods=periods)
            reading.leftovers = [p for p in reading.leftovers if not BOTH_PERIODS.fullmatch(p.lower())]
        left_out = [m for m in of_type(parts.mentions, "account") if _left_out(text, m.text)]
        if left_out and visible is not None and changed.object == "deals":  # "redo that without the Oscorp deals"
            accounts = {m.entity.id for m in left_out}
            deals = [deal.id for account in accounts for deal in visible.deals_of(account)]
            changed.filters.exclude_ids = sorted({*changed.filters.exclude_ids, *deals})
            changed.filters.excluded_as = "at " + " and ".join(m.entity.name for m in left_out)
            changed.filters.account_ids = [a for a in changed.filters.account_ids if a not in accounts]
            changed.filters.ids = [i for i in changed.filters.ids if i not in deals]
            reading.leftovers = [p for p in reading.leftovers if p.lower() not in ("without", "redo", "excluding")]
        if changed.measure in ("win_rate", "conversion_rate"):
            reading.leftovers = [p for p in reading.leftovers if p.lower() not in ("rate", "rates")]  # "his rate"
        if changed.field in ("days_to_close", "days_since_activity", "age_days"):
            reading.leftovers = [p for p in reading.leftovers if p.lower() not in ("days", "day")]
        if changed.field == "score":
            reading.leftovers = [p for p in reading.leftovers if p.lower() not in ("score", "scores")]
        if previous.filters.period is not None:
            reading.notes = [note for note in reading.notes if note != DEFAULT_THIS_YEAR]  # the period came along
        if changed.object in ("leads", "contacts") and MONEY_ASKED.search(text):  # "… and the revenue from them"
            reading.notes = [*reading.notes, no_money_note(changed.object)]
            return changed
        person_named = any(m.entity.type in ("contact", "lead") for m in parts.mentions)  # "marco's direct line"
        unchanged_ok = understood.reading.leftovers == [] and not person_named
        return changed if changed != shown or unchanged_ok else None

    def deals_shown(self, turn: Turn) -> QueryInput | None:
        """The deals of the answer just given, listed again (each with its close date), or None."""
        saved = turn.state.get(STATE_KEY)
        if not saved or not saved.get("ids"):
            return None
        shown = QueryInput.model_validate(saved["input"])
        if shown.object != "deals":
            return None
        query = shown.model_copy(deep=True, update={"measure": "list", "field": None, "group_by": None})
        query.compare, query.limit, query.filters.ids = None, 25, list(saved["ids"])
        return query

    def picks_from_last(self, text: str, turn: Turn) -> bool:
        """Whether the message picks one record out of the list just shown ("of those, the biggest one - who's the
        contact I should chase"): a question about that record, not the agenda."""
        saved = turn.state.get(STATE_KEY)
        return bool(saved and saved.get("ids") and ONE_OF_THEM.search(WHICH_IS_RANKED.sub(r"the \1 one", text)))

    def deal_named_in_last(self, understood: Understood, turn: Turn, visible: Visible) -> int | None:
        """ "The Soylent one - what's it worth?" after a list of deals or of activities: the one deal of that list
        at the account named."""
        saved = turn.state.get(STATE_KEY)
        text = understood.normalized.text
        mentions = understood.reading.parts.mentions if understood.reading.parts is not None else []
        accounts = {m.entity.id for m in of_type(mentions, "account")}
        if not saved or len(accounts) != 1 or of_type(mentions, "deal") or not NAMED_ONE.search(text):
            return None
        previous = QueryInput.model_validate(saved["input"])
        listed = saved.get("ids") if previous.object == "deals" else saved.get("deal_ids")
        account = next(iter(accounts))
        catalog = visible.catalog
        deals = [catalog.by_key.get(("deal", deal_id)) for deal_id in dict.fromkeys(listed or [])]
        at_account = [deal.id for deal in deals if deal is not None and deal.account_id == account]
        return at_account[0] if len(at_account) == 1 else None

    def _without_one(
        self, shown: QueryInput, saved: dict[str, Any], text: str, parts: Parts, turn: Turn
    ) -> QueryInput | None:
        """The deals just listed less the one a ranking word picks ("drop the smallest one"), totalled when asked."""
        said = DROP_RANKED.search(text)
        ids = list(saved.get("ids") or [])
        if said is None or len(ids) < 2 or shown.object != "deals" or shown.group_by or shown.measure != "list":
            return None
        low = said[1] in ("smallest", "lowest", "bottom", "cheapest")
        pick = shown.model_copy(deep=True, update={"sort": "amount", "order": "asc" if low else "desc", "limit": 1})
        pick.filters.ids = ids
        run = self._run_query(turn, pick)
        items = as_result(run.result).items if run.result is not None else []
        if not items:
            return None
        rest = shown.model_copy(deep=True)
        rest.filters.ids = [i for i in ids if i != items[0].id]
        if parts.measure in ("sum", "avg", "median", "count"):
            rest.measure = parts.measure  # type: ignore[assignment]
            rest.field = None if parts.measure == "count" else "amount"  # type: ignore[assignment]
        return rest

    def account_pointed_at(self, text: str, turn: Turn, visible: Visible) -> Entity | None:
        """ "the second one - who do we know there", "the third one - anything still open with that account?": the
        account of the group or deal the ordinal picks from the answer just shown, when the message asks about the
        account itself."""
        saved = turn.state.get(STATE_KEY)
        ordinal = GROUP_ORDINAL.search(text)
        if not saved or ordinal is None:
            return None
        text = text[: ordinal.start()] + re.sub(r"^\s*there\b", "", text[ordinal.end() :])  # "the top one there"
        previous = QueryInput.model_validate(saved["input"])
        about_people = previous.group_by == "account" and re.search(r"\bcontacts?\b", text)
        if not (AT_THE_ACCOUNT.search(text) or about_people):  # the contact of a deal picked is its primary contact
            return None
        index = ORDINALS.get(ordinal[1].lower())
        if index is None:
            return None
        account_id: int | None = None
        if previous.group_by == "account":
            refs = saved.get("refs") or []
            account_id = refs[index] if index < len(refs) else None
        elif previous.object == "deals" and previous.group_by is None and previous.measure == "list":
            ids = saved.get("ids") or []
            deal = visible.find("deal", ids[index]) if index < len(ids) else None
            account_id = deal.account_id if deal is not None else None
        return visible.find("account", account_id) if account_id is not None else None

    def next_one_down(self, text: str, turn: Turn) -> int | None:
        """ "and the next one down?" after the top deals of a ranking: the deal ranked right after them."""
        saved = turn.state.get(STATE_KEY)
        if not saved or not NEXT_DOWN.search(text):
            return None
        previous = QueryInput.model_validate(saved["input"])
        ranked = previous.sort not in (None, "value") and previous.group_by is None and previous.measure == "list"
        if previous.object != "deals" or not ranked or previous.limit >= 10:
            return None
        query = previous.model_copy(deep=True, update={"limit": previous.limit + 1})
        run = self._run_query(turn, query)
        items = as_result(run.result).items if run.result is not None else []
        return items[-1].id if len(items) == previous.limit + 1 else None

    def about_the_lead_shown(self, text: str, turn: Turn) -> QueryInput | None:
        """ "what company is she with" after one lead was shown: that lead again, its line holding the company,
        score, status, source and owner."""
        saved = turn.state.get(STATE_KEY)
        ids = list(saved.get("ids") or []) if saved else []
        if ids and WHO_WAS_IT.search(text):
            previous = QueryInput.model_validate(saved["input"])  # type: ignore[index]
            if previous.object == "activities" and previous.limit == 1 and previous.group_by is None:
                return QueryInput.model_validate({"object": "activities", "filters": {"ids": ids[:1]}})
        if not ids or not (ABOUT_THE_ONE.search(text) or (len(ids) > 1 and LEAD_DETAIL.search(text))):
            return None
        previous = QueryInput.model_validate(saved["input"])  # type: ignore[index]
        if previous.object != "leads" or previous.measure != "list" or previous.group_by is not None:
            return None
        if len(ids) > 1:  # "the top one - what company is he at": the lead at that place in the list shown
            place = LEAD_PICKED.search(text)
            if place is None:
                return None
            index = -1 if place[1] == "last" else ORDINAL_PLACES.get(place[1], 1) - 1
            if index >= len(ids):
                return None
            ids = [ids[index]]
        return QueryInput.model_validate({"object": "leads", "filters": {"ids": ids}})

    def picked_deal(self, understood: Understood, turn: Turn, visible: Visible) -> int | None:
        """ "the contact on the largest one", after a list of deals: the deal that ranking picks from that list."""
        saved = turn.state.get(STATE_KEY)
        text = WHICH_IS_RANKED.sub(r"the \1 one", understood.normalized.text)
        pick = ONE_OF_THEM.search(text)
        if not saved or not saved.get("ids") or not DEAL_DETAIL.search(text):
            return None
        previous = QueryInput.model_validate(saved["input"])
        if previous.object != "deals":
            return None
        if pick is None:
            return self._picked_by_product(saved, text, turn, visible)
        place, ranking, top, soonest, status = pick[1], pick[2] or pick[3], pick[4], pick[5], pick[6] or pick[7]
        if previous.group_by is not None and (ranking in ORDINAL_PLACES or top):
            return None  # "the second one" after a ranking of groups is that group (see _within_top_group)
        shown = (previous.sort, previous.order or "asc") if previous.sort not in (None, "value") else ("amount", "desc")
        nth = 1
        if status:
            sort, order = shown
        elif soonest:
            sort, order = "close_date", "asc"
        elif (ranking or top) in ("first", "top") or ranking in ORDINAL_PLACES:
            sort, order = shown  # "the second one": its place in the list as it was shown
            nth = ORDINAL_PLACES.get(ranking, 1)
        elif ranking == "last":
            sort, order = shown[0], "desc" if shown[1] == "asc" else "asc"
        else:
            sort, order = RANKINGS.get(ranking, ("amount", "desc"))  # "the second-largest one"
            nth = ORDINAL_PLACES.get(place, 1)
        query = previous.model_copy(deep=True, update={"measure": "list", "group_by": None, "compare": None})
        query.filters.ids = list(saved["ids"])
        if status:
            query.filters.status = status  # type: ignore[assignment]
        query.sort, query.order, query.limit = sort, order, 2 if status else nth  # type: ignore[assignment]
        run = self._run_query(turn, query)
        items = as_result(run.result).items if run.result is not None else []
        if status:
            return items[0].id if len(items) == 1 else None  # "the one that's still open": only when it is one
        return items[nth - 1].id if len(items) >= nth else None

    def _picked_by_product(self, saved: dict[str, Any], text: str, turn: Turn, visible: Visible) -> int | None:
        """ "the add-on seats one - what's the next step on it?", "the bigger pilot": the deal of the list just
        shown whose product the message names (the larger or smaller of two that share it)."""
        listed = [deal for deal_id in saved["ids"] if (deal := visible.find("deal", deal_id)) is not None]
        named = [
            deal.id for deal in listed
            if " - " in deal.name and re.search(rf"\b{re.escape(deal.name.split(' - ', 1)[1].lower())}\b", text)
        ]  # fmt: skip
        size = SIZED.search(text)
        if len(named) < 2 or size is None:
            return named[0] if len(named) == 1 else None
        query = QueryInput(object="deals", measure="list", sort="amount", order="desc" if size[1] else "asc", limit=1)
        query.filters.ids = named
        run = self._run_query(turn, query)
        items = as_result(run.result).items if run.result is not None else []
        return items[0].id if items else None

    def answer(self, turn: Turn, query: QueryInput, understood: Understood | None) -> Reply:
        run = self._run_query(turn, query)
        if run.result is None:
            return Reply(answer=f"I couldn't run that query: {run.error}", runs=[run], needs_grounding=True)
        result = as_result(run.result)
        parts = understood.reading.parts if understood is not None else None
        leaders_only = parts is not None and parts.group_one and not parts.limit
        text = render_query(result, leaders_only=leaders_only, both_ends=parts is not None and parts.both_ends)
        unused: list[str] = []
        more = self._more_figures(turn, query, understood.normalized.text) if understood is not None else []
        if more:  # the status the win rate could not filter on has its own figure below
            text = WIN_RATE_NOTE.sub("", text)
        for extra in more:  # "Rita and Sam: open deals, open pipeline and win rate": each figure named
            text = f"{text}\n\n{render_query(as_result(extra.result))}"
        if understood is not None:
            reading = understood.reading
            if more:
                reading.leftovers = [p for p in reading.leftovers if not FIGURE_WORDS.search(p.lower())]
            if result.measure in ("avg", "median") and result.items:  # the answer gives both ends beside the average
                reading.leftovers = [p for p in reading.leftovers if not SPREAD_WORDS.fullmatch(p.lower())]
            if result.object == "leads" and result.items:  # each lead's line gives these
                reading.leftovers = [p for p in reading.leftovers if not LEAD_LINE_WORDS.fullmatch(p.lower())]
            notes = list(reading.notes)
            if understood.normalized.corrections:
                fixed = ", ".join(f"“{a}” as “{b}”" for a, b in understood.normalized.corrections.items())
                notes.append(f"I read {fixed}")
            limits = render_limits(reading.leftovers, reading.unknown_group, notes)
            if limits:
                text = f"{text}\n{limits}"
            unused = list(reading.leftovers)
        runs = [run, *more]
        checked = self._records_checked(turn, query, result)
        if checked is not None:  # "none of my open deals is missing a close date": and how many were looked at
            text = text.replace("\n", f" {checked[0]}\n", 1) if "\n" in text else f"{text} {checked[0]}"
            runs.append(checked[1])
            if query.with_contacts or query.with_next_steps:  # "whatever the answer, who's the contact on each"
                each = query.model_copy(deep=True)
                each.filters.missing = []
                shown = self._run_query(turn, each)
                if shown.result is not None:
                    text = f"{text}\n\n{render_query(as_result(shown.result))}"
                    runs.append(shown)
        records_asked = understood is not None and WHICH_RECORDS.match(understood.normalized.text) is not None
        grouped_records = records_asked and query.group_by is not None and query.sort != "value"
        wanted = parts is not None and (parts.list_too or grouped_records)
        behind = self._behind_the_leader(turn, query, result) if wanted else None
        if behind is not None:  # "who has the most overdue tasks, and which deals are they on": the leader's own
            text = f"{text}\n\n{render_query(as_result(behind.result))}"
            runs.append(behind)
        if understood is not None and EACH_SIDE_LISTED.search(understood.normalized.text):
            for side in self._each_side_listed(turn, query):  # "… name the deals each of them won"
                text = f"{text}\n\n{render_query(as_result(side.result))}"
                runs.append(side)
        rows = result.rows
        alone_on_top = bool(rows) and (len(rows) < 2 or rows[0].value != rows[1].value)
        self._remember(turn, query, run, one_named=leaders_only and result.ranked is not None and alone_on_top)
        return Reply(answer=text, runs=runs, needs_grounding=True, unused=unused)

    def _records_checked(self, turn: Turn, query: QueryInput, result: Any) -> tuple[str, ToolRun] | None:
        """When no record lacks the fields asked about: how many records were checked, so "none" reads as an answer
        about all of them ("I checked all 5 open deals of yours")."""
        if not query.filters.missing or result.count or query.measure != "list" or query.group_by or query.compare:
            return None
        whole = query.model_copy(deep=True, update={"measure": "count", "limit": 25})
        whole.filters.missing = []
        run = self._run_query(turn, whole)
        if run.result is None:
            return None
        counted = as_result(run.result)
        described = re.sub(r"^the number of ", "", counted.description, flags=re.I)
        if not counted.count:
            return f"There are no {described} at all.", run
        return f"I checked all {counted.count} {described}.", run

    def _more_figures(self, turn: Turn, query: QueryInput, text: str) -> list[ToolRun]:
        """The other figures a comparison or breakdown of deals names beside the one its query gives."""
        split = query.compare is not None or query.group_by in ("owner", "team", "source", "industry", "region")
        if query.object != "deals" or not split or query.measure not in ("count", "sum", "win_rate"):
            return []
        given = figures_given(query)
        runs = []
        for asked in figures_asked(text):
            if asked in given:
                continue
            given.add(asked)
            run = self._run_query(turn, figures_query(query, asked))
            if run.result is not None:
                runs.append(run)
        return runs

    def _each_side_listed(self, turn: Turn, query: QueryInput) -> list[ToolRun]:
        """The deals on each side of a comparison of people or teams, when the question also asks for them."""
        compare = query.compare
        if compare is None or compare.by == "period" or query.object != "deals" or query.group_by is not None:
            return []
        sides = [{"owner_ids": [i], "owner": None} for i in compare.owner_ids]
        sides += [{"team_ids": [t], "owner": None, "owner_ids": []} for t in compare.team_ids]
        runs = []
        for side in sides:
            listed = query.model_copy(deep=True, update={"compare": None, "measure": "list", "limit": 10})
            listed.filters = listed.filters.model_copy(update=side)
            listed.sort, listed.order, listed.field = None, None, None
            run = self._run_query(turn, listed)
            if run.result is not None and as_result(run.result).count:
                runs.append(run)
        return runs

    def _behind_the_leader(self, turn: Turn, query: QueryInput, result: Any) -> ToolRun | None:
        """The records of the first group of a ranking, when the question also asks for them."""
        dimension = query.group_by
        if dimension not in GROUP_FILTERS or query.compare is not None or not result.rows:
            return None
        top = result.rows[0]
        value = top.ref.id if dimension in ("owner", "account") and top.ref is not None else top.key
        if value is None:
            return None
        listed = query.model_copy(deep=True, update={"group_by": None, "sort": None, "order": None, "limit": 25})
        listed.measure, listed.field = "list", None  # type: ignore[assignment]
        if query.sort != "value" and sum(row.count for row in result.rows) <= listed.limit:
            run = self._run_query(turn, listed)  # "list them and give me a count per rep": all of them, not a leader's
            return run if run.result is not None else None
        setattr(listed.filters, GROUP_FILTERS[dimension], [value])
        if dimension == "owner":
            listed.filters.owner, listed.filters.team_ids = None, []
        run = self._run_query(turn, listed)
        return run if run.result is not None else None

    def share(self, turn: Turn, understood: Understood) -> Reply | None:
        """ "What slice of the West team's open pipeline is Omar carrying?": one group's figure, the whole it is part
        of and its percentage; None unless the message asks for a share of one named person, stage, account, lead
        status or segment. Asked "by count and by value", both."""
        query = understood.reading.query
        text = understood.normalized.text
        if query is None or not SHARE.search(text) or query.group_by or query.compare is not None:
            return None
        in_money = query.object == "deals" and bool(MONEY_WORDS.search(text))
        if query.measure == "list":  # "what chunk of my won revenue came from referrals"
            query = query.model_copy(update={"measure": "sum", "field": "amount"} if in_money else {"measure": "count"})
        if query.measure not in ("sum", "count"):
            return None
        measures = [query]
        if query.object == "deals" and in_money and COUNTED_TOO.search(text):
            measures = [
                query.model_copy(update={"measure": "count", "field": None}),
                query.model_copy(update={"measure": "sum", "field": "amount"}),
            ]
        lines: list[str] = []
        runs: list[ToolRun] = []
        for asked in measures:
            part = self._share_of(turn, understood, asked)
            if part is None:
                return None
            lines.append(part[0])
            runs.extend(part[1])
        return Reply(answer="\n\n".join(lines), runs=runs, needs_grounding=True)

    def _share_of(self, turn: Turn, understood: Understood, query: QueryInput) -> tuple[str, list[ToolRun]] | None:
        filters = query.filters
        named = [
            (dimension, values)
            for dimension, values in (
                ("owner", filters.owner_ids),
                ("stage", filters.stages),
                ("industry", filters.industries),
                ("region", filters.regions),
                ("source", filters.sources),
                ("account", filters.account_ids),
                ("status", filters.lead_status if query.object == "leads" else []),
            )  # fmt: skip
            if values
        ]
        if len(named) == 2 and named[0][0] == "owner":
            named = named[1:]  # "of everything Omar won, what slice came from Oscorp": Omar's whole, Oscorp's part
        if len(named) != 1:
            return None
        dimension, values = named[0]
        whole = query.model_copy(deep=True, update={"group_by": dimension, "sort": "value", "order": "desc"})
        setattr(whole.filters, "lead_status" if dimension == "status" else GROUP_FILTERS[dimension], [])
        parts = understood.reading.parts
        if dimension == "owner" and parts is not None and parts.teams:
            whole.filters.team_ids = list(parts.teams)
        run = self._run_query(turn, whole)
        if run.result is None:
            return None
        result = as_result(run.result)
        by_key = {_share_key(dimension, r): r for r in result.rows}
        total = figure(result, result.value)
        lines = []
        together: list[Any] = []
        for value in values:
            row = by_key.get(value.lower() if isinstance(value, str) else value)
            if row is not None and row.share is None:
                return None
            together += [row] if row is not None else []
            lines.append(
                f"{row.key}: {figure(result, row.value, row.currency)} of {total}, {row.share:.1f}%."
                if row is not None
                else f"{value}: none of {total}, 0%."
            )
        runs = [run]
        both = self._run_query(turn, query) if len(values) > 1 and len(together) > 1 else None  # one figure
        if both is not None and both.result is not None:  # "still in Prospecting or Qualification": one figure
            joined = " and ".join(str(r.key) for r in together)
            summed = as_result(both.result)
            lines.append(f"{joined} together: {figure(summed, summed.value, summed.currency)} of {total}.")
            runs.append(both)
        description = result.description.removesuffix(f", per {dimension}")
        self._remember(turn, whole, run)
        return "\n".join([*lines, f"{description}: {total}."]), runs

    def _run_query(self, turn: Turn, query: QueryInput) -> ToolRun:
        """The query tool run on ``query``, with only the arguments that differ from their defaults."""
        return self.runner.run(turn.deps, QUERY_TOOL, query.model_dump(mode="json", exclude_defaults=True))

    def _remember(self, turn: Turn, query: QueryInput, run: ToolRun, one_named: bool = False) -> None:
        """The answer's query, records and groups, for the next message to refine; ``one_named`` when its headline
        named one leader ("who's the top performer"), whom "their …" then means."""
        result = as_result(run.result)
        listed = [item.id for item in result.items]
        counted = [ref.id for ref in result.records if ref.type == _record_type(query.object)]
        whole_set = query.measure != "list" and len(counted) > len(listed) and counted[: len(listed)] == listed
        ids = counted if whole_set or not listed else listed  # "of those" after a count: all it counted
        previous = turn.state.get(STATE_KEY) or {}
        before = previous.get("input")
        turn.state[STATE_KEY] = {
            "picked_from": _picked_from(previous, query),
            "input": query.model_dump(mode="json"),
            "ids": ids[:KEPT_IDS],
            "before": before,
            "before_ids": previous.get("ids") if before is not None else None,
            "keys": [row.key for row in result.rows[:KEPT_KEYS]],
            "refs": [row.ref.id if row.ref is not None else None for row in result.rows[:KEPT_KEYS]],
            "values": [row.value for row in result.rows[:KEPT_KEYS]],
            "one_named": one_named,
            "deal_ids": [ref.id for ref in result.records if ref.type == "deal"][:KEPT_IDS]
            if query.object in ("activities", "tasks")
            else [],
        }
        turn.state["last_tool"] = QUERY_TOOL
        turn.state["last_args"] = run.args
        if len(result.items) == 1:
            item = result.items[0]
            focus = dict(turn.state.get("focus") or {})
            if item.type in ("deal", "account", "contact"):
                focus[item.type] = {"id": item.id, "name": item.name}
            elif item.type == "activity":  # "when did Tom last get in touch": that touch's deal and contact
                for kind in ("deal", "contact"):
                    refs = [ref for ref in result.records if ref.type == kind]
                    if len(refs) == 1:
                        focus[kind] = {"id": refs[0].id, "name": refs[0].name}
                if not any(ref.type == "contact" for ref in result.records):  # "who was that with?", then "her"
                    met = turn.deps.session.execute(
                        select(Contact.id, Contact.first_name, Contact.last_name)
                        .join(Activity, Activity.contact_id == Contact.id)
                        .where(Activity.id == item.id, scope_for(turn.deps.principal, Contact))
                    ).first()
                    if met is not None:
                        focus["contact"] = {"id": met.id, "name": f"{met.first_name} {met.last_name}"}
            turn.state["focus"] = focus


SAME_FOR = re.compile(
    r"^\W*(?:(?:and|now|ok|okay|so)\W+)?(?:do |give me |show me )?(?:the )?same(?: thing| again| list| question)?"
    r" (?:but )?(?:for|with|on|about) (?:my |our |the |his |her |their )?\w+\W*$"
)
"""'same for contacts': the question just answered, asked of another kind of record"""


def _same_for_other_object(shown: QueryInput, fresh: QueryInput, text: str) -> QueryInput | None:
    if not SAME_FOR.search(text) or fresh.object == shown.object:
        return None
    query = fresh.model_copy(deep=True)
    kept = shown.filters
    query.filters.owner, query.filters.owner_ids, query.filters.team_ids = kept.owner, kept.owner_ids, kept.team_ids
    query.filters.regions, query.filters.industries = kept.regions, kept.industries
    query.measure = shown.measure if shown.measure in ("list", "count") else query.measure
    return query


DEALS_WORDS = re.compile(r"\b(?:deals?|pipeline|pipe|opportunit(?:y|ies)|opps?|revenue|won|worth|amounts?|dollars)\b")
THEIRS = re.compile(r"\b(?:their|theirs|them|those|these|they)\b")


def _deals_at_the_accounts(shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str) -> QueryInput | None:
    """ "what's their open pipeline?" after a set of accounts: the deals at those accounts, asked afresh."""
    if shown.object != "accounts" or fresh.object != "deals" or not saved.get("ids") or not THEIRS.search(text):
        return None
    if not DEALS_WORDS.search(text):  # "how many of them are in EMEA": still the accounts
        return None
    query = fresh.model_copy(deep=True)
    query.filters.account_ids = list(saved["ids"])
    if query.filters.owner == "me" and shown.filters.owner != "me":
        query.filters.owner = None
    return query


AT_THOSE_ACCOUNTS = re.compile(
    r"\b(?:at|with|for|on|in) (?:(?:either|any|both|each|all|one) of )?(?:those|these|the same|those same|these same|"
    r"their|the|its) (?:same )?(?:two |three |\d )?(?:accounts?|compan(?:y|ies)|customers?|clients?|logos?)\b|"
    r"\b(?:any|all|either|both|which) (?:of )?(?:those|these|the same) (?:accounts|companies|customers|clients|logos)\b"
    r"(?= (?:still|also|even)? ?(?:live|open|active|have|has|got|with|in play|buying|around)\b)"
)


def _product_not_at_account(visible: Visible, text: str, mentions: list[Mention]) -> list[str]:
    """ "when is my Cogswell Cogs renewal due": a kind of deal named right after an account that has none of it
    in sight; said plainly, beside the account's deals."""
    notes = []
    for mention in of_type(mentions, "account"):
        after = re.match(r"\s*([\w-]+(?: [\w-]+)?)", text[text.find(mention.text) + len(mention.text) :])
        said = after[1] if after else ""
        products = [p for p in visible.catalog.products if said.startswith(p.lower().replace("-", " "))]
        if not products:
            continue
        product = products[0]
        names = [d.name.lower() for d in visible.deals_of(mention.entity.id)]
        if not any(name.endswith(product.lower()) for name in names):
            notes.append(f"I can't find a {product} deal at {mention.entity.name} among the records you can see")
    return notes


def _at_their_accounts(
    shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str, visible: Visible | None
) -> QueryInput | None:
    """ "do I still have anything open at those same accounts?" after a list of deals: the records at the accounts
    of the deals just shown, asked afresh."""
    if visible is None or shown.object != "deals" or not saved.get("ids") or not AT_THOSE_ACCOUNTS.search(text):
        return None
    deals = [visible.find("deal", int(i)) for i in saved["ids"]]
    accounts = list(dict.fromkeys(d.account_id for d in deals if d is not None and d.account_id is not None))
    if not accounts or fresh.object not in ("deals", "contacts", "activities", "tasks"):
        return None
    query = fresh.model_copy(deep=True)
    query.filters.account_ids, query.filters.ids = accounts, []
    return query


def _records_of_the_contacts(
    shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str
) -> QueryInput | None:
    """ "how many calls have we logged with them" / "what's their open pipeline" after a list of contacts: the
    activities with those people, or the deals at their accounts, asked afresh."""
    if shown.object != "contacts" or fresh.object not in ("activities", "deals") or not saved.get("ids"):
        return None
    if not THEIRS.search(text) or (fresh.object == "deals" and not DEALS_WORDS.search(text)):
        return None
    query = fresh.model_copy(deep=True)
    if fresh.object == "activities":
        query.filters.contact_ids = list(saved["ids"])
    elif shown.filters.account_ids:
        query.filters.account_ids = list(shown.filters.account_ids)
    else:
        query.filters.contact_ids = list(saved["ids"])
    if query.filters.owner in ("me", "my_team") and shown.filters.owner is None:
        query.filters.owner = None
    return query


WITH_THEM = re.compile(r"\b(?:with|to) (?:them|those guys|that account|that company)\b")
"""'how many calls have we logged with them': the customer, not the rep an answer was split by"""


def _records_at_the_one_account(shown: QueryInput, fresh: QueryInput, text: str) -> QueryInput | None:
    """ "how many calls have we logged with them" after an answer kept to one account ("who owns the second one"
    of the top accounts): that account's activities or contacts, asked afresh."""
    if len(shown.filters.account_ids) != 1 or fresh.object == shown.object or not THEIRS.search(text):
        return None
    if fresh.object not in ("activities", "contacts", "tasks") or fresh.filters.account_ids or fresh.filters.ids:
        return None
    query = fresh.model_copy(deep=True)
    query.filters.account_ids = list(shown.filters.account_ids)
    return query


BOTH_PERIODS = re.compile(
    r"\b(?:both|each of (?:the|those|these)(?: two)?|the two|for (?:both|each)|both of the|each) (?:weeks|months|"
    r"quarters|years|periods|week|month|quarter|year)\b"
)
"""'same for emails, both weeks': the two periods of the last two answers, side by side"""
THOSE_DEALS = re.compile(r"\b(?:those|these|the|their|its) (?:\w+ )?(?:deals?|opps?|opportunit(?:y|ies))\b")


def _deals_of_the_tasks(
    shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str, turn: Turn
) -> QueryInput | None:
    """ "are any of those deals past their close date?" after a list of tasks: the deals those tasks are on."""
    if shown.object not in ("tasks", "activities") or not saved.get("ids"):
        return None
    sized = fresh.filters.amount_min is not None or fresh.filters.amount_max is not None
    on_sized_deals = ON_DEALS.search(text) is not None and sized  # "which of those are sitting on deals over 30k"
    if not ((fresh.object == "deals" and THOSE_DEALS.search(text)) or on_sized_deals):
        return None
    on = select(Activity.deal_id).where(Activity.id.in_(saved["ids"]), Activity.deal_id.is_not(None))
    deal_ids = sorted(set(turn.deps.session.scalars(on)))
    if not deal_ids:
        return None
    if fresh.object != "deals":
        amounts = {key: getattr(fresh.filters, key) for key in ("amount_min", "amount_max", "amount_strict")}
        return QueryInput.model_validate({"object": "deals", "filters": {"deal_ids": deal_ids, **amounts}})
    query = fresh.model_copy(deep=True)
    query.filters.deal_ids = deal_ids
    return query


POINTS_AT_THEM = re.compile(r"\b(?:of (?:those|these|them)|which (?:ones|of them)|any of (?:them|those)|them|those)\b")


def _tasks_on_the_deals(shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str) -> QueryInput | None:
    """ "of those, which ones have a task due next week?" after a list of deals: the tasks on those deals."""
    if shown.object != "deals" or fresh.object != "tasks" or not saved.get("ids") or not POINTS_AT_THEM.search(text):
        return None
    query = fresh.model_copy(deep=True)
    query.filters.deal_ids, query.filters.ids = list(saved["ids"]), []
    query.filters.owner = None if query.filters.owner == "me" and shown.filters.owner != "me" else query.filters.owner
    return query


ON_DEALS = re.compile(r"\b(?:on|for|against|attached to|tied to|linked to) (?:deals?|opps?|opportunit(?:y|ies))\b")


BARE_KIND_WORDS = 4
"""a message this short naming only an activity kind ("emails?") swaps the kind of the count just shown"""
ONE_OF_THE_ACCOUNTS = re.compile(
    r"\b(?:which|what)(?: one| account)? of (?:them|those|these)\b|\bof (?:them|those|these),? which\b"
)


def _accounts_ranked_by_records(
    shown: QueryInput, fresh: QueryInput, saved: dict[str, Any], text: str, parts: Parts
) -> QueryInput | None:
    """ "which of those has the most contacts / open deals" after a list of accounts: the records of the other kind
    counted (or their amounts summed) per account, among those accounts only, ranked."""
    if shown.object == "accounts" and shown.measure == "list":
        ids = list(saved.get("ids") or [])
    elif shown.group_by == "account":  # "… and which of those has the fewest contacts" after their pipeline
        ids = list(shown.filters.account_ids)
    else:
        return None
    counted_already = {"accounts", shown.object} if shown.group_by == "account" else {"accounts"}
    if not ids or fresh.object in counted_already:
        return None
    if not (parts.superlative and parts.object_words and ONE_OF_THE_ACCOUNTS.search(text)):
        return None
    query = fresh.model_copy(deep=True)
    money = fresh.object == "deals" and MONEY_WORDS.search(text) is not None
    query.measure, query.field = ("sum", "amount") if money else ("count", None)  # type: ignore[assignment]
    query.group_by, query.sort = "account", "value"  # type: ignore[assignment]
    query.order = "asc" if parts.superlative == "min" else "desc"  # type: ignore[assignment]
    query.limit = parts.limit or 1
    query.filters.account_ids, query.filters.ids = ids, []
    if query.filters.owner == "me" and shown.filters.owner != "me":
        query.filters.owner = None
    return query


SIGN_OFF_LINE = re.compile(
    r"^(?:thanks|thank you|many thanks|cheers|best|regards|best regards|kind regards|warm regards|thx|ta|br)\W*$", re.I
)


def _unsigned(message: str, asker: str) -> str:
    """The message less the asker's own name signing it off ("Best regards,\nAlex"): no person to read."""
    lines = message.rstrip().splitlines()
    if len(lines) < 2 or lines[-1].strip(" \t-\u2014,.!").lower() not in (asker.lower(), asker.split()[0].lower()):
        return message
    lines.pop()
    if lines and SIGN_OFF_LINE.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


DEALS_OF_THEM = re.compile(
    r"\b(?:which|what) deals? (?:do|does|are|is|were) (?:they|those|these|it|them)\b|\bdeals? (?:they|those|these) "
    r"(?:are|were) (?:on|for|about|linked to|tied to)\b|\bbelong(?:s)? to\b"
)
"""'which deals do they belong to', after a list of tasks or activities: the deals those are on"""
THEY_TOGETHER = re.compile(r"\b(?:between them|they|them|those (?:reps|people|three|two)|each of them)\b")


def _deals_they_are_on(previous: QueryInput, saved: dict[str, Any], text: str) -> QueryInput:
    if previous.object not in ("activities", "tasks") or not saved.get("deal_ids") or not DEALS_OF_THEM.search(text):
        return previous
    return QueryInput(object="deals", measure="list", filters={"ids": list(saved["deal_ids"])})  # type: ignore[arg-type]


def _the_tied_people(previous: QueryInput, saved: dict[str, Any], text: str, parts: Parts) -> QueryInput:
    """ "How many leads do they have open between them?" after "Erin, Rita and Omar are tied for the lowest…": those
    people, not everyone the ranking compared."""
    refs, values = saved.get("refs") or [], saved.get("values") or []
    if previous.group_by != "owner" or parts.group_by or not refs or not values or not THEY_TOGETHER.search(text):
        return previous
    tied = [ref for ref, value in zip(refs, values, strict=False) if value == values[0] and ref is not None]
    if len(tied) < 2:
        return previous
    query = previous.model_copy(deep=True, update={"group_by": None, "sort": None, "order": None, "limit": 25})
    query.filters.owner, query.filters.owner_ids, query.filters.team_ids = None, tied, []
    if query.measure == "conversion_rate":
        query.measure = "count"  # type: ignore[assignment]
    return query


def _group_picked(previous: QueryInput, saved: dict[str, Any], text: str) -> str | None:
    """The dimension of the groups just shown that the message picks one of ("that industry", "the second one",
    "who's on top there", "her deals" after one rep was named, "the deals in that one"), or None."""
    if that := THAT_GROUP.search(text):
        return GROUP_WORDS.get(that[1])
    if GROUP_ORDINAL.search(text) or ON_TOP.search(text):
        return previous.group_by
    if previous.group_by == "owner" and len(saved.get("keys") or []) == 1 and PERSON_BACK.search(text):
        return "owner"  # "show me her deals" after "…and the least?" named one rep
    named_one = saved.get("one_named") and THEIR_STAT.search(text)  # "what's their average deal size" after a leader
    singled_out = previous.limit <= 1 or named_one or re.search(r"\b(?:hers|his|theirs)\b", text)
    if previous.group_by == "owner" and previous.sort == "value" and singled_out and PERSON_BACK.search(text):
        return "owner"  # "list hers" after "who on my team has the most overdue tasks" named the leader
    if (
        previous.group_by == "owner"
        and previous.sort == "value"
        and saved.get("one_named")
        and THOSE_ASKED.search(text)
    ):
        return "owner"  # "what are those late tasks, exactly?" after "who has the most overdue tasks"
    if previous.group_by and previous.sort == "value" and THAT_ONE.search(text):
        return previous.group_by  # "list the deals in that one" after "which stage holds the most money"
    if previous.group_by and previous.sort == "value" and saved.get("one_named") and THAT_FIGURE_ASKED.search(text):
        return previous.group_by  # "how many deals is that" after "which lead source is behind the most pipeline"
    return None


THAT_FIGURE_ASKED = re.compile(r"\b(?:is|was|are|were) that\W*$|\bthat (?:figure|number|total|amount)\b")


TAKEN_OUT = re.compile(
    r"\b(?:take|taking|drop|dropping|remove|removing|leave|leaving|exclude|excluding|without|minus)\b"
)
"""words that take records out: 'the rest' after them is what is left, not the set left out before"""
LABEL_FILTERS = ("regions", "industries", "sources", "stages", "lead_status")
"""the filters a refinement adds by naming a value ("which of them came from referrals", "which are in EMEA")"""


def _rest_of_the_set(
    shown: QueryInput, before: QueryInput | None, saved: dict[str, Any], text: str
) -> QueryInput | None:
    """ "and the rest?" after a whole list narrowed by a named value: the records of the wider set left out of it
    (the set before the refinement, or the same records without the value named)."""
    ids = list(saved.get("ids") or [])
    if not THE_REST.search(text) or "ids" not in saved or shown.limit < REST_LIMIT or shown.sort is not None:
        return None
    if shown.measure not in ("list", "count") or shown.group_by is not None or shown.compare is not None:
        return None
    narrowed = [name for name in LABEL_FILTERS if getattr(shown.filters, name)]
    refined = before is not None and before.object == shown.object and before.group_by is None
    if refined and before is not None and any(getattr(before.filters, name) != getattr(shown.filters, name)
                                               for name in narrowed):  # fmt: skip
        query = before.model_copy(deep=True)
    elif narrowed:
        query = shown.model_copy(deep=True)
        for name in narrowed:
            setattr(query.filters, name, [])
    else:
        return None
    query.measure, query.field, query.limit = "list", None, REST_LIMIT  # type: ignore[assignment]
    query.filters.ids, query.filters.exclude_ids = [], ids
    return query


def _group_values(saved: dict[str, Any], dimension: str) -> list[Any]:
    """What filters to one group of a remembered grouped answer: the record ids of owners and accounts, else the
    group keys (a stage's name, a region)."""
    return list((saved.get("refs") if dimension in ("owner", "account") else saved.get("keys")) or [])


def _picked_from(previous: dict[str, Any], query: QueryInput) -> dict[str, Any] | None:
    """The grouped answer the query kept to one of its groups ("who owns the first one" after the top accounts), for
    "and the third one?" to pick again; carried while the picks go on."""
    if not previous.get("input"):
        return None
    grouped = QueryInput.model_validate(previous["input"])
    source = previous if grouped.group_by in GROUP_FILTERS and previous.get("keys") else previous.get("picked_from")
    if not source:
        return None
    dimension = QueryInput.model_validate(source["input"]).group_by
    if dimension not in GROUP_FILTERS:
        return None
    values = _group_values(source, dimension)
    chosen = getattr(query.filters, GROUP_FILTERS[dimension])
    if len(chosen) != 1 or chosen[0] not in (values or []):
        return None
    return {key: source.get(key) for key in ("input", "keys", "refs", "values")}


def _picked_again(shown: QueryInput, saved: dict[str, Any], text: str) -> QueryInput | None:
    """ "and the third one?" after "who owns the first one": the same question of another group of that ranking."""
    source = saved.get("picked_from")
    said = GROUP_ORDINAL.search(text)
    if not source or said is None or len(text.split()) > PICK_AGAIN_WORDS:
        return None
    dimension = QueryInput.model_validate(source["input"]).group_by
    values = _group_values(source, dimension)
    index = ORDINALS.get(said[1].lower(), 0)
    if dimension not in GROUP_FILTERS or not values or index >= len(values) or values[index] is None:
        return None
    query = shown.model_copy(deep=True)
    setattr(query.filters, GROUP_FILTERS[dimension], [values[index]])
    return query


def _ranked_instead(grouped: QueryInput, fresh: QueryInput, parts: Parts) -> QueryInput:
    """ "and the top 3 by open pipeline instead?" after picking from the top accounts by wins: that ranking again,
    measured the new way (a closed period does not carry over to open deals)."""
    query = grouped.model_copy(deep=True)
    if fresh.measure != "list":
        query.measure, query.field = fresh.measure, fresh.field
    if fresh.filters.status != query.filters.status:
        if fresh.filters.status == "open":
            query.filters.period = fresh.filters.period
        query.filters.status = fresh.filters.status
    query.limit = parts.limit or query.limit
    return query


PICK_AGAIN_WORDS = 6
"""a message this short naming another place in the ranking ("and the third one?") asks the same of it"""
INSTEAD_RANKED = re.compile(r"\b(?:top|bottom|biggest|largest|smallest)\s+(?:\d+|three|five|ten)\b.*\binstead\b")
"""'and the top 3 by open pipeline instead?': the ranking asked again, measured another way"""


def _within_top_group(previous: QueryInput, saved: dict[str, Any], text: str) -> QueryInput:
    """ "split that industry's wins by rep", "which deals make up the top rep's number", "the second one - what
    deals do I have there": the previous grouped query kept to one of the groups its answer showed."""
    ordinal = GROUP_ORDINAL.search(text)
    dimension = _group_picked(previous, saved, text)
    if not saved.get("keys") or dimension is None or previous.group_by != dimension or dimension not in GROUP_FILTERS:
        return previous
    values = _group_values(saved, dimension)
    index = ORDINALS.get((ordinal[1] if ordinal else "top").lower(), 0)
    if index >= len(values) or values[index] is None:
        return previous
    query = previous.model_copy(deep=True, update={"group_by": None, "sort": None, "order": None, "limit": 25})
    setattr(query.filters, GROUP_FILTERS[dimension], [values[index]])
    if dimension == "owner":
        query.filters.owner, query.filters.team_ids = None, []
    if RECORDS_BEHIND.search(text):
        query.measure, query.field = "list", None  # type: ignore[assignment]
    return query


DROP_RANKED = re.compile(
    r"\b(?:drop|remove|exclude|leave out|take out|ignore|without|minus)(?: the| that)? "
    r"(smallest|biggest|largest|lowest|highest|top|bottom|cheapest)(?: one| deal| opp)?\b"
)
OTHER_WORDS = re.compile(r"(?:the )?other(?: (?:region|industry|source|stage|one))?|region|industry|source|stage")
OTHER_VALUE = re.compile(r"\bthe other (region|industry|source|stage|one)\b")
OTHER_FILTERS = {"region": "regions", "industry": "industries", "source": "sources", "stage": "stages"}


def _the_other_value(shown: QueryInput, before: QueryInput, text: str) -> QueryInput | None:
    """ "same for the other region": the answer just shown, for the other of the two values asked about before."""
    said = OTHER_VALUE.search(text)
    if said is None:
        return None
    names = [OTHER_FILTERS[said[1]]] if said[1] in OTHER_FILTERS else list(OTHER_FILTERS.values())
    for name in names:
        now, earlier = getattr(shown.filters, name), getattr(before.filters, name)
        if len(now) == 1 and len(earlier) == 2 and now[0] in earlier:
            query = shown.model_copy(deep=True)
            setattr(query.filters, name, [value for value in earlier if value != now[0]])
            query.filters.ids = []
            return query
    return None


def _record_type(obj: str) -> str:
    return {"deals": "deal", "accounts": "account", "contacts": "contact", "leads": "lead"}.get(obj, "activity")
