"""Reading each part of a query from its own words: names, periods, amounts, measure, object, group-by,
comparison, filters, owners and order. Every part claims the words it used (see reader.py)."""

import re
from dataclasses import dataclass, field
from datetime import date

from assistant.agent.brains.offline.linking import Mention, of_type
from assistant.agent.brains.offline.slots import amount_value
from assistant.agent.brains.offline.understanding import words as w
from assistant.agent.brains.offline.understanding.periods import Found, find_periods
from assistant.agent.brains.offline.understanding.periods import within as period_within
from assistant.agent.brains.offline.understanding.reader import Reader
from assistant.agent.brains.offline.understanding.spelled import UNITS

AMOUNT = (
    r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand|b|bn)?\b"
    r"(?!\s*(?:%|percent|days?|weeks?|months?|years?|quarters?|hours?|deals?|opps?|opportunities|leads?|"
    r"accounts?|contacts?|tasks?|calls?|meetings?|e-?mails?|activit(?:y|ies)|times?|people|reps?)\b)"
)
AMOUNT_BETWEEN = re.compile(r"\b(?:between|from)\s*" + AMOUNT + r"\s*(?:and|-|to)\s*" + AMOUNT)
AMOUNT_MIN = re.compile(
    r"(?:\b(?:over|above|more than|greater than|at least|bigger than|larger than|upwards of|north of|worth over|"
    r"min(?:imum)?(?: of)?)|>=?|\+)\s*" + AMOUNT
)
ORIGIN = re.compile(
    r"\bwhere (?:did|do|does) (?:they|these|those|it|them|my \w+|the \w+|that \w+) (?:come from|originate)\b"
)
PAST_CLOSE = re.compile(
    r"\b(?:did|has|have|had|ve)\b(?:\s+(?!slated|set|due|expected|scheduled|going|planned|dated|to\b)[\w']+){0,2}?\s+(close)\b"
    r"(?!\s+dates?\b)"
)
PAST_CLOSED = re.compile(
    r"\b(?:how much|what)\b[^?]{0,30}?\b(?:has|have|had|'ve)\b(?:\s+[\w']+){0,2}?\s+(closed)\b"
    r"(?!\s+(?:won|lost|dates?|deals?)\b)"
)
"""'how much has Rita closed this quarter': what she won"""
EACH = re.compile(r"\b(?:each|every) (?:of (?:them|those|these|my|the)|one|deal)\b|\bper deal\b")
OFFENDER = re.compile(r"\b(?:worst|biggest|main|top|greatest|repeat) (?:offenders?|culprits?)\b")
DETAIL_WHO = (
    r"(?!(?:'s| is) (?:running|handling|managing|working on|in charge of|on) (?:it|that|this)\b)"
    r"(?!(?:'s| is| are) (?:the |their |its )?(?:primary |main |key )?(?:contacts?|points? of contact)\b)"
)
"""'who's running it': the owner of the record asked about, not a ranking of owners"""
N_TOP = re.compile(
    r"\b(\d{1,3}|three|five|ten|two|four)\s+(?:of (?:them|those|these) (?:were|are|is|was) (?:the )?)?"
    r"(biggest|largest|highest|best|top|bottom|lowest|smallest|worst)\b"
)
LAST_TOUCH_DATE = re.compile(
    r"\b(?:the )?(?:date|day)s? (?:of |for )?(?:the |their |its |each )?(?:most recent|latest|last)"
    r"(?: one| activity| touch| call| contact| interaction)?(?: for each| on each| for them)?\b"
)
"""'the date of the most recent one': each record's last activity, which its line gives"""
N_RANKED_LATER = re.compile(
    r"\b(?:which|what|the|my|our|his|her|their)\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:\w+\s+)?(?:deals|opps|opportunities|accounts|customers|leads|contacts|reps|tasks)\b"
    r"(?=[^.?!]{0,40}\b(?:biggest|largest|highest|most|best|top|smallest|lowest|least|oldest|newest|soonest)\b)"
)
"""'which three deals carry the biggest dollar amounts': how many of the ranking, said before the ranking word"""
N_BY_AGE = re.compile(
    r"\b(\d{1,3}|three|five|ten|two|four)(?=\s+(?:oldest|newest|earliest|latest|most recent|longest[- ]running)\b)"
)
BY_AMOUNT = re.compile(r"\bby (?:the )?(?:amount|value|size|deal size|dollars?|\$+|revenue|money)\b")
CONVERTS_BETTER = re.compile(
    r"\bconvert(?:s|ing)? (?:better|worse|more|less|best|worst|faster|most|least)\b|\bbetter (?:at )?convert\w*\b"
)
"""'do referral leads convert better than web leads': conversion rates side by side"""
LIST_TOO = re.compile(
    r"\b(?:and|,)\s+(?:which|what)\s+(?:one|ones|are they|is it|deals|tasks|of them)\b|"
    r"\b(?:and )?(?:list|name|show(?: me)?|spell out) (?:them|those|these|each(?: one)?|all of them)\b|"
    r"\band when (?:was|is) the (?:most recent|latest|last)(?: one)?\b|"
    r"\bwhich ones\?|\band which\b|\b(?:and )?(?:on )?(?:which|what) (?:dates?|days?)\b|"
    r"\bname (?:the|those|these) (?:deals|ones|tasks|accounts|leads)\b|"
    r"\band (?:list )?the (?:deals|ones|leads|tasks|records)(?: themselves)?\W*$|\band list (?:them|those|these)\W*$"
)
SUM_PHRASES = re.compile(
    r"\b(?:add(?:s|ed)? up(?: to)?|come(?:s)? to(?! us\b)|came to(?! us\b)|amount(?:s|ed)? to|tot(?:al)?(?:s|led)? up|"
    r"(?:in|as) (?:a )?sum|all (?:added )?together|altogether)\b"
)
"""'what have my wins added up to', 'what's that come to': a total, not records added or created"""
WEIGHTED = re.compile(
    r"\bweight(?:ed|ing)? (?:\w+ ){0,4}by (?:their |the |its )?(?:stage )?(?:win )?probabilit(?:y|ies)\b|"
    r"\b(?:probability|risk|stage)[- ](?:weighted|adjusted)\b|\bweighted\b|"
    r"\badjusted (?:for|by) (?:stage )?probability\b|"
    r"\bfactored (?:pipe(?:line)?|forecast|amount)\b|"
    r"\b(?:multiplied by|times|x) (?:its |their |the |each )?(?:deal'?s |stage'?s )?(?:win |winning |close |closing )?"
    r"(?:chances?|probabilit(?:y|ies)|odds|likelihood)\b|"
    r"\b(?:at|by|with|according to) (?:exactly )?(?:the |its |their )(?:stage'?s? )?(?:win |close )?"
    r"(?:odds|probabilit(?:y|ies)|chances?|likelihood)(?: (?:its|their|the) stages? (?:gives?|says?|assigns?|"
    r"implies|carries|carry)(?: (?:it|them))?)?"
)
BOTH_ENDS = re.compile(
    r"\b(?:smallest|lowest|min(?:imum)?)\b(?:[\w\s$,-]{0,20})\b(?:and|to|&)\b(?:[\w\s]{0,10})\b(?:largest|biggest|highest|max(?:imum)?)\b|"
    r"\b(?:largest|biggest|highest|max(?:imum)?)\b(?:[\w\s$,-]{0,20})\b(?:and|to|&)\b(?:[\w\s]{0,10})\b(?:smallest|lowest|min(?:imum)?)\b|"
    r"\b(?:range|spread)\b(?= (?:of|on|in|across) )"
)
"""both ends asked at once ("smallest and largest"): every record, biggest first, not one of them"""
EXCLUDING = re.compile(
    r"\b(?:leave out|leaving out|excluding|exclude|except(?: for)?|other than|not in|minus|apart from|but not|"
    r"aside from|ignore|ignoring|drop|dropping|skip|skipping|without|remove|removing|take out|taking out|"
    r"filter out|get rid of|lose|cut|strip out|ditch|ditching|bin|toss|chuck|scrap|not)\s+(?:(?:anything|everything|"
    r"the|ones?|deals?|"
    r"those|that|are|is|was|were|still|in|at|stage|came|come|closed|went|sit|sits|worth|of|i|we|you|have|had|marked|"
    r"labell?ed|flagged|tagged|set|to|as|leads?)\s+){0,5}"
)
"""words that take a stage out ("leave out anything still in prospecting"): the other open stages are meant"""
EXCLUDED_BEFORE = re.compile(EXCLUDING.pattern + r"$")
"""a value named right after words that take it out ("leave out LATAM", "without the lost ones")"""
INCLUSIVE = re.compile(
    r"\s*(?:at least|at most|min|max|>=|<=|up to|over|above|under|below|upwards of|north of|south of|worth over|\+)"
)
"""bound words that take in the amount itself ("deals over 50k" keeps a 50k deal); "more than", "less than",
"greater than", ">" and "<" leave it out"""
AMOUNT_MAX = re.compile(
    r"(?:\b(?:under|below|less than|smaller than|at most|up to|south of|max(?:imum)?(?: of)?)|<=?)\s*" + AMOUNT
)
DAY_UNITS = {"day": 1, "week": 7, "month": 30}
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twelve": 12, "thirty": 30, "ninety": 90}  # fmt: skip
OBJECT_AFTER = r"deals?|opportunit(?:y|ies)|opps?|leads?|accounts?|tasks?|pipeline|activit(?:y|ies)|contacts?"
COUNT_RANK = re.compile(
    r"\b(?:most|fewest|least|more|fewer|highest number of|lowest number of)\s+(?:\w+\s+)?"
    r"(?:deals|opportunities|opps|leads|accounts|tasks|activities|calls|meetings|contacts)\b"
)
RANKING_WORDS = re.compile(
    r"\b(?:most|least|best|worst|top|highest|lowest|biggest|largest|smallest|fewest|quickest|fastest|slowest|"
    r"longest|shortest|more|less|leads?|leading|ahead|behind|rank|ranking|compare|strongest|weakest|number one|"
    r"thinnest|fattest|heaviest|lightest)\b"
)
COUNTED_HOLDERS = re.compile(
    r"\b(?:how many|count of|number of|# of)\s+(?:\w+\s+)?(?:accounts|customers|companies|clients|logos)\b"
    r"(?=.*\b(?:with|where|that|have|has|having|holding|carrying)\b)"
)
LIST_CUE = re.compile(r"\b(?:which|list|show|what are|give me|display|pull up|see|names? of|name the)\b")
CLOSE_DATE_PASSED = re.compile(
    r"\bclos(?:e|ing) dates? (?:is |are |that'?s |that is |which is |which are |that are )?(?:already )?"
    r"(?:in the past|passed|behind us|gone|before today|expired|over)\b"
    r"|\bpast (?:their |the |its |his |her |our |my )?(?:expected |planned )?(?:close|closing) dates?\b"
    r"|\b(?:expected |planned |target )?clos(?:e|ing)(?: dates?)? (?:has |have |had |is |are )?(?:already )?"
    r"(?:come and gone|came and went|gone by|went by|went past|gone past|slipped(?: by| past)?|been missed|lapsed|"
    r"run out|blown past|blew past)\b"
)


@dataclass
class Parts:
    mentions: list[Mention] = field(default_factory=list)
    due_by_today: bool = False
    """'overdue or due today': everything due today or before, still open"""
    not_overdue: bool = False
    """the overdue records are taken out: close (or due) dates from today on"""
    excluded_people: list[int] = field(default_factory=list)
    """users whose records the message takes out ("leave Omar's deals out")"""
    teams: list[int] = field(default_factory=list)
    periods: list[Found] = field(default_factory=list)
    amount_min: float | None = None
    amount_max: float | None = None
    amount_strict: bool = False
    measure: str | None = None
    days_to_close: bool = False
    superlative: str | None = None
    """max or min"""
    object_words: list[str] = field(default_factory=list)
    group_by: str | None = None
    group_from: str | None = None
    """how the group was named: 'lead' (by/per…), 'which' (which industry…), 'superlative' (top seller)"""
    unknown_group: str | None = None
    compare: bool = False
    status: str | None = None
    task_done: bool = False
    stages: list[str] = field(default_factory=list)
    excluded_stages: list[str] = field(default_factory=list)
    excluded_status: str | None = None
    """a deal status taken out ("without the lost ones")"""
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    product: str | None = None
    """what the deals are for, named as a kind ("every pilot I've closed", "my renewals"): deal names holding it"""
    titles: list[str] = field(default_factory=list)
    """words of contacts' job titles asked about ("the finance people")"""
    score_min: int | None = None
    score_max: int | None = None
    present: list[str] = field(default_factory=list)
    """fields asked to be set ("contacts that have a phone number")"""
    lead_statuses: list[str] = field(default_factory=list)
    activity_types: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_words: dict[str, str] = field(default_factory=dict)
    any_condition: bool = False
    """'lack a primary contact or a next step', 'past its close date or has no next step': records meeting either"""
    still_to_work: bool = False
    """'leads I haven't contacted yet': never worked, and still open"""
    """each missing field's words ("no open deals"), to report when the object has no such field"""
    overdue: bool = False
    inactive_days: int | None = None
    inactive_types: list[str] = field(default_factory=list)
    """the kinds of activity whose absence was asked ('no meeting since ...'); empty: any activity"""
    inactive_default: bool = False
    mine: bool = False
    my_own: bool = False
    team: bool = False
    everyone: bool = False
    created: bool = False
    closing: bool = False
    limit: int | None = None
    group_min: float | None = None
    """'accounts where I've got more than one open opp': only groups counting at least this many"""
    order: str | None = None
    sort: str | None = None
    sort_all: bool = False
    """'sort them by close date': every record, in that order, not the first one"""
    singular: bool = False
    pipeline_word: bool = False
    count_rank: bool = False
    """ranked by how many records ("who has the most open deals")"""
    weighted: bool = False
    list_cue: bool = False
    """the message asks for the records themselves ("which", "list", "show")"""
    amount_field: bool = False
    """the message names the amount ("deal size", "value")"""
    number_field: str | None = None
    """a computed number the question is about: age_days ("how old"), days_since_activity"""
    statuses: list[str] = field(default_factory=list)
    """every deal status named ("won vs lost")"""
    each: bool = False
    """'each of them', 'per deal': a figure for every record, not one for the set"""
    list_too: bool = False
    """'how many …, and which ones': the records as well as their number"""
    text: str = ""
    """the words read"""
    performance: bool = False
    """'top seller', 'best performer': ranked by won amount unless a measure or status is named"""
    before_that: bool = False
    """ "last week vs the week before": the named period against the one just before it"""
    both_ends: bool = False
    """ "who is fastest and who is slowest": the whole ranking, both ends named"""
    group_one: bool = False
    """the ranking asks for one group ("which rep", "who"), not a ranked list ("which reps")"""
    with_contacts: bool = False
    """each deal of a list given with its primary contact"""
    with_next_steps: bool = False
    """each deal of a list given with its next step"""
    overdue_said: bool = False
    overdue_days: int | None = None
    """'more than 5 days overdue': due before today less this many days"""
    """the word "overdue" itself (not a close date gone by): with no record kind named, the tasks are meant"""
    not_held: list[str] = field(default_factory=list)
    """what the message asks about that no CRM record holds ("NPS", "lifetime value", "email opens")"""

    @property
    def narrows(self) -> bool:
        """Whether the message names a status, stage, missing field, amount or label the records must match."""
        return bool(
            self.status or self.stages or self.excluded_stages or self.missing or self.amount_min or self.amount_max
            or self.titles or self.score_min is not None or self.score_max is not None or self.present
            or self.industries or self.regions or self.sources or self.lead_statuses
        )  # fmt: skip


@dataclass(frozen=True)
class Labels:
    """The CRM's own words: stage names, industries, regions, lead sources and statuses, teams."""

    stages: list[str]
    industries: list[str]
    regions: list[str]
    sources: list[str]
    lead_statuses: list[str]
    teams: dict[str, int]
    managed_teams: dict[int, int] = field(default_factory=dict)
    """a manager's user id -> their team's id"""
    products: list[str] = field(default_factory=list)
    """what deals are for, from their names ("Pilot", "Renewal")"""


def _phrase(text: str) -> re.Pattern[str]:
    tokens = [re.escape(t) for t in re.findall(r"[a-z0-9&.'-]+", text.lower())]
    return re.compile(r"(?<![\w-])" + r"[\s\W]+".join(tokens) + r"(?:'s)?(?![\w-])")


MET_WITH = re.compile(
    r"\b(?:call|meeting|chat|catch[- ]?up|1:1|one[- ]on[- ]one|sync|lunch|coffee|dinner|talk(?:ing)?|speak(?:ing)?|"
    r"meet(?:ing)?|session|review|qbr|1-on-1|one to one) with\s+$"
)
""""got a call with David in ten minutes": a colleague named as company, not as whose records are asked about"""


TAKE_OUT = (
    r"(?:leave out|leaving out|excluding|exclude|except(?: for)?|other than|minus|apart from|but not|aside from|"
    r"ignoring|not counting|take out|taking out|strip out|remove|removing|drop|dropping|skip|skipping|ditch|"
    r"get rid of)"
)
"""words that take something out of the set asked about"""
PERSON_OUT_BEFORE = re.compile(rf"\b(?:{TAKE_OUT}|without)\s+(?:the\s+|all\s+(?:of\s+)?)?$")
PERSON_OUT_AFTER = re.compile(
    r"(?:'s|s')?(?:\s+(?:deals?|ones?|stuff|numbers?|leads?|records?|accounts?|tasks?|pipe(?:line)?))?\s+out\b"
)
"""'take Erin's out', 'leave Omar's deals out of that': a person whose records are taken out, not asked about"""
PUT_OUT_VERB = re.compile(
    r"\b(?:take|taking|leave|leaving|keep|cut|drop|dropping|pull|strip|toss|knock|count|filter)\s+$"
)
TEAM_OF = re.compile(r"(?:'s|s')?\s+(?:whole\s+|entire\s+)?(team|reps|group|org|people|squad)\b")
"""after a manager's name: the team they manage ("Maya's team", "David's reps")"""


def _claim_names(reader: Reader, parts: Parts, mentions: list[Mention], labels: Labels) -> None:
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        pronoun = re.search(r"\b(?:he|she|his|her|him|hers)\b", reader.text)
        own_figures = re.search(r"\b(?:have i|i have|i've got|have i got|do i have|my)\b", reader.text)
        company = mention.entity.type == "user" and (not pronoun or bool(own_figures))
        managed = labels.managed_teams.get(mention.entity.id) if mention.entity.type == "user" else None
        left_out = False
        for match in _phrase(mention.text).finditer(reader.text):
            reader.claim(match.start(), match.end(), f"name:{mention.entity.type}")
            if mention.entity.type == "user" and (out := _person_out(reader, match.start(), match.end())):
                left_out = True
                reader.claim(*out, "filter")
            company = company and bool(MET_WITH.search(reader.text[: match.start()]))
            their_team = TEAM_OF.match(reader.text, match.end()) if managed is not None else None
            if their_team is not None:  # "Maya's team": the team she manages, not her own deals
                if their_team[1] not in ("reps", "people"):  # "which of David's reps": still a ranking of reps
                    reader.claim(their_team.start(), their_team.end(), "name:team")
                company = True
                if managed not in parts.teams:
                    parts.teams.append(managed)  # type: ignore[arg-type]
        if left_out:
            parts.excluded_people.append(mention.entity.id)
        elif not company:
            parts.mentions.append(mention)
    for name, team_id in labels.teams.items():
        pattern = re.compile(rf"\b(?:the\s+)?{re.escape(name)}(?:'s)?(?:\s+team)?\b|\bteam\s+{re.escape(name)}\b")
        for match in reader.all(pattern, claim="name:team"):
            del match
            if team_id not in parts.teams:
                parts.teams.append(team_id)


def _person_out(reader: Reader, start: int, end: int) -> tuple[int, int] | None:
    """The words around a person's name that take their records out, as (start, end), or None."""
    before = PERSON_OUT_BEFORE.search(reader.text[max(0, start - 40) : start])
    if before is not None:
        return max(0, start - 40) + before.start(), start
    verb = PUT_OUT_VERB.search(reader.text[max(0, start - 20) : start])
    after = PERSON_OUT_AFTER.match(reader.text, end)
    if verb is not None and after is not None:
        return max(0, start - 20) + verb.start(), after.end()
    return None


OUT_BEFORE_OVERDUE = re.compile(
    rf"\b(?:{TAKE_OUT}|lose)\s+"
    r"(?:(?:any|anything|everything|the|ones?|deals?|those|that|which|whose|with|where|are|is|still|already)\s+)*$"
)


def _overdue_taken_out(reader: Reader, parts: Parts, start: int) -> None:
    """'drop the ones whose close date has already gone by': every record but the overdue ones."""
    base = max(0, start - 50)
    if said := OUT_BEFORE_OVERDUE.search(reader.text[base:start]):
        parts.overdue, parts.not_overdue = False, True
        reader.claim(base + said.start(), base + said.end(), "overdue")


def _label(text: str) -> re.Pattern[str]:
    """A CRM label in a message, singular or plural ("referrals", "partners")."""
    return re.compile(_phrase(text).pattern.replace(r"(?:'s)?", r"(?:'s|s|es)?"))


SHORTENED_LABEL = 9
"""an industry of one long word may be said by its first letters"""
LEAD_STATUS_WORDS = {
    "working": r"being worked(?: on)?(?! properly| well| right| correctly| enough| hard)|in progress",
    "unqualified": r"disqualified|written off|dead|junk",
    "converted": r"turned into (?:a )?customers?",
}
"""how people say a lead status the CRM names otherwise"""
SOURCE_WORDS = {
    "web": r"(?:the |our )?(?:website|web ?site|web form|site|online|inbound web|organic|seo)(?! visits?)",
    "event": r"(?:events|conferences?|trade ?shows?|expos?|webinars?)",
    "referral": r"(?:referred|referrals|word of mouth)",
    "partner": r"(?:partners|channel partners?|resellers?)",
    "outbound": r"(?:cold (?:calls?|calling|outreach|e-?mails?)|prospecting outreach|sdr outreach)",
}
"""how people name a lead source the CRM labels otherwise ('the website' is Web), by the label in lower case"""


CONTACT_GROUP = re.compile(
    r"\b(?:per|by|for each|each) (?:customer |primary |main )?contact\b|"
    r"\bwhich (?:of (?:their|its|the customer's|the account's) )?(?:people|contacts?|person)"
    r"(?= (?:did|does|got|received|gets|has|had)\b[^.?!]*\b(?:most|least|fewest)\b)|"
    r"\bwhich (?:customer |primary )?contact (?:has|had|holds|is on|got|received|did)\b"
)
"""'which of their people did most of those emails go to', 'open pipeline per contact': a group-by of contacts"""
PRODUCT_AS_KIND = (
    r"(?:(?<=\bevery )|(?<=\beach )|(?<=\bany )|(?<=\ball )|(?<=\ball the )|(?<=\ball my )|(?<=\ball our )|"
    r"(?<=\bwhich )|(?<=\bhow many ))"
)


def _product(reader: Reader, products: list[str]) -> str | None:
    """The one product the message names as a kind of deal: in the plural ("my pilots", "renewals"), before
    "deal(s)" ("the platform deals"), or after "every", "any", "all", "which", "how many" ("every pilot I've
    closed-won"). A product right after a record's name ("the Hooli pilot") is that record's, not a kind."""
    found = []
    for product in products:
        words = [re.escape(t) for t in re.findall(r"[a-z0-9&.'-]+", product.lower())]
        if not words:
            continue
        name = r"[\s-]+".join(words)
        plural = rf"(?<![\w-]){name}(?:s|'s(?! (?:close date|amount|stage|next|owner|value|contact|primary)))(?![\w-])"
        as_deal = rf"(?<![\w-]){name}(?= (?:deals?|opps?|opportunit(?:y|ies))\b)"
        as_kind = rf"{PRODUCT_AS_KIND}{name}(?![\w-])"
        if matches := list(reader.all(re.compile(f"{plural}|{as_deal}|{as_kind}"), claim="product")):
            found.append((matches[0].start(), product))
    return found[0][1] if len(found) == 1 else None


def _labels(reader: Reader, values: list[str], claim: str) -> list[str]:
    """The values named; when every one is named after "not" ("not converted and not written off as unqualified"),
    all the others instead."""
    found, negated, starts = [], [], []
    for value in sorted(values, key=len, reverse=True):
        said = LEAD_STATUS_WORDS.get(value) if claim == "lead-status" else None
        said = SOURCE_WORDS.get(value.lower()) if claim == "source" else said
        if claim == "industry" and " " not in value and len(value) >= SHORTENED_LABEL:
            said = rf"{re.escape(value.lower()[:6])}\w*"  # "telecom" for Telecommunications, "health" for Healthcare
        if claim == "region" and value.lower().endswith("america"):
            said = rf"{re.escape(value.lower())}n"  # "north american accounts"
        said = REGION_WORDS.get(value.lower(), said) if claim == "region" else said
        pattern = re.compile(_label(value).pattern + (rf"|\b(?:{said})\b" if said else ""))
        if matches := list(reader.all(pattern, claim=claim)):
            match = matches[0]
            found.append(value)
            start = max(0, match.start() - 40)
            negation = NEGATED.search(reader.text[start : match.start()])
            negated.append(negation is not None)
            starts.append(match.start())
            if negation is not None and reader.free(start + negation.start(), start + negation.end()):
                reader.claim(start + negation.start(), start + negation.end(), claim)
    for index in sorted(range(len(found)), key=lambda i: starts[i]):  # "haven't been converted or disqualified"
        earlier = [i for i in range(len(found)) if starts[i] < starts[index] and negated[i]]
        if not negated[index] and earlier and NEGATION_GOES_ON.search(reader.text[: starts[index]]):
            negated[index] = True
    if found and all(negated) and claim == "lead-status":
        return [value for value in values if value not in found]
    if claim in ("region", "industry", "source", "lead-status"):
        left_out = [value for value in found if left_out_of(reader.text, value)]
        if left_out and len(left_out) == len(found):
            for value in left_out:  # "leave out the ones marked unqualified": the words that took it out are read
                said = _label(value).search(reader.text)
                start = max(0, said.start() - 40) if said else 0
                taken = EXCLUDED_BEFORE.search(reader.text[start : said.start()]) if said else None
                if said and taken and reader.free(start + taken.start(), start + taken.end()):
                    reader.claim(start + taken.start(), start + taken.end(), claim)
            return [value for value in values if value not in left_out]  # "leave out LATAM": every other region
    return found


def left_out_of(text: str, value: str) -> bool:
    """Whether the text names the value right after words that take it out ("leave out LATAM")."""
    said = _label(value).search(text)
    if said is None:
        return False
    if EXCLUDED_BEFORE.search(text[max(0, said.start() - 40) : said.start()]) is not None:
        return True
    put_out = PUT_OUT_VERB.search(text[max(0, said.start() - 20) : said.start()])  # "take Hooli out of that"
    return put_out is not None and PERSON_OUT_AFTER.match(text, said.end()) is not None


REGION_WORDS = {
    "apac": r"asia[- ]pacific|asia[- ]pac|asia",
    "emea": r"europe(?:an)?|middle east|africa",
    "latam": r"latin america(?:n)?|south america(?:n)?",
    "north america": r"north american?|the us|the usa|the united states|us and canada",
}
"""regions said in words ("Asia-Pacific", "Europe")"""
NEGATED = re.compile(
    r"(?:\b(?:not|non|no longer|never|excluding|except|other than|besides)|n't)(?:\s+(?:yet|been|yet been|as|marked|"
    r"written off as|flagged as|set to))?\s*-?\s*$"
)
NEGATION_GOES_ON = re.compile(r"\b(?:or|nor)\s+(?:been\s+|yet\s+)?$")
""""… not converted or disqualified": the second value is negated too"""


SCORE_BOUND = re.compile(
    r"\bscor(?:e|es|ed|ing)(?: of)? (above|over|more than|at least|greater than|higher than|under|below|less than|"
    r"at most|lower than)\s+(\d{1,3})\b|\bscor(?:e|es|ed|ing)(?: of)? (\d{1,3})\s*(\+|or (?:more|higher|above|better))"
)
"""'leads scoring above 50', 'a score of 60 or more': a bound on the lead score, not on an amount"""


def _score(reader: Reader, parts: Parts) -> None:
    if m := reader.search(SCORE_BOUND, claim="filter"):
        if m[3]:
            parts.score_min = int(m[3])
        elif m[1] in ("above", "over", "more than", "greater than", "higher than"):
            parts.score_min = int(m[2]) + 1
        elif m[1] == "at least":
            parts.score_min = int(m[2])
        elif m[1] == "at most":
            parts.score_max = int(m[2])
        else:
            parts.score_max = int(m[2]) - 1


AMOUNT_TAKEN_BACK = re.compile(
    r"\b(?:forget|drop|remove|ignore|clear|lose|scrap|undo|no)(?: the| that)? \$?\d[\d,.]*\s?[km]?\s+"
    r"(?:floor|minimum|min|cutoff|cut-off|threshold|ceiling|cap)\b"
)
""""forget the 30k floor": a bound taken back, not one set"""


def _amounts(reader: Reader, parts: Parts) -> None:
    _score(reader, parts)
    reader.search(AMOUNT_TAKEN_BACK, claim="undo")
    if m := reader.search(AMOUNT_BETWEEN, claim="amount"):
        parts.amount_min, parts.amount_max = amount_value(m[1], _unit(m[2])), amount_value(m[3], _unit(m[4]))
        return
    bounds = [m for m in (reader.search(AMOUNT_MIN, claim="amount"), reader.search(AMOUNT_MAX, claim="amount")) if m]
    strict = [not INCLUSIVE.match(m[0]) for m in bounds]
    for index, m in enumerate(bounds):
        value = amount_value(m[1], _unit(m[2]))
        left_out = re.search(EXCLUDING.pattern + r"$", reader.text[: m.start()])  # "leave out anything under 10k"
        if (m.re is AMOUNT_MIN) != bool(left_out):
            parts.amount_min = value
        else:
            parts.amount_max = value
        if left_out:
            reader.claim(left_out.start(), left_out.end(), "amount")
            if re.match(r"\s*(?:at least|at most|>=|<=|up to|min|max)", m[0]):
                strict[index] = True  # "drop anything at most 30k" (from "30k or less") keeps what is over 30k
    parts.amount_strict = bool(bounds) and all(strict)
    for m in bounds:  # "every open deal worth at least 50k": the bound, not a sum asked for
        if worth := re.search(r"\b(?:worth|valued at|sized at|with a value of)\s*$", reader.text[: m.start()]):
            reader.claim(worth.start(), worth.end(), "amount")


def _unit(suffix: str | None) -> str | None:
    return "b" if suffix == "bn" else suffix


def _days(match: re.Match[str]) -> int:
    if match[1]:
        count = int(match[1]) if match[1].isdigit() else NUMBER_WORDS.get(match[1], 1)
        return count * DAY_UNITS[match[2]]
    unit = match[3] or match[4] or match[5] or "week"
    return DAY_UNITS[unit]


HAS_FIELD = re.compile(
    r"\b(?:(?:that |which |who |ones? )?(?:do |does |did )?(?:have|has|having|got)\s+(?:a |an |their |its |the |any )?|"
    r"with (?:a |an |any ))"
    r"(?:(?:phone|mobile|direct)(?: numbers?| lines?)?|e-?mail(?: address(?:es)?)?)\b"
    r"(?! (?:missing|blank|empty|set to))(?![\w ]{0,12}\bfor (?:every|all|each|any))"
)
"""'which of my contacts have a phone number': records where that field is set (a close date or next step is
asked with a condition on it: 'have a close date in Q4')"""
OPEN_ON_THEM = re.compile(
    r"\b(?:which|that)(?: of (?:them|those|these))?(?: ones| still| actually)? (?:have|has|had|got)\s+"
    r"(?:(?:something|anything|stuff|business)\s+(?:still\s+)?open|(?:an?\s+|any\s+|some\s+)?(?:open|live|active)\s+"
    r"(?:deals?|opps?|opportunit(?:y|ies)))(?:\s+(?:on|with) (?:them|it|those|these|us))?"
    r"(?=\s*(?:$|[?.!,;]|right now|at the moment|currently|now|still|going))"
)
"""'which of those have something open on them': accounts with an open deal"""
PRESENT_FIELDS = {"phone": r"phone|mobile|direct", "email": r"e-?mail"}
TASK_ON_THEM = re.compile(
    r"\b(?:(?:(?:that|which|who)(?:'s| is| are|'re)?(?: both)? )?(?:has|have|having|got|carries|carry)|"
    r"(?:and|but|also|still) (?:has|have|got)|with(?= (?:an?|at least one|one or more) (?:overdue|late|"
    r"past[- ]due|open|outstanding|pending) tasks?\b))\s+(?:an? |any |some |at least one |one or more |)"
    r"(?P<kind>(?:overdue|late|past[- ]due|open|outstanding|pending) )?(?:follow[- ]?up )?tasks?"
    r"(?P<late>(?: (?:hanging|sitting|open))?(?: on (?:them|it|the deals?|those|these))? "
    r"(?:that(?:'s| is)|thats|which is|still|already) (?:overdue|late|past (?:its |their |the )?due(?: date)?))?\b"
    r"(?! (?:due|coming|this|next|today|tomorrow|for (?:me|you|him|her|them)|assigned|to do)\b)|"
    r"\b(?:with no|without (?:an? |any )?|no) (?P<no>open |outstanding |pending |follow[- ]?up |upcoming |"
    r"scheduled |)tasks?\b(?! (?:due|overdue|list))"
)
RECORDS_BEFORE = re.compile(
    r"\b(?:deals?|opps?|opportunit(?:y|ies)|accounts?|contacts?|leads?|ones?|them|those|mine)\b"
)
"""'a deal that's both past its close date and has an overdue task', 'accounts with no open tasks': records that
carry an open (or overdue) task, or none"""


def sort_for(sort: str | None, obj: str) -> str | None:
    """A sort key said for one object read for another: a deal's "due date" ("overdue the longest") is its close
    date."""
    return "close_date" if sort == "due_date" and obj == "deals" else sort


GROUPS_HOLDING = re.compile(
    r"\b(?P<who>accounts?|accts?|customers?|companies|clients|reps?|sellers?|owners?|stages?|industries|regions?)\b"
    r"[^?.]{0,40}?\b(?:(?P<bound>more than|over|at least|upwards of|>=?)\s+(?P<n>\d{1,3}|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)|(?P<m>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)(?P<plus>\+| or more))"
    r"(?=\s+(?:open\s+|active\s+|live\s+|won\s+|lost\s+)?(?:deals?|opps?|opportunit(?:y|ies))\b)"
)
GROUP_WORDS = {"acc": "account", "cus": "account", "com": "account", "cli": "account", "rep": "owner", "sel": "owner",
               "own": "owner", "sta": "stage", "ind": "industry", "reg": "region"}  # fmt: skip


TOUCHED = re.compile(
    r"\b(?:which|what) (?P<who>accounts?|customers?|companies|clients|contacts?|people)\b[^?.]{0,30}?\b"
    r"(?:have|has|did|do|had)?\s*(?:i|we|you|he|she|they|[a-z]+)\s+(?:actually\s+|even\s+)?"
    r"(?P<verb>met|meet|called|call|phoned|phone|rang|ring|e-?mailed|e-?mail|spoken|spoke|speak|talked|talk)"
    r"(?:\s+(?:with|to))?\b"
)
WHO_WITH = re.compile(
    r"\bhow many\b[^?]*(?:\bwho (?:were|are) (?:they|those|these|the calls|the meetings) with\b|"
    r"\b(?:and )?(?:with|at|for) (?:which|what|whom|who) (?=(?:accounts?|companies|company|customers?|clients?|"
    r"contacts?|people)\b))"
)
""""how many calls have I logged since Nov 1 and who were they with (accounts)": the count, split"""
TOUCH_KINDS = {"me": "meeting", "ca": "call", "ph": "call", "ra": "call", "ri": "call", "em": "email", "e-": "email"}


def _records_touched(reader: Reader, parts: Parts) -> None:
    """'which accounts have I met with this quarter', 'which contacts did I call': the activities of that kind,
    counted per account (or contact); 'how many calls … and who were they with (accounts)' the same."""
    with_whom = WHO_WITH.search(reader.text)
    asked = (
        with_whom.start()
        + max(
            with_whom[0].rfind(" who"),
            with_whom[0].rfind(" what"),
            with_whom[0].rfind(" with "),
            with_whom[0].rfind(" at "),
            with_whom[0].rfind(" for "),
        )
        + 1
        if with_whom is not None
        else 0
    )
    if with_whom is not None and reader.free(asked, with_whom.end()):
        reader.claim(asked, with_whom.end(), "group")
        by_account = re.search(r"\b(?:accounts?|companies|company|customers?)\b", reader.text)
        parts.group_by, parts.group_from = ("account" if by_account else "contact"), "each"
        if by_account:
            reader.claim(by_account.start(), by_account.end(), "group")
        return
    touched = TOUCHED.search(reader.text)
    if touched is None or not reader.free(touched.start("verb"), touched.end("verb")):
        return
    reader.claim(touched.start("who"), touched.end("who"), "group")
    reader.claim(touched.start("verb"), touched.end(), "object")
    kind = TOUCH_KINDS.get(touched["verb"][:2])
    parts.activity_types = [kind] if kind else []
    parts.group_by = "contact" if touched["who"].startswith(("contact", "people")) else "account"
    parts.group_from, parts.measure = "touched", "count"


def _groups_holding(reader: Reader, parts: Parts) -> None:
    """'accounts where I've got more than 1 open opp going', 'reps with 5+ open deals': the deals counted per
    account (or rep), keeping the groups that reach the number."""
    held = GROUPS_HOLDING.search(reader.text)
    if held is None:
        return
    said = held["n"] or held["m"]
    number = int(said) if said.isdigit() else NUMBER_WORDS[said]
    least = number + 1 if held["bound"] in ("more than", "over", ">") else number
    if least <= 1:
        return  # "accounts with at least one open opportunity": any of them, no threshold
    start = held.start("bound") if held["bound"] else held.start("m")
    reader.claim(start, held.end(), "group")
    parts.group_min = least
    parts.group_by, parts.group_from, parts.measure = GROUP_WORDS[held["who"][:3]], "each", "count"


def _tasks_on_them(reader: Reader, parts: Parts) -> None:
    """Deals, accounts, contacts or leads with (or without) an open or overdue task on them."""
    if not re.search(r"\b(?:deals?|opps?|opportunit(?:y|ies)|accounts?|contacts?|leads?)\b", reader.text):
        return
    for said in reader.all(TASK_ON_THEM):
        if not RECORDS_BEFORE.search(reader.text[: said.start()]):
            continue
        if said["no"] is not None:
            name = "overdue_task" if "overdue" in said[0] else "open_task"
            parts.missing.append(name)
            parts.missing_words[name] = said[0].strip()
        else:
            late = said["late"] or re.search(r"overdue|late|past", said["kind"] or "")
            parts.present.append("overdue_task" if late else "open_task")
        start = (
            said.start()
            if said["no"] is not None
            else said.start("kind")
            if said["kind"]
            else said[0].rfind("task") + said.start()
        )
        reader.claim(min(start, said.end()), said.end(), "missing")
        if said[0].startswith("and") and (both := re.search(r"\bboth\b(?! of)", reader.text[: said.start()])):
            reader.claim(both.start(), both.end(), "filler")  # "a deal that's both past its close date and has …"


def _present(reader: Reader, parts: Parts) -> None:
    if reader.search(OPEN_ON_THEM, claim="missing") and "open_deal" not in parts.missing:
        parts.present.append("open_deal")  # "which of my accounts have something open on them"
    for said in reader.all(HAS_FIELD, claim="missing"):
        for name, pattern in PRESENT_FIELDS.items():
            if re.search(rf"\b(?:{pattern})", said[0]) and name not in parts.missing and name not in parts.present:
                parts.present.append(name)
                break


def _missing(reader: Reader, parts: Parts) -> None:
    for name, pattern in w.MISSING_FIELDS.items():
        lead = re.compile(w.MISSING_LEAD.pattern + r"(?:" + pattern.pattern + r")")
        for match in reader.all(lead):
            after = reader.text[match.end() :]
            empty = EMPTY_AFTER.match(after)
            if match[0].startswith("where the") and not empty:
                continue  # "where the champion has left the company" is no empty field
            end = match.end() + (empty.end() if empty else 0)
            if said_so := FIELD_LEFT_EMPTY.match(reader.text[end:]):  # "no next step set", "… recorded"
                end += said_so.end()
            reader.claim(match.start(), end, "missing")
            parts.missing.append(name)
            parts.missing_words[name] = match[0].strip()
            _missing_beside(reader, parts, end)
            break
    for name in ("next_step", "close_date", "amount", "primary_contact", "email", "phone", "industry", "title"):
        if name in parts.missing:
            continue
        field_words = w.MISSING_FIELDS[name].pattern
        left = re.compile(
            rf"\b(?:(?:left|leave|leaving|kept|keep) (?:the |a |an |its |their )?(?:{field_words}) (?:\w+ )?"
            rf"(?:blank|empty|unset|unfilled)|(?:the|a|an|its|their) (?:{field_words})(?: field| box)? "
            rf"(?:left |still |is |are |was |were )?(?:empty|blank|unset|unfilled|"
            r"not (?:set|filled(?: in)?)))\b"
        )
        for match in reader.all(left, claim="missing"):
            parts.missing.append(name)
            parts.missing_words[name] = match[0].strip()
            break


FIELD_LEFT_EMPTY = re.compile(r"\s+(?:set|recorded|entered|filled(?: in)?|written(?: down)?|on file|logged)\b")


def _missing_beside(reader: Reader, parts: Parts, end: int) -> None:
    """'lack a primary contact or a next step': the field said right after an empty one is empty too; with 'or',
    either will do."""
    for other, pattern in w.MISSING_FIELDS.items():
        if other in parts.missing or other in ("deal", "open_deal", "activity"):
            continue
        joined = re.match(
            r"\s*,?\s*(or|and|nor|/)\s+(?:a |an |any |the |no |without (?:a |an |any )?|missing (?:a |an )?)?"
            rf"(?:{pattern.pattern})",
            reader.text[end:],
        )
        if joined is not None and reader.free(end + joined.start(1), end + joined.end()):
            reader.claim(end + joined.start(1), end + joined.end(), "missing")
            parts.missing.append(other)
            parts.missing_words[other] = joined[0].strip()
            parts.any_condition = joined[1] in ("or", "/")
            return


EMPTY_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:is|are|was|were|has been|have been|got|been)\s+(?:left\s+)?(?:empty|blank|missing|"
    r"not (?:set|filled)|unset|null|none)"
)
BEFORE_THAT = re.compile(r"\b(?:the |that )?(?:week|month|quarter|year|one) (?:before(?: (?:that|it))?|prior)\b")
BY_REVENUE = re.compile(r"\b(?:by|in) (?:revenue|bookings)\b|\brevenue[- ]wise\b")
EARNED = re.compile(r"\b(?:our|my|the team's|team|annual|total) revenue\b")
UNEARNED = re.compile(r"\b(?:pipeline|pipe|open|forecast\w*|expected|potential|projected|closing|lost|losses)\b")
WON_OR_LOST = re.compile(
    r"\b(?:won or lost|lost or won|(?:either )?won or lost|won/lost|won\+lost|"
    r"won and lost|lost and won)\b"
)
""""deals we closed, won or lost": every closed deal (with "compared", the two side by side)"""
_NEVER = r"\b(?:never|not once|not ever|(?:no ?one|nobody) (?:has |have )?ever)\s+(?:been\s+|actually\s+|even\s+)?"
NEVER_KIND = {
    "call": re.compile(
        _NEVER
        + r"(?:phoned|called|rung|rang|(?:had|logged|made|recorded) (?:a |any |a single |one )?(?:phone )?calls?|"
        r"(?:got|gotten) on the phone)\b|"
        r"\bno (?:phone )?calls? (?:logged|at all|ever|whatsoever|on record)\b"
    ),
    "meeting": re.compile(
        _NEVER + r"(?:met(?: (?:with )?(?:them |him |her )?(?:face[- ]to[- ]face|in person))?|"
        r"(?:had|logged|held|booked|recorded) (?:a |any |a single |one )?meetings?|"
        r"sat down)\b|"
        r"\bno meetings? (?:logged|at all|ever|whatsoever|on record)\b"
    ),
    "email": re.compile(
        _NEVER + r"(?:e-?mailed|(?:sent|had|logged|written) (?:(?:the |our )?(?:customer|client|buyer|them|him|her) )?"
        r"(?:an? |any |a single |one )?e-?mails?)\b|"
        r"\bno e-?mails? (?:logged|at all|ever|whatsoever|sent|on record)\b"
    ),
}
"""one kind of conversation never had with a record ("never met face to face", "nobody ever phoned")"""
ALSO_NEVER = r"\b(?:or|nor|and) (?:been |had )?(e-?mailed|met|called|phoned|rung)\b"
ALSO_KIND = {"emailed": "email", "met": "meeting", "called": "call", "phoned": "call", "rung": "call"}
"""'never been called or emailed': a second kind named, so no one kind (any activity, as before)"""
NEVER_WORKED = re.compile(
    r"\b(?:never (?:been )?(?:touched|worked|contacted|called|emailed|engaged|followed up)"
    r"(?:,? (?:or|nor|and) (?:been )?(?:touched|worked|contacted|called|e-?mailed|met|phoned))*|"
    r"(?:no ?one|nobody)(?:'s)? "
    r"(?:has |have )?ever (?:touched|worked|contacted|called|engaged|followed up|reached out to|e-?mailed)"
    r"(?: with| on)?|"
    r"(?:no|zero) (?:activity|activities|touches|touch ?points|interactions)(?: (?:logged|recorded))?"
    r"(?: (?:against|on|for|with) (?:them|it|those|these|the \w+))? (?:at all|ever|whatsoever)|"
    r"(?:i'?ve|i have|we'?ve|we have|he'?s|she'?s|has|have) never (?:logged|recorded|done|had) "
    r"(?:a single thing|anything|a thing|any activity)(?: (?:with|on|against|for) (?:them|it|those|these))?|"
    r"(?:(?:haven't|have not|hasn't|has not|not) (?:yet )?(?:been )?|not yet (?:been )?|yet to be |"
    r"(?:no ?one|nobody)(?:'s| has| have)? (?:yet )?)"
    r"(?:touched|worked|contacted|called|e-?mailed|reached|followed up(?: on| with)?|reached out to|engaged)"
    r"(?: (?:them|it|him|her))?(?: (?:at all|yet))?(?<=yet|all)|"
    r"(?:not|never) (?:yet )?(?:been )?(?:touched|worked|contacted|called) (?:at all|yet)|"
    r"never (?:logged|had|made|done|recorded) (?:a |an |any |a single )?(?:calls?|e-?mails?|meetings?|notes?)"
    r"(?:,? (?:or |and |nor )?(?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?))+|"
    r"nothing ever logged|nothing logged (?:at all|ever)|never (?:had |have )?(?:anything|a thing|any activity) "
    r"(?:logged|recorded|done)|never (?:had|got|seen|logged) (?:any|a single) (?:activity|activities|touch ?points?|"
    r"interactions?|touches)|"
    r"no (?:calls?|e-?mails?|meetings?|notes?|tasks?)(?:,? (?:or |nor |and )?(?:calls?|e-?mails?|meetings?|notes?|"
    r"tasks?))+|"
    r"(?:no (?:calls?|emails?|meetings?|notes?|activity)\W+(?:or |nor )?){2,}"
    r"(?:nothing (?:logged|at all))?)"
    r"(?![^.?!]*\b(?:in|since|for|over|within|during|lately|recently|last|past) (?:the |a |an |\d|\w+ (?:days?|weeks?|"
    r"months?|wks?))|[^.?!]*\b(?:since|lately|recently)\b)"
)
"""records nobody ever worked: no activity at all, not merely none lately"""
NEVER_LOGGED_KINDS = re.compile(
    r"\bnever (?:\w+ )?(?:logged|had|made|done|recorded) (?:a |an |any |a single )?"
    r"(?:calls?|e-?mails?|meetings?|notes?)"
    r"(?:,? (?:or |and |nor )?(?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?)){2,}(?: (?:with|on|against))?\b"
)
"""'never logged a call, email, meeting or note with': every kind of activity named, so none at all"""
ANY_STATUS = re.compile(
    r"\b(?:open or closed|closed or open|open and closed|closed and open|"
    r"open,? won(?:,)? (?:or|and) lost|whatever (?:the|their) status|any status|all statuses|"
    r"regardless of (?:the )?status)\b"
)
BY_SCORE = re.compile(
    r"\b(?:(?:highest|top|best|biggest|lowest|worst|bottom|higher|lower|better|worse)[- ](?:lead )?"
    r"scor(?:e|ed|ing|er)|"
    r"scor(?:es?|ed) (?:the )?(?:highest|lowest|best|most|higher|lower|better|worse)|by (?:lead )?score)\b"
)
HEADCOUNT_STAT = re.compile(
    r"\b(?:employee ?counts?|head ?counts?|company sizes?|number of employees|staff counts?|how many employees)\b"
    r"(?=[^?.!]*\b(?:across|over|of|for)\b)"
)
"""an account's size as the number measured ("the median employee count across my team's accounts")"""
PROBABILITY_STAT = re.compile(
    r"\b(?:(?:stage |win |close |closing )?(?:probabilit(?:y|ies)|odds|likelihood)|how likely)\b"
)
AVERAGE_WORD = re.compile(r"\b(?:average|avg|mean|typical|median)\b")
"""the stage's chance of winning, averaged over deals ("going by the stage odds, how likely … on average")"""
BY_HEADCOUNT = re.compile(
    r"\b(?:(?:the )?(most|fewest|least|biggest|largest|smallest|highest|lowest|greatest|more|fewer|less)\s+"
    r"(?:number of\s+)?"
    r"(?:employees|staff|headcount|head count|employee count|people)"
    r"|(?:employees|headcount|employee count|staff)\s+(?:the\s+)?(most|fewest|highest|lowest)"
    r"|(?:biggest|largest|smallest)(?: \w+)? by (?:employees|headcount|head count|employee count|staff)"
    r"|by\s+(?:employees|headcount|head count|employee count|number of employees|staff size))\b"
)
"""accounts ranked by their size in people ("which of those has the most employees")"""
EXTREME_AMOUNT = re.compile(
    r"\b(?:min(?:imum)?|max(?:imum)?|smallest|largest|biggest|highest|lowest)\s+(?:deal\s+|opportunity\s+|opp\s+)?"
    r"(?:amount|value|size)\b"
)
HOW_MANY_DOLLARS = re.compile(r"\bhow many (?:dollars|bucks|euros|pounds|\$)")
HOW_MANY_RECORDS = re.compile(
    r"\bhow many (?:\w+ )?(?:deals|opportunities|opps)\b|\bhow many (?:is|are) (?:that|those|they)\b"
)
TOTALLED = re.compile(r"\b(?:total\w*|sum|summed|combined|how much|altogether|in all)\b")
CHANGED_WHO = re.compile(
    r"\b(?:who|whose|which (?:of (?:my|our|the) )?(?:reps?|people|sellers|owners|team members|aes)|anyone|anybody|"
    r"each|every(?:one| rep)|any reps?)\b"
)
BOTH_SIDES = re.compile(
    r"\b(?:for |of )?(?:both|each)(?: of them| sides?| numbers)?\b"
    r"(?!'s|\s+(?:reps?\b|owners?\b|sellers?\b|person|members?\b|teams?\b|stages?\b|accounts?\b|customers?\b|"
    r"industr|regions?\b|sources?\b|months?\b|quarters?\b|of (?:my|our|the)\b))"
)
""""give me both numbers", "days for both": the sides of a comparison (not "each rep", a group)"""
CYCLE_COUNTED = re.compile(
    r"\b(?:(?:counted|measured|calculated|worked out|starting|going|running)\s+)?from\s+(?:the\s+)?(?:day|date|time|"
    r"moment)\s+(?:(?:each|the|a|every)\s+(?:deal|opportunity|opp)|it|they|each one)\s+(?:was\s+|were\s+)?"
    r"(?:created|opened|entered|logged)"
    r"(?:\s+(?:to|until|till)\s+(?:the\s+)?(?:day|date)\s+(?:it|they)\s+(?:was|were)\s+(?:won|closed))?"
)
AMONG_REPS = re.compile(
    r"\b(?:across|among|amongst|of|for|out of)\s+(?:all\s+)?(?:of\s+)?(?:my|our|the|the team's)?\s*"
    r"(reps|sellers|salespeople|sales reps|team members|aes|account executives)\b"
)
FIELD_OF_EACH = re.compile(
    r"\b(?:stages?|close dates?|owners?|amounts?)\b"
    r"(?=[\w\s,&]{0,30}\b(?:of|for|on) (?:each|every one|them|those|these)\b)"
)
""""with the amount and stage of each": what every listed record's line already shows"""
OWNER_ASKED = re.compile(
    r"\b(?:who owns (?:each|them|those|these|it|which)(?: one)?(?: of (?:them|those|these))?|"
    r"whose (?:is|are) (?:each|they|those|these|it)(?: one)?|whose (?:it is|they are|each (?:one )?is)|"
    r"whose (?:deal|opp|opportunity|loss|win|one) (?:was|is) (?:it|that)|"
    r"(?:tell me|say|show|give me|with) (?:whose|who owns) (?:it is|they are|each (?:one )?is|it|each))\b"
)
ACCOUNTS_HOLDING = re.compile(
    r"\b(?:which|what|list|show(?: me)?|name)(?: of)? (?:(?:my|our|the team's) )?"
    r"(?:accounts|customers|clients|companies)\b"
)
""""which accounts do I have open deals with": the deals summed per account (the accounts named, with their money)"""
CALL_FIRST = re.compile(r"\b(?:phone|call|ring|contact|chase)(?: \w+)? first\b")


def claim_ranked_first(reader: Reader) -> None:
    """ "highest score first": once the sort is read, the word that only says its direction."""
    for ranked_first in RANKED_FIRST.finditer(reader.text):
        if reader.free(ranked_first.start(1), ranked_first.end(1)):
            reader.claim(ranked_first.start(1), ranked_first.end(1), "order")


RANKED_FIRST = re.compile(
    r"\b(?:highest|lowest|biggest|largest|smallest|newest|oldest|latest|earliest|soonest|best|worst|most|fewest)"
    r"(?: [\w-]+)? (first)\b"
)
ACCOUNT_PLACE = re.compile(
    r"\bwhere (?:are|is|were|was) (?:they|those|these|it|them|each(?: one)?)(?: all)? (?:based|located|headquartered)\b"
)
"""'where are those based': the region each account's line names"""
LEAD_FIELDS = re.compile(r"\b(?:lead )?(?:scores?|sources?|status(?:es)?|compan(?:y|ies))\b")
SAID_COUNT = re.compile(
    r"\b(?:my|our|the|his|her|their|those|these|both) (two|three|four|five|six|\d{1,2}) (?:[\w-]+ ){0,4}?"
    r"(?:deals|opportunities|opps|accounts|leads|contacts|tasks)\b"
)
CONTACT_FIELDS = re.compile(
    r"\b(?:(?:their|the|his|her|its) )?(?:job )?(?:titles?|roles?|positions?)(?:,? (?:and|&|\+) (?:their |the )?"
    r"(?:e-?mails?|phones?|phone numbers?|e-?mail addresses?))?\b"
)
CONTACT_LINE_FIELDS = re.compile(
    r"\b(?:e-?mails?(?: address(?:es)?)?|phones?(?: numbers?)?|numbers?|titles?|job titles?|contact details|details)\b"
)
"""what every contact line shows"""
_LOW = r"(?:smallest|lowest|least|cheapest|low|small|oldest|earliest)"
_HIGH = r"(?:biggest|largest|highest|most|high|big|newest|latest)"
SMALL_TO_BIG = re.compile(rf"\b(?:from )?{_LOW} (?:to|->|up to) {_HIGH}\b")
BIG_TO_SMALL = re.compile(rf"\b(?:from )?{_HIGH} (?:to|->|down to) {_LOW}\b")
DEAL_IT_IS_ON = re.compile(
    r"\b(?:and )?(?:which|what) deals? (?:does|do|is|are) (?:it|that|each|they|those|each one)(?: one)? "
    r"(?:belong to|attached to|sit(?:ting)? on|tied to|on|for|linked to|under)\b|"
    r"\b(?:and )?the deals? (?:it|each|they) (?:belongs? to|(?:is|are) (?:attached to|on|for|tied to))\b"
)
THOSE_FEW = re.compile(
    r"\b(?:those|these|the|top|bottom) (two|three|four|five)\b"
    r"(?! (?:of (?:us|you)|quarters?|months?|weeks?|years?|days?|periods?|teams?|stages?)\b)"
)
WHOSE_RANK = re.compile(
    r"\bwhose\b(?! (?:is|are|was|were) (?:it|this|that|they|each)\b)"
    r"(?! (?:deal|opp|opportunity|loss|win|one) (?:was|is) (?:it|that)\b)"
)
"""'whose 2026 wins took the longest': the people ranked by the figure, not one record's owner"""
RECORDS_NOUN = re.compile(r"\b(?:deals|opps|opportunities|tasks|leads|accounts)\b")
EMAILS_ASKED = re.compile(
    r"\b(?:how many|any|an|last|latest|recent|logged|sent|received|got)\b[^.?!]{0,20}\be-?mails?\b|"
    r"\be-?mails? (?:from|to|with|between)\b"
)
"""emails as activities ("any email from Tom Berg this week"), not a person's address"""
_KIND = r"(?:even )?(?:a |an |any |one )?(?:single )?(?:calls?|e-?mails?|meetings?|notes?)"
KINDS_NOT_HAD = re.compile(rf"(?:^|[-,:(]\s*|\s)(?:not|no|nor) {_KIND}(?:(?:,|,? or|,? and|,? nor) {_KIND})*\b")
"""'nobody worked for a month - not a call, an email, a meeting or even a note': the kinds that count as work"""
DUE_BY_TODAY = re.compile(
    r"\b(?:overdue|past due|late)\s+(?:or|and|\+|&|plus)\s+(?:(?:anything|what'?s|stuff|ones?|things?)\s+)?"
    r"(?:that'?s\s+|is\s+)?(?:due\s+)?(?:today|by today|by end of (?:the )?day|by eod)\b|"
    r"\b(?:due\s+)?today\s+(?:or|and|\+|&|plus)\s+(?:already\s+)?(?:overdue|late|past due)\b"
)
PERSON_FIELDS = re.compile(
    r"\b(?:(?:job )?titles?|roles?|positions?|(?:work |business |office )?e-?mail(?: address(?:es)?)?|"
    r"(?:work |business |office )?phone(?: numbers?)?|direct (?:lines?|dials?)|mobiles?|cell(?: numbers?)?|"
    r"contact (?:details|info)|on file)\b"
)
"""what a person's line shows ("his job title and the email address we have on file")"""
WHOM_TO_REACH = re.compile(
    r"\b(?:phone|call|ring|e-?mail|contact|reach out to|speak to|talk to) about (?:it|that|this|them|those|each)\b"
)
"""'… and who should I phone about it?': the primary contact each deal's line names"""
ONE_DEAL_IN = (
    r"\b(?:deal|opportunity|opp|renewal)\b(?:\s+(?:sitting|stuck))?"
    r"(?:\s+(?:in|at)\b|[^?]{0,40}\s(?:in|at)\s*(?:[?.!]|$))"
)
"""'… is their biggest deal in', '… is the biggest deal on my team at?': the stage one deal is in"""
RECORD_FIELD_ASKED = re.compile(
    r"\b(?:(?:what|which) (?:stage|close date)(?: is| was) (?:it|that|this|each)(?: at| in| on)?"
    r"|(?:what|which) stage(?= (?:is|was) [^?]{0,60}" + ONE_DEAL_IN + ")"
    r"|(?:what|which) stage(?= (?:that|this|the|my|our|his|her|their|its|[\w-]+'s)\b[^?]{0,60}?\b"
    r"(?:deal|opportunity|opp|renewal) (?:is|was) (?:sitting |stuck )?(?:in|at)\b)"
    r"|(?:the |their |its )?(?:amount|stage|close date|value|owner|deal|rep)(?:,? (?:and|&)? ?(?:the |their )?"
    r"(?:amount|stage|close date|value|owner|rep|deal))+(?: (?:of|for|on) (?:each|every one|them|those|these))?"
    r"|when (?:was|were|did) (?:each|it|they|that|those|these)(?: one| of (?:them|those|these))? "
    r"(?:last|most recently) "
    r"(?:touched|worked|contacted|updated|had (?:any |an )?activity|active)"
    r"|(?:the |their |its )?(?:last|latest|most recent) (?:touch(?:ed)?|touchpoint|activity|activity date|contact)"
    r"(?: date)? (?:on|for|of) (?:each|every)(?: one)?(?: of (?:them|those|these))?)\b"
)
CONTACTS_ASKED = re.compile(
    r"\b(?:who(?:'s| is| are| were| was)(?: the)?|with (?:the|their)|and (?:the|their)|(?:the|their|its)) "
    r"(?:primary |main |key |customer |client |buyer )?"
    r"(?:contacts?|points? of contact)(?: (?:on|for|at) (?:each|every|them|those|these|it|the deals?))?\b|"
    r"\bwho the (?:primary |main |key )?contact (?:is|was) (?:on|for|at) (?:each|every)(?: one)?\b|"
    r"\b(?:who(?:'s| is)|and) the (?:person|one|guy|people) (?:i|we) (?:should|need to|ought to) (?:ring|call|phone|"
    r"email|e-mail|chase|contact|reach out to)(?: (?:on|for|at) (?:each|every|them|those|these|it|the deals?))?"
    r"(?: one)?\b"
)
"""'who's the primary contact on each of those deals': each deal listed with its primary contact"""
NEXT_STEPS_ASKED = re.compile(
    r"\bnext steps?\b|\bwhat needs (?:doing|to be done|to happen)(?: (?:on|for) (?:it|them|each(?: one)?))?"
)
"""'what's the next step on each of them': each deal listed with its next step"""
DEAL_ENDS = ("won", "lost", "closed")
"""'what did I close last month and who were the contacts': deals, though none is named"""
ON_EACH = ("each", "every", "them", "those", "these", "it", "deal", "deals", "each one", "every one")
GROUP_ASKED = re.compile(
    r"\b(?:what|which) (stage|status|industry|region|source)(?:es|s)? (?:are|were) (?:they|those|these)\b"
)
"""'what status are they sitting in': the records just shown, counted per status"""
RATE_ITSELF = re.compile(r"\b(?:their|the|his|her|its|that|my|our) (?:rates?|percentages?|%)")
KINDS_APART = re.compile(
    r"\bboth (?:numbers|counts|figures|kinds|types)\b|\beach (?:type|kind)\b|\bseparately\b|"
    r"\bseparate (?:numbers|counts|figures|totals|lines)\b|\b(?:split|broken) (?:out|up)\b|\bone by one\b|"
    r"\bhow many \w+ (?:and|n|&|plus) how many\b|\b(?:by|per|for each) (?:kind|type)\b|"
    r"\bbreak(?:ing)? (?:\w+ ){0,6}?down\b|\bbreakdown\b"
)
FAST_CLOSER = re.compile(r"\b(fastest|quickest|slowest|speediest)\s+(?:closer|rep|seller|salesperson|ae)s?\b")
TEAM_REP = re.compile(
    r"\bwhich\s+(?:one\s+)?(?:of\s+)?[\w']+\s+(reps?|sellers?|salespe(?:rson|ople)|owners?|aes?|people)\b"
)
CUSTOMER_RANKED = re.compile(
    r"\b(?:top|best|biggest|largest|leading|number one|#1)\s+(?:\w+\s+)?(?:customers?|clients?|accounts?|logos?)\b"
)
ONE_RECORD_RANKED = re.compile(
    r"\b(?:biggest|largest|smallest|oldest|newest|most valuable|top)\s+(?:\w+\s+){0,2}?(?:deal|opportunity|opp|lead)\b"
)
OWNER_OF_IT = re.compile(
    r"\bwho(?:'s| is| has| owns| holds)?(?: got)? (?:it|that|that one|this one|that deal)\b|"
    r"\b(?:who|which (?:of (?:my|our|the) )?(?:reps?|sellers?|people|person|one of (?:my|our|the) reps)) "
    r"(?:brought|closed|won|landed|sold|signed|booked|owned|owns|had|has|got|carried|carries|worked) "
    r"(?:it|that|that one|that deal|this one)\b|"
    r"\bwho(?:'s| is| was)\b(?=[^?]*\b(?:deal|opportunity|opp) with\b)"  # "who's my oldest open deal with"
)
"""'biggest open deal on West - who's got it', 'who on my team has the oldest open deal': one record and its owner,
not a ranking of owners"""


def _group(reader: Reader, parts: Parts, labels: Labels) -> None:
    if parts.sort == "employees" or parts.number_field == "employees":
        return  # "which of my accounts has the most employees": accounts ranked, not deals per account
    if fast := reader.search(FAST_CLOSER, claim="group"):  # "fastest closer company-wide": days to close per rep
        parts.group_by, parts.group_from, parts.group_one, parts.days_to_close = "owner", "which", True, True
        parts.superlative = "max" if fast[1] == "slowest" else "min"
        other_end = w.SLOWEST if fast[1] != "slowest" else w.QUICKEST
        if reader.search(other_end, claim="order"):  # "who's our fastest closer and who's our slowest"
            parts.both_ends, parts.superlative = True, "min"
        return
    if _counted_groups(reader, parts):  # "which three industries carry the most …, and how much is open in each"
        return
    per = reader.search(NAMED_FOR_EACH, claim="group")
    leading = LEADING_FOR_EACH.search(reader.text) if per is None else None
    if leading is not None and reader.free(leading.start(1), leading.end(1)):
        reader.claim(leading.start(1), leading.end(1), "group")
        per = leading
    if per is not None:  # "for the accounts I own, … at each one", "apac accts where i got open deals - … at each"
        reader.search(EACH_ONE, claim="group") or reader.search(AT_EACH, claim="group")
        parts.group_by, parts.group_from = EACH_DIMENSION[per[1]], "lead"
        return
    for name, adjective in w.GROUP_ADJECTIVES.items():
        if reader.search(re.compile(rf"\b(?:{adjective})(?=[\s-]+{w.SPLIT_NOUNS})"), claim="group"):
            parts.group_by, parts.group_from = name, "lead"
            return
    for name, pattern in w.DIMENSIONS.items():
        if name == "owner" and not re.search(
            r"\b(?:(?:by|per|for each|for every|each|across)\s+(?:the\s+)?(?:lead\s+|deal\s+|account\s+)?|"
            r"(?:each|every one|everyone) of\s+(?:the|my|our)\s+)(?:rep|owner|seller|person|"
            r"salesperson|member|user|ae)",
            reader.text,
        ):
            continue
        lead = re.compile(w.GROUP_LEAD.pattern + r"(?:" + pattern.pattern + r")")
        if reader.search(lead, claim="group"):
            parts.group_by, parts.group_from = name, "lead"
            return
    if reader.search(ORIGIN, claim="group"):  # "where did they come from"
        parts.group_by, parts.group_from = "source", "lead"
        return
    for name in ("stage", "owner", "month", "quarter", "region", "industry", "source", "team", "account"):
        pattern = w.DIMENSIONS[name]
        doubled = re.compile(r"\b(" + pattern.pattern.removeprefix(r"\b").removesuffix(r"\b") + r") by \1\b")
        behind = re.compile(r"\bthe (?:" + pattern.pattern + r") (?:behind|with|that has|that brought|bringing in|"
                            r"responsible for) (?:the )?(?:most|largest|biggest|highest|greatest)\b")  # fmt: skip
        if reader.search(doubled, claim="group"):  # "stage by stage", "month by month"
            parts.group_by, parts.group_from = name, "lead"
            return
        if reader.search(behind, claim="group"):  # "the lead source behind the largest number of them"
            parts.group_by, parts.group_from, parts.superlative = name, "which", "max"
            return
    for name, pattern in w.DIMENSIONS.items():
        ranked = re.compile(r"\b(?:rank|sort|order|list|compare)\s+(?:the\s+|my\s+|our\s+|all\s+|every\s+|each\s+)?"
                            r"(?:lead\s+)?(?:"
                            + pattern.pattern + r")(?:\s+(?:on|in|of)\s+(?:my|our|the)\s+team)?\s+by\b")  # fmt: skip
        if reader.search(ranked, claim="group"):
            parts.group_by, parts.group_from = name, "which"
            return
    ranks = RANKING_WORDS.search(re.sub(r"\bmost recent(?:ly)?\b", " ", reader.text))  # "the most recent one": a date
    for name, pattern in w.DIMENSIONS.items():
        if name == "owner" or not ranks:
            continue
        which = re.compile(
            r"\b(?:which|what)\s+(?:of\s+(?:my|our|the|his|her)\s+)?(?:" + pattern.pattern + r")(?!'s)"
            r"(?!\s+(?:" + OBJECT_AFTER + r")\b(?!\s+for\b))"
            r"(?!\s+(?:is|was|are|were) (?:it|that|this|they|those)\b)"
            r"(?!\s+(?:is|was)\s+(?![^?]*\b(?:most|more|bulk|majority)\b)[^?]{0,60}?" + ONE_DEAL_IN + ")"
            r"(?!\s+(?:that|this|the|my|our|his|her|their|its|[\w-]+'s)\b[^?]{0,60}?\b(?:deal|opportunity|opp|renewal)"
            r"\s+(?:is|was)\s+(?:sitting\s+|stuck\s+)?(?:in|at)\b)"  # "what stage that deal is in"
        )
        match = reader.search(which, claim="group") or _which_past_labels(reader, pattern, labels)
        if match:
            parts.group_by, parts.group_from = name, "which"
            singular_verb = re.match(r"\s+(?:\w+\s+)?(?:has|is|was)\b", reader.text[match.end() :])
            parts.group_one = not match[0].endswith("s") or singular_verb is not None
            parts.mine = parts.mine or " of my " in match[0]
            parts.team = parts.team or " of our " in match[0]
            return
    holders = re.compile(
        r"(?:^|[-,:]\s*)(?:and\s+|so\s+)?(?:who|which (?:of )?(?:my |our |the )?(?:reps|people|sellers|folks))\b"
        r"(?: (?:on|in) (?:my|our|the) team)? (?:has|have|owns|still has|(?:is|are) (?:sitting on|holding|carrying))\b"
        r"(?! (?:nobody|no one|noone|never|not|anybody|anyone) )"
    )
    # "who on my team has overdue tasks": each holder and how many
    records = [m for m in parts.mentions if m.entity.type != "user"]
    one_record = ONE_RECORD_RANKED.search(reader.text)  # "who on my team has the oldest open deal": that deal
    if not ranks and not records and not parts.list_too and not one_record and reader.search(holders, claim="group"):
        parts.group_by, parts.group_from = "owner", "lead"
        return
    owner_words = re.compile(r"\b(?:which|what)\s+(?:of\s+(?:my|our|the)\s+)?(?:(?:west|east|\w+'s)\s+)?"
                             r"(?:rep|reps|seller|sellers|salesperson|person|people|folks|owner|member|ae)\b|"
                             r"^(?:and\s+|so\s+)?who\b" + DETAIL_WHO + r"|"
                             r"\bwhose(?=\s+(?!is\b|are\b|was\b)[a-z])|"
                             r"\bwho" + DETAIL_WHO + r"(?='s\b|\s+(?:is|was|has|had|did|does|gets|got|on|in|sold|won|"
                             r"lost|brought|made|[a-z]+s|[a-z]+ed)\b)")  # fmt: skip
    whose = OWNER_OF_IT.search(reader.text) or re.match(r"\s*(?:and |so |ok )?who\b", reader.text)
    owner_of_one = bool(one_record and whose) or parts.sort == "last_activity"  # "who has the biggest open deal"
    their_reps = re.search(r"\bof (?:his|her|their) (?:reps|sellers|people)\b", reader.text)
    team_rep = TEAM_REP.search(reader.text) if ranks and (parts.teams or their_reps) else None
    if team_rep and not owner_of_one and reader.free(team_rep.start(1), team_rep.end(1)):  # "which West rep …"
        reader.claim(team_rep.start(1), team_rep.end(1), "group")
        parts.group_by, parts.group_from, parts.group_one = "owner", "which", True
        return
    customer_ranked = CUSTOMER_RANKED.search(reader.text)  # "who was my top customer last year": accounts ranked
    if ranks and not owner_of_one and not customer_ranked and (match := reader.search(owner_words, claim="group")):
        parts.group_by, parts.group_from = "owner", "which"
        plural_who = re.match(r"\s*(?:are|were|have|do)\b", reader.text[match.end() :])
        parts.group_one = not match[0].rstrip().endswith("s") or (match[0].strip().startswith("who") and not plural_who)
        return
    for name in ("owner", "account", "industry", "region", "team", "source", "month", "quarter", "year", "stage"):
        pattern = w.DIMENSIONS[name]
        superlative = re.compile(
            r"\b(?:top|best|biggest|largest|leading|worst|lowest|weakest|number one|#1)\s+"
            r"(?:(\d{1,2}|two|three|four|five|ten)\s+)?(?:" + pattern.pattern + r")"
        )
        if match := reader.search(superlative, claim="group"):
            parts.group_by, parts.group_from = name, "superlative"
            parts.superlative = "min" if re.match(r"(?:worst|lowest|weakest)", match[0]) else "max"
            parts.group_one = not match[0].endswith("s")
            if match[1]:  # "top 3 accounts by open pipeline"
                parts.limit = int(match[1]) if match[1].isdigit() else UNITS[match[1]]
            return


EACH_ONE = re.compile(r"\b(?:at|for|in|on|per) each(?: one| of them)\b")
NAMED_FOR_EACH = re.compile(
    r"\b(?:for|of|across|in) (?:the |my |our |all )?(accounts|regions|industries|stages)\b(?=.*"
    + EACH_ONE.pattern
    + ")"
)
AT_EACH = re.compile(r"\b(?:at|in|from|with) each(?: one| of them)?\W*$")
LEADING_FOR_EACH = re.compile(
    r"^(?:(?:the|my|our|all|[a-z]+)\s+){0,2}(accounts|regions|industries|stages)\b(?=.*" + AT_EACH.pattern + ")"
)
EACH_DIMENSION = {"accounts": "account", "regions": "region", "industries": "industry", "stages": "stage"}
"""a dimension named first and counted "at each one" after ("for the accounts I own, how many contacts at each")"""


def _counted_groups(reader: Reader, parts: Parts) -> bool:
    """'which three accounts hold the most of my pipeline': the groups ranked, so many of them."""
    for name in ("account", "industry", "region", "source", "owner", "stage", "team"):
        counted = re.compile(
            r"\b(\d{1,2}|two|three|four|five|ten)\s+(?:" + w.DIMENSIONS[name].pattern + r")"
            r"(?=.*?\b((?:furthest|farthest|most) behind|lagging|trailing|most|biggest|largest|highest|best|top|"
            r"least|fewest|lowest|smallest|worst)\b)"
        )
        if match := reader.search(counted, claim="group"):
            parts.group_by, parts.group_from = name, "which"
            parts.limit = int(match[1]) if match[1].isdigit() else UNITS[match[1]]
            low = ("least", "fewest", "lowest", "smallest", "worst", "lagging", "trailing")
            parts.superlative = "min" if match[2] in low or match[2].endswith("behind") else "max"
            reader.search(re.compile(r"\b" + re.escape(match[2]) + r"\b"), claim="order")
            reader.search(re.compile(r"\b(?:in|for|at) each(?: one| of them)?\b"), claim="group")
            return True
    return False


def _which_past_labels(reader: Reader, dimension: re.Pattern[str], labels: Labels) -> re.Match[str] | None:
    """ "which LATAM account has the most": "which" and the dimension with only CRM labels or a status between
    them; "which" and the dimension are claimed, the labels are left to their own readers."""
    known = {"open", "won", "lost", "active", "closed"} | {
        word
        for label in [*labels.regions, *labels.industries, *labels.sources, *labels.stages]
        for word in label.lower().split()
    }
    gapped = re.compile(r"\b(which|what)\s+((?:[\w-]+\s+){1,2}?)(?:" + dimension.pattern + r")(?!'s)")
    for match in gapped.finditer(reader.text):
        if not set(match[2].split()) <= known or not reader.free(match.start(1), match.end(1)):
            continue
        reader.claim(match.start(1), match.end(1), "group")
        reader.claim(match.end(2), match.end(), "group")
        return match
    return None


EACH_RECORD = frozenset({"one", "of them", "of those", "of these", "item", "record", "deal", "task", "lead", "row"})


def _unknown_group(reader: Reader, parts: Parts) -> None:
    """A group-by on something the CRM does not hold ("by size of the buying committee")."""
    pattern = re.compile(r"(?<!gone )(?<!went )(?<!go )(?<!slipped )(?<!come and gone )"
                         r"\b(?:by|per|for each|grouped by|broken down by|breakdown by)\s+"
                         r"((?:the\s+)?[a-z][a-z' -]{2,40}?)"
                         r"(?=[?.!,]|$| and | with )")  # fmt: skip
    if (parts.sort or parts.superlative or parts.limit) and reader.search(BY_AMOUNT, claim="order"):
        return  # "my five largest deals by amount": the order, not a split
    if reader.search(BY_MEASURE, claim="measure"):
        return  # "the share by count and by value": how to measure, not a split
    if (match := reader.search(pattern)) and match[1].strip() in EACH_RECORD:
        reader.claim(match.start(), match.end(), "filler")  # "for each one, tell me whose it is": every item
    elif match:
        parts.unknown_group = match[1].strip()
        reader.claim(match.start(), match.end(), "unknown-group")


BY_MEASURE = re.compile(
    r"(?:\b(?:once )?(?:by|in) (?:count|number(?: of deals)?|deal count|value|dollars?|\$|amount|revenue)\b"
    r"(?:,? (?:and|&|plus) (?:once )?(?:by |in )?(?:count|number(?: of deals)?|deal count|value|dollars?|\$|amount|"
    r"revenue)\b)?)"
)
"""'by count and by value', 'once by number of deals and once by dollars': the measures, said as a 'by'"""
NOT_MOVED = re.compile(
    r"\b(?:still )?(?:haven't|hasn't|have not|has not|havent|hasnt|never|not yet) (?:moved|progressed|advanced|budged|"
    r"gone anywhere)(?: on| forward| along| since| anywhere)?\b"
)
"""'prospecting deals … still haven't moved on': still in the stage named, which the stage filter says"""
MOST_DOLLARS = re.compile(
    r"\b(?:most|least|fewest|biggest|highest|lowest|largest|smallest) (?:dollars|money|amount|revenue|value)\b"
)
""""how many deals, total $, and which rep lost the most $": ranked by the dollars, each with its count"""
SPLIT_BETWEEN = re.compile(
    r"\b(split|break(?:ing)? (?:it |that |them )?(?:down|out)|divide|spread)\b[^?.]{0,60}?\bbetween\b"
)
SEASON_WORDS = ("spring", "summer", "autumn", "fall", "winter")
WORTH_NOW = re.compile(
    r"\b(?:worth|valued at|at) (?:today|right now|now|at the moment|currently)\b|"
    r"\b(?:still )?(?:open|active|live|alive|in play) (?:today|right now|now|as of today|at the moment)\b|"
    r"\b(?:can|could) (?:use|work with|share|take|show) (?:today|now|right now)\b"
)
"""'what it's worth today': its amount as it stands, not a deal closing today"""
HELD_NOW = re.compile(
    r"\b(?:own|owns|have|has|hold|holds|carry|carries|carrying|manage|manages|cover|covers|look after|looks after|"
    r"sitting on|sits on|responsible for|worth)\b(?:\s+\w+){0,4}?\s+(?:today|right now|now)\b"
    r"(?![^.?!]*\b(?:created|added|opened|logged|closing|close|closes|due|came in|signed|won|lost)\b)"
)
"""a state asked as of now ("does he own today"): no period on a date field"""
DAY_EVENTS = re.compile(r"\b(?:meetings?|calls?|demos?|appointments?|tasks?|e-?mails?|to-?dos?)\b")
""""do I have any meetings today": things that happen on a day, not a state held now"""
CHASING = re.compile(
    r"\b(?:chas(?:e|ing)|nudg(?:e|ing)|ping(?:ing)?|remind(?:ing)?|hassl(?:e|ing)|bug(?:ging)?) (?:people|folks|"
    r"them|the reps|reps|owners|everyone|anyone)(?: about| on| for)?\b|\b(?:each|every|the) items?\b|"
    r"\b(?:(?:calls?|e-?mails?|meetings?|notes?|tasks?)(?:,|,? and|,? or|\s)+){2,4}(?:all|both) (?:count|matter)\b|"
    r"\b(?:calls?|e-?mails?|meetings?|notes?|tasks?) (?:all |both )?(?:count|matter) (?:too|as well)\b|"
    r"\b(?:i|we) (?:should|need to|must|have to|ought to|gotta) (?:be )?(?:handl(?:e|ing)|deal(?:ing)? with|"
    r"tak(?:e|ing) care of|sort(?:ing)? out|tackl(?:e|ing))\b"
)
"""what the asker will do with the answer ("that I should be chasing people about"): no part of the query"""


def read_parts(reader: Reader, today: date, mentions: list[Mention], labels: Labels) -> Parts:
    text = reader.text
    parts = Parts(text=text)
    parts.list_cue = bool(LIST_CUE.search(reader.text))
    parts.count_rank = bool(COUNT_RANK.search(reader.text))
    parts.weighted = bool(list(reader.all(WEIGHTED, claim="field")))
    parts.pipeline_word = bool(re.search(r"\bpipe(?:line)?s?\b", reader.text))
    if reader.search(NEVER_LOGGED_KINDS, claim="missing"):  # "never logged a call, email, meeting or note with"
        parts.missing.append("activity")
        parts.missing_words["activity"] = "never worked"
    _claim_names(reader, parts, mentions, labels)
    person_asked = not LAST_WITH.search(reader.text) and not EMAILS_ASKED.search(reader.text)
    reader.search(DEAL_IT_IS_ON, claim="field")  # "… and which deal does it belong to?": each item's line names it
    if reader.search(DUE_BY_TODAY, claim="overdue"):  # "either overdue or due today": due today or earlier
        parts.overdue, parts.overdue_said, parts.due_by_today = True, True, True
    if RECORDS_NOUN.search(reader.text):
        reader.search(OWNER_ASKED, claim="field")  # "tell me whose each one is": each record's owner, no grouping
    if any(m.entity.type in ("contact", "lead") for m in parts.mentions) and person_asked:
        list(reader.all(PERSON_FIELDS, claim="field"))  # "Olivia Young's title and work email": her line, not emails
    if reader.search(SMALL_TO_BIG, claim="order"):  # "from smallest to largest": an order, not a superlative
        parts.order, parts.sort_all = "asc", True
    elif reader.search(BIG_TO_SMALL, claim="order"):
        parts.order, parts.sort_all = "desc", True
    list(reader.all(CHASING, claim="filler"))
    list(reader.all(NOT_MOVED, claim="filler"))
    for source in labels.sources:  # "partner sourced", "came in through referrals": a lead source, not "created"
        sourced = _label(source).pattern + r"\s+sourced\b|\b(?:came|come|coming|comes|sourced|originat\w*)(?: in)? "
        sourced += r"(?:(?:to|into) (?:us|me) )?(?:through|via|from|by) (?:a |an |the )?" + _label(source).pattern
        if reader.search(re.compile(sourced), claim="source"):
            parts.sources.append(source)
    if reader.search(BOTH_ENDS, claim="order"):
        parts.sort, parts.order, parts.sort_all = "amount", "desc", True
    if score := reader.search(BY_SCORE, claim="order"):  # "the one with the highest score"
        parts.sort, parts.order = "score", "asc" if re.search(r"lowest|worst|bottom|lower|worse", score[0]) else "desc"
        parts.sort_all = bool(re.search(r"\b(?:rank|sort|order|list)\b", text))
        parts.singular = parts.singular or bool(re.search(r"\b(?:one|lead|which one)\b", text))
        reader.search(CALL_FIRST, claim="order")
    if headcount := reader.search(BY_HEADCOUNT, claim="order"):
        fewest = re.search(r"fewest|least|smallest|lowest|fewer|less", headcount[0])
        parts.sort, parts.order = "employees", "asc" if fewest else "desc"
        parts.singular = parts.singular or bool(re.search(r"\b(?:has|is|one|account|company|customer)\b", text))
    if reader.search(w.NEXT_DUE, claim="order"):  # "what's the next task coming up on my list"
        parts.sort, parts.order, parts.limit, parts.singular = "due_date", "asc", 1, True
        if "tasks" not in parts.object_words:
            parts.object_words.append("tasks")
    if reader.search(w.LONGEST_QUIET, claim="order"):  # "which deal has gone the longest without any contact"
        parts.sort, parts.order, parts.number_field = "last_activity", "asc", "days_since_activity"
        reader.search(w.HOW_LONG_SINCE, claim="measure")
        one = re.search(r"\b(?:has|is|was|hasn't)\b", text) and not re.search(r"\b(?:have|are|were|haven't)\b", text)
        parts.singular = parts.singular or bool(one)
    parts.not_held = [m[0] for m in reader.all(w.NOT_HELD, claim="not-held")]
    stretch = re.search(r"\b(?:\d+|a|one|two|three|four|six)\s+(?:days?|weeks?|wks?|months?)\b", reader.text)
    kinds = {kind for kind, pattern in NEVER_KIND.items() if pattern.search(reader.text)} if not stretch else set()
    kinds |= {ALSO_KIND[m[1].replace("-", "")] for m in re.finditer(ALSO_NEVER, reader.text)} if kinds else set()
    if len(kinds) == 1:  # "which of my open deals have never had a call": no call logged on them, ever
        kind = kinds.pop()
        match = NEVER_KIND[kind].search(reader.text)
        if match and reader.free(match.start(), match.end()):
            reader.claim(match.start(), match.end(), "missing")
            parts.missing.append(f"{kind}_logged")
            parts.missing_words[f"{kind}_logged"] = match[0].strip()
    never_worked = list(reader.all(NEVER_WORKED, claim="missing")) if not stretch else []
    if never_worked and "activity" not in parts.missing:
        parts.missing.append("activity")
        parts.missing_words["activity"] = "never worked"
        parts.still_to_work = any(re.search(r"\byet\b", match[0]) for match in never_worked)
    if inactive := list(reader.all(w.INACTIVE, claim="inactive")):
        within = (w.FOR_DAYS.search(match[0]) for match in inactive)  # "gone two weeks or more without a call"
        days = reader.search(w.FOR_DAYS, claim="inactive") or next((found for found in within if found), None)
        parts.inactive_days = _days(days) if days else 14
        parts.inactive_default = days is None
        said = " ".join(match[0] for match in [*inactive, *reader.all(KINDS_NOT_HAD, claim="inactive")])
        said = re.sub(r"\b(?:called|phoned)\b", "call", re.sub(r"\be-?mailed\b", "email", said))
        said = re.sub(r"\bmet\b", "meeting", said)  # "nobody's called, emailed, met or written a note"
        kinds = [kind for kind, pattern in w.ACTIVITY_TYPES.items() if pattern.search(said)]
        parts.inactive_types = kinds if len(kinds) < len(w.ACTIVITY_TYPES) else []
        if (
            days is None and "activity" in parts.missing
        ):  # "never had anything logged - no call, email": never, not 14 days
            parts.inactive_days, parts.inactive_default = None, False
    if late_by := reader.search(OVERDUE_BY, claim="overdue"):  # "more than a week past their due date"
        parts.overdue, parts.overdue_said = True, True
        count = int(late_by[1]) if late_by[1].isdigit() else NUMBER_WORDS.get(late_by[1], 1)
        parts.overdue_days = count * DAY_UNITS[late_by[2]]
    parts.periods = find_periods(reader, today)
    seasons = [p for p in parts.periods if p.label.split()[0] in SEASON_WORDS]
    explicit = [p for p in parts.periods if p not in seasons and not p.all_time]
    if seasons and explicit and not w.COMPARE.search(reader.text):
        parts.periods = [p for p in parts.periods if p not in seasons]  # "the autumn leaderboard: from 1 Sep to …"
    held = HELD_NOW.search(reader.text)
    if (held and not DAY_EVENTS.search(held[0])) or WORTH_NOW.search(reader.text):  # "which accounts does he own today"
        parts.periods = [p for p in parts.periods if p.label not in ("today", "right now", "now")]
    if parts.inactive_days and not w.CLOSING.search(reader.text):
        parts.periods = [p for p in parts.periods if p.label not in ("today", "this week")]  # "need a ping today"
    since = next((p for p in parts.periods if p.direction == "past" and p.end == today and p.start), None)
    if since is None and parts.inactive_types:  # "no meeting this quarter": none since the quarter began
        since = next((p for p in parts.periods if p.start and p.start < today and (p.end or today) >= today), None)
    if parts.inactive_days and parts.inactive_default and since is not None and since.start is not None:
        parts.inactive_days, parts.inactive_default = (today - since.start).days, False  # "nothing logged since 1 Oct"
        parts.periods.remove(since)
    parts.list_too = bool(LIST_TOO.search(reader.text))
    parts.each = bool(EACH.search(reader.text))
    if re.search(r"\b(?:leads?|prospects?)\b", reader.text):
        parts.lead_statuses = _labels(reader, labels.lead_statuses, "lead-status")
        arrived = parts.periods or any(m[0] != "new" for m in w.CREATED.finditer(reader.text))
        if "new" in parts.lead_statuses and arrived and re.search(r"\bnew\s+(?:leads?|prospects?)\b", reader.text):
            parts.lead_statuses.remove("new")  # "new leads this month" are the leads that came in, not status New
            parts.created = True
    _groups_holding(reader, parts)
    _records_touched(reader, parts)
    _amounts(reader, parts)
    if passed := reader.search(CLOSE_DATE_PASSED, claim="overdue"):
        parts.overdue = True
        _overdue_taken_out(reader, parts, passed.start())
    _tasks_on_them(reader, parts)
    _missing(reader, parts)
    _present(reader, parts)
    if reader.search(w.DAYS_TO_CLOSE, claim="measure"):
        parts.days_to_close = True
        for more in w.DAYS_TO_CLOSE.finditer(reader.text):  # "turned deals around quickest … from creation to close"
            ranked = re.search(r"\b(?:fewest|most|least|quick|fast|slow|long|short)", more[0])
            if not ranked and reader.free(more.start(), more.end()):
                reader.claim(more.start(), more.end(), "measure")
        list(reader.all(re.compile(r"\b(?:number of |avg |average )?days\b"), claim="measure"))
        if w.QUICKEST.search(reader.text):
            parts.superlative = "min"
            parts.both_ends = bool(w.SLOWEST.search(reader.text))
        elif w.SLOWEST.search(reader.text):
            parts.superlative = "max"
    if parts.days_to_close:  # "counted from the day each deal was created": how days to close are counted
        reader.search(CYCLE_COUNTED, claim="measure")
    if reader.search(HEADCOUNT_STAT, claim="measure"):
        parts.number_field = "employees"  # "the median employee count across my accounts", "typical company size"
        if "accounts" not in parts.object_words:
            parts.object_words.append("accounts")
        if parts.measure is None:
            parts.measure = "median" if re.search(r"\btypical\b", reader.text) else "avg"
    elif AVERAGE_WORD.search(reader.text) and reader.search(PROBABILITY_STAT, claim="measure"):
        parts.number_field = "probability"
        parts.measure = parts.measure if parts.measure in ("avg", "median", "min", "max") else "avg"
        reader.search(re.compile(r"\bstage odds\b|\b(?:to|will) (?:close|win)\b"), claim="measure")
    elif reader.search(w.SINCE_ACTIVITY, claim="measure"):
        parts.number_field = "days_since_activity"
    elif not parts.days_to_close:
        for _ in reader.all(w.AGE, claim="measure"):
            parts.number_field = "age_days"
    for _ in reader.all(w.COMPARE, claim="compare"):
        parts.compare = True

    if reader.search(BEFORE_THAT, claim="period"):  # "last week vs the week before"
        parts.compare = parts.before_that = True
    if w.CHOICE.search(reader.text):
        parts.compare = True
    split = SPLIT_BETWEEN.search(reader.text)
    if split and (len(parts.teams) >= 2 or len(of_type(parts.mentions, "user")) >= 2):
        parts.compare = True  # "split that industry's open dollars between West and East"
        reader.claim(split.start(1), split.end(1), "compare")
    if parts.compare:  # "give me both numbers", "days for both"
        reader.search(BOTH_SIDES, claim="compare")
    if reader.search(w.EVERYONE, claim="owner"):
        parts.everyone = True
    summed = bool(reader.search(SUM_PHRASES, claim="measure"))
    if summed:
        parts.measure = "sum"
    for created in reader.all(w.CREATED, claim="created"):
        parts.created = True
        said = f" {created[0]} "
        parts.mine = parts.mine or " my " in said or said.startswith((" i ", " i've "))  # "landed on my plate"
    for measure, pattern in w.MEASURES:
        if list(reader.all(pattern, claim="measure")):
            keeps_sum = not summed or parts.measure != "sum" or measure in ("count", "distinct", "sum")
            parts.measure = parts.measure if parts.measure and keeps_sum else measure
    most_dollars = MOST_DOLLARS.search(text)
    if parts.measure == "sum" and HOW_MANY_DOLLARS.search(text) and HOW_MANY_RECORDS.search(text) and not most_dollars:
        parts.measure = "count"  # "how many deals and how many dollars": the count, each with its amount
    if most_dollars and parts.measure == "count":
        parts.measure = "sum"  # "… how many deals, total $, and which rep lost the most $": each total has its count
    if parts.measure in (None, "sum") and EXTREME_AMOUNT.search(text) and not TOTALLED.search(text):
        parts.measure, parts.singular = None, True  # "the min amount of my open deals": the smallest deal, not a total
    if parts.measure in ("win_rate", "conversion_rate"):
        list(reader.all(RATE_ITSELF, claim="measure"))  # "… and what's their rate?"
        if parts.superlative is None and (low := w.SUPERLATIVE_MIN.search(text) or w.SUPERLATIVE_MAX.search(text)):
            parts.superlative = "min" if w.SUPERLATIVE_MIN.fullmatch(low[0]) else "max"  # "turns the lowest share …"
            if reader.free(low.start(), low.end()):
                reader.claim(low.start(), low.end(), "order")
    converts_better = CONVERTS_BETTER.search(reader.text)
    if converts_better and parts.measure in (None, "count"):
        parts.measure, parts.lead_statuses = "conversion_rate", []  # "do referral leads convert better than web"
        parts.compare = True
        for said in re.finditer(r"\bconvert(?:s|ing)?\b", reader.text):
            if reader.free(said.start(), said.end()):
                reader.claim(said.start(), said.end(), "measure")
    if parts.measure is None and parts.lead_statuses == ["converted"] and reader.search(w.RATE_WORD, claim="measure"):
        parts.measure, parts.lead_statuses = "conversion_rate", []  # "what percentage ended up converted"
    if parts.measure == "conversion_rate":
        reader.search(w.RATE_WORD, claim="measure")  # "converts the lowest share of their leads"
        parts.lead_statuses = [s for s in parts.lead_statuses if s != "converted"]
    counted = COUNTED_HOLDERS.search(reader.text)
    if counted and parts.measure == "count" and re.search(r"\b(?:deals?|opportunit(?:y|ies)|opps?)\b", reader.text):
        parts.measure = "distinct"  # "how many accounts have an open deal": accounts counted over deals
    after_distinct = re.search(r"\b(?:different|distinct|unique|separate)\s+(?:customer\s+|client\s+)?(\w+)", text)
    named = after_distinct and next((n for n, p in w.DIMENSIONS.items() if p.fullmatch(after_distinct[1])), None)
    if parts.measure == "distinct" and named and reader.search(w.DIMENSIONS[named], claim="group"):
        parts.group_by, parts.group_from = named, "distinct"  # "how many different accounts … in my team"
    elif parts.measure == "distinct":
        for name, pattern in w.DIMENSIONS.items():
            if name != "owner" and reader.search(pattern, claim="group"):
                parts.group_by, parts.group_from = name, "distinct"
                break
    open_stages = [s for s in labels.stages if not s.lower().startswith("closed ")]
    parts.stages = _labels(reader, open_stages, "stage")
    excluded = [s for s in parts.stages if re.search(EXCLUDING.pattern + _phrase(s).pattern, reader.text)]
    if excluded:
        reader.search(EXCLUDING, claim="stage")
        parts.stages = [s for s in parts.stages if s not in excluded]
        parts.excluded_stages = excluded
    if parts.stages:
        reader.search(re.compile(r"\b(?:stages?|buckets?|columns?|phases?)\b"), claim="stage")
    for stage in labels.stages:
        if stage.lower().startswith("closed ") and reader.search(_phrase(stage), claim="status"):
            parts.status = "won" if "won" in stage.lower() else "lost"
    if parts.group_by is None and parts.measure is None and (performer := reader.search(w.PERFORMER, claim="group")):
        parts.group_by, parts.group_from, parts.performance = "owner", "superlative", True
        parts.superlative = "min" if performer["low"] or performer["low2"] else "max"
        noun = performer["noun"] or ""
        parts.group_one = not (noun.endswith("s") or noun == "salespeople" or performer["verb"] == "are")
        if performer["n"]:
            parts.limit = int(performer["n"]) if performer["n"].isdigit() else UNITS[performer["n"]]
    if parts.object_words or LIST_CUE.search(text):
        reader.search(OWNER_ASKED, claim="field")  # "which deals are over 100k, who owns each": a list shows owners
    if parts.group_by is None and (by_person := reader.search(CONTACT_GROUP, claim="group")):
        parts.group_by, parts.group_from = "contact", "which" if by_person[0].startswith("which") else "lead"
        parts.group_one = parts.group_from == "which"
        if "contacts" in parts.object_words:
            parts.object_words.remove("contacts")
    if parts.group_by is None:
        _group(reader, parts, labels)
    if parts.group_by is not None and parts.limit is None and (few := reader.search(THOSE_FEW, claim="limit")):
        parts.limit = UNITS[few[1]]  # "the two reps furthest behind … how many does each of those two have"
    if parts.group_by is None and (parts.superlative or parts.sort) and reader.search(WHOSE_RANK, claim="group"):
        parts.group_by, parts.group_from, parts.group_one = "owner", "superlative", True  # "whose wins took longest"
    if len(parts.periods) >= 2 and (changed := reader.search(w.CHANGED, claim="compare")):
        parts.compare = True  # "who improved their won amount from Q2 to Q3": each person's figure in both
        if parts.group_by is None and CHANGED_WHO.search(text[: changed.start()]):
            parts.group_by, parts.group_from = "owner", "compare"
            reader.search(w.DIMENSIONS["owner"], claim="group")
    reader.search(w.BREAKDOWN, claim="group")
    if m := reader.search(w.TOP_N, claim="limit"):
        parts.limit = int(m[1]) if m[1].isdigit() else UNITS[m[1]]
        if not m[0].startswith("first"):  # "just the first three": in the order already shown
            low = re.match(r"(bottom|lowest|smallest|worst)", m[0])
            parts.superlative = parts.superlative or ("min" if low else "max")
    elif m := reader.search(N_TOP, claim="limit"):  # "my five largest open deals"
        parts.limit = int(m[1]) if m[1].isdigit() else UNITS[m[1]]
        parts.superlative = parts.superlative or ("min" if m[2] in ("bottom", "lowest", "smallest", "worst") else "max")
    elif m := reader.search(N_BY_AGE, claim="limit"):  # "my three oldest open deals": how many, the age sorts them
        parts.limit = int(m[1]) if m[1].isdigit() else UNITS[m[1]]
    elif (m := N_RANKED_LATER.search(text)) and reader.free(m.start(1), m.end(1)):
        reader.claim(m.start(1), m.end(1), "limit")  # "which three deals carry the biggest dollar amounts"
        parts.limit = int(m[1]) if m[1].isdigit() else UNITS[m[1]]
    reader.search(LAST_TOUCH_DATE, claim="field")  # "show the date of the most recent one for each": each line's
    _order(reader, parts)
    parts.industries = _labels(reader, labels.industries, "industry")
    parts.regions = _labels(reader, labels.regions, "region")
    parts.sources = list(dict.fromkeys([*parts.sources, *_labels(reader, labels.sources, "source")]))
    parts.product = _product(reader, labels.products)
    if not parts.lead_statuses and not re.search(
        r"\b(?:deals?|opps?|opportunit(?:y|ies)|pipe(?:line)?)\b", reader.text
    ):
        parts.lead_statuses = _labels(reader, labels.lead_statuses, "lead-status")
    for role, title_words in w.ROLES:
        if list(reader.all(role, claim="filter")):
            parts.titles = list(dict.fromkeys([*parts.titles, *title_words]))
    if parts.titles and not parts.object_words:
        parts.object_words.append("contacts")  # "how many CFOs do we have": contacts, by their titles
    _objects(reader, parts)
    if parts.group_min is not None:  # the accounts are the groups; what is counted is their deals
        parts.object_words = [word for word in parts.object_words if word == "deals"] or ["deals"]
    if parts.group_from == "touched":  # "which accounts have I met with": the meetings, counted per account
        parts.object_words = ["activities"]
    _last_with_a_contact(reader, parts)
    if said_overdue := reader.search(w.OVERDUE, claim="overdue"):
        parts.overdue = True
        _overdue_taken_out(reader, parts, said_overdue.start())
        parts.overdue_said = bool(re.search(r"\b(?:overdue|past due)\b", said_overdue[0]))
        parts.periods = [p for p in parts.periods if p.label not in ("today", "right now", "now")]  # overdue as of now
    if parts.overdue and "tasks" in parts.object_words and (parts.sort, parts.order) == ("created_at", "asc"):
        parts.sort = "due_date"  # "the oldest overdue task": the one due longest ago
    _status(reader, parts)
    if parts.performance and parts.status is None:
        parts.status = "won"
        parts.statuses.append("won")
    if offender := OFFENDER.search(reader.text):  # "the worst offender for deals with no next step": the most of them
        reader.claim(offender.start(), offender.end(), "order")
        parts.superlative, parts.count_rank = "max", True
    if parts.status == "lost" and parts.superlative == "min" and re.search(r"\bworst\b", reader.text):
        parts.superlative = "max"  # the worst losses are the biggest
    _owners(reader, parts)
    for _ in reader.all(w.CLOSING, claim="closing"):
        parts.closing = True
    if parts.group_by is None and (asked := reader.search(GROUP_ASKED, claim="group")):
        parts.group_by, parts.group_from = asked[1], "lead"
    if parts.group_by is None:
        _unknown_group(reader, parts)
    for _ in reader.all(w.AMOUNT_FIELD, claim="field"):
        parts.amount_field = True
    for _ in reader.all(w.AMOUNT_WORD, claim="field"):  # "deal size" after "deal" was read as the object
        parts.amount_field = True
    accounts_first = re.search(
        r"\b(?:top|biggest|largest|\d+|which (?:one )?of (?:my|our|the team's))\s+(?:[\w']+\s+)?"
        r"(?:accounts|customers)\b",
        reader.text,
    )
    holding = parts.object_words[:1] == ["accounts"] and "deals" in parts.object_words and not parts.missing
    if holding and parts.group_by is None and ACCOUNTS_HOLDING.search(reader.text) and not parts.measure:
        parts.group_by, parts.group_from = "account", "lead"  # "which accounts do I have open deals with"
    accounts_ranked = (parts.object_words == ["accounts"] or accounts_first) and (parts.superlative or parts.limit)
    if accounts_ranked and parts.group_by is None and (parts.amount_field or parts.status in ("won", "open")):
        parts.group_by, parts.group_from = "account", "superlative"  # "top 3 accounts by won $": deals per account
    _examples_of_the_group(reader.text, parts)
    if parts.group_by in w.DIMENSIONS and parts.group_by != "owner":  # "by stage for me, dollars per stage"
        list(reader.all(w.DIMENSIONS[parts.group_by], claim="group"))
    if parts.mentions or "accounts" in parts.object_words:
        reader.search(w.ACCOUNT_SIZE, claim="field")  # an account's card and list lines show its headcount
    reader.search(ACCOUNT_PLACE, claim="field")  # an account's line shows its industry and region
    if parts.group_by == "owner":
        for among in AMONG_REPS.finditer(reader.text):  # "across all our reps, whose leads convert worst"
            reader.claim(among.start(1), among.end(1), "group")
    kinds_side_by_side = parts.compare or KINDS_APART.search(reader.text)
    if len(parts.activity_types) >= 2 and parts.group_by is None and kinds_side_by_side and not parts.inactive_days:
        parts.group_by, parts.group_from = "type", "compare"  # "did I log more calls or more meetings?"
        reader.search(KINDS_APART, claim="group")
    reader.search(RECORD_FIELD_ASKED, claim="field")  # a list shows each record's stage and close date
    if any(m.entity.type in ("contact", "lead") for m in parts.mentions) or "contacts" in parts.object_words:
        list(reader.all(PERSON_FIELDS, claim="field"))
    if "deals" in parts.object_words:
        reader.search(WHOM_TO_REACH, claim="field")
    list(reader.all(FIELD_OF_EACH, claim="field"))
    if "contacts" in parts.object_words or parts.titles:
        list(reader.all(CONTACT_LINE_FIELDS, claim="field"))  # "the CEO at Falcon - his email and phone": on each line
    if parts.list_too:
        list(reader.all(re.compile(r"\b(?:dates?|days?)\b"), claim="field"))  # "… and on which dates?"
    contacts_asked = CONTACTS_ASKED.search(reader.text)
    on_each = contacts_asked is not None and contacts_asked[0].endswith(ON_EACH)
    deal_ends = parts.status in DEAL_ENDS  # "what did I close last month and who were the contacts"
    if (
        contacts_asked
        and ("deals" in parts.object_words or on_each or (parts.object_words in ([], ["contacts"]) and deal_ends))
        and ("primary_contact" not in parts.missing or on_each)
    ):
        reader.claim(contacts_asked.start(), contacts_asked.end(), "field")
        parts.with_contacts = True
        if re.search(r"\b(?:customer|client)\b", contacts_asked[0]) and "accounts" in parts.object_words:
            parts.object_words.remove("accounts")  # "who is the customer contact on it": a field, not accounts
        if (on_each or deal_ends) and "deals" not in parts.object_words and "contacts" in parts.object_words:
            parts.object_words.remove("contacts")  # "who's the primary contact on each": a field of the deals
    steps_asked = NEXT_STEPS_ASKED.search(reader.text)
    if steps_asked and "next_step" not in parts.missing and reader.free(steps_asked.start(), steps_asked.end()):
        reader.claim(steps_asked.start(), steps_asked.end(), "field")
        parts.with_next_steps = True
    for said in SAID_COUNT.finditer(reader.text):  # "my two open Falcon Security deals": how many the asker knows
        if reader.free(said.start(1), said.end(1)):
            reader.claim(said.start(1), said.end(1), "count-said")
    for shown in SHOWN_FIELDS.finditer(reader.text):  # "with stage and amount", "in days": what each line shows
        for word in re.finditer(r"\S+", shown[0]):
            start, end = shown.start() + word.start(), shown.start() + word.end()
            if reader.free(start, end):
                reader.claim(start, end, "field")
    if parts.group_by == "owner":  # "group them by rep and give me the $ in each rep's blanks": the same grouping
        for again in re.finditer(r"\b(?:each|every|per|the) (?:rep|reps|owner|person|seller)(?:'s)?", reader.text):
            if reader.free(again.start(), again.end()):
                reader.claim(again.start(), again.end(), "group")
    for spoke in WHO_I_SPOKE_TO.finditer(reader.text):  # "… and who was I talking to": the contact on the line shown
        if reader.free(spoke.start(1), spoke.end(1)):
            reader.claim(spoke.start(1), spoke.end(1), "field")
    if "contacts" in parts.object_words:
        reader.search(CONTACT_FIELDS, claim="field")  # a contact's line shows the title and how to reach them
    a_lead = any(m.entity.type == "lead" for m in parts.mentions)
    if (
        "leads" in parts.object_words
        or a_lead
        or re.search(r"\b(?:their|its|the|his|her) (?:lead )?scores?\b", reader.text)
    ):
        list(reader.all(LEAD_FIELDS, claim="field"))  # a lead's line shows its score, status, source and company
    people = {m.entity.id for m in parts.mentions if m.entity.type == "user"}
    if parts.compare and len(people) >= 2 and len(parts.periods) == 2:  # "rita vs sam this month - … since nov 1"
        first, second = parts.periods
        if period_within(first, second) or period_within(second, first):
            parts.periods = [first if period_within(first, second) else second]  # one stretch, said twice
    single = SINGLE_RECORD.search(reader.text)
    per_group = parts.group_from in ("lead", "each")  # "for every rep, the smallest deal they've won": per rep
    if single and parts.group_by == "owner" and not parts.compare and not per_group:
        parts.group_by, parts.group_from, parts.measure = None, None, None  # "who landed the biggest single win"
        parts.sort, parts.order, parts.limit, parts.singular = "amount", "asc" if single[1] else "desc", 1, True
        parts.superlative = None
    held_now = re.search(r"\b(?:has|have|got|holds?|sitting on)\b", reader.text) is not None
    if single and not per_group and parts.status is None and not parts.periods and held_now:
        parts.status = "open"  # "who has the biggest deal on my team": in play now, not one won last year
    if parts.both_ends and parts.group_by is not None and parts.limit == 2:
        parts.limit = None  # "quickest and slowest … for each of those two": both ends of the whole ranking
    parts.any_condition = parts.any_condition or _either_condition(reader)
    return parts


CONDITION_CLAIMS = ("missing", "overdue", "inactive")


def _either_condition(reader: Reader) -> bool:
    """Whether two conditions of different kinds (an empty field, overdue, no activity) are joined by 'or': 'every
    open deal that is past its close date or has no next step'."""
    spans: list[tuple[str, int, int]] = []
    for index in range(len(reader.tokens)):
        kind = reader.claims.get(index)
        if kind not in CONDITION_CLAIMS:
            continue
        if spans and spans[-1][0] == kind and spans[-1][2] >= index - 1:
            spans[-1] = (kind, spans[-1][1], index)
        else:
            spans.append((kind, index, index))
    for (kind, _, end), (other, start, _) in zip(spans, spans[1:], strict=False):
        between = {token.word for token in reader.tokens[end + 1 : start]}
        if kind != other and "or" in between and "and" not in between:
            return True
    return False


_SHOWN = r"(?:the |their |its )?(?:stages?|amounts?|values?|close dates?|owners?|next steps?)"
SHOWN_FIELDS = re.compile(
    rf"\b(?:with|incl(?:uding)?|plus|showing) {_SHOWN}(?:(?:,| and|,? &) {_SHOWN})*\b|\bin days\b|"
    r"\bfor (?:both|the two|each of the two)(?: of them| stages| teams| reps| sources| sides| periods| quarters)?\W*$|"
    r"\b(?:at )?face value\b|\bunweighted\b|"
    r"\b(?:is|are) behind(?= the (?:most|biggest|largest|highest)\b)|\bas (?:deal |lead )?sources?\b|"
    r"\b(?:which|what) (?:reps?|person|people|sellers?|owners?|aes?|salesperson) (?:holds?|owns?|has|have|is on|"
    r"are on|runs?|works?) (?:each(?: one| deal| of them)?|them|it|which|those|these)\b"
)
"""'… with stage and amount', '… in days': what every listed record, or the figure, already shows"""
WHO_I_SPOKE_TO = re.compile(
    r"\bwho (?:was|were|did) (?:i|we) ((?:talking|speaking|talk|speak|meeting|meet|chatting|chat) (?:to|with))\b"
)
SINGLE_RECORD = re.compile(
    r"\b(?:biggest|largest|highest|(smallest|lowest))\s+(?:(?:single|individual|one)\s+)?"
    r"(?:win|deal|sale|loss|opp|opportunity)\b(?!s)(?!\s+(?:rates?|ratios?|percent|percentages?|%|sizes?|counts?|"
    r"totals?|amounts?|values?))"
)
""""who on the team landed the biggest single win": that one deal and its owner, not the biggest total"""


GROUP_VALUES = {"source": "sources", "status": "lead_statuses", "stage": "stages", "region": "regions",
                "industry": "industries"}  # fmt: skip
EXAMPLES = re.compile(r"\([^)]*,[^)]*\)|\b(?:and so on|etc\.?|and the like|and the rest)|\.\.\.|\u2026")


def _examples_of_the_group(text: str, parts: Parts) -> None:
    """ "broken out by lead source (web, partner, referral…)", "by status (new, working and so on)": the values
    named are examples of the groups, not a filter."""
    name = GROUP_VALUES.get(parts.group_by or "")
    if name and len(getattr(parts, name)) >= 2 and EXAMPLES.search(text):
        setattr(parts, name, [])


def _order(reader: Reader, parts: Parts) -> None:
    said = parts.order
    if list(reader.all(w.ORDER_DESC, claim="order")):
        parts.order = "desc"
    if list(reader.all(w.ORDER_ASC, claim="order")):
        parts.order = "asc"
    parts.order = said or parts.order  # "rank them from smallest to largest": the range said, not "rank"
    if parts.sort is not None:  # "rank those by score, highest first": the score already chose the order
        return
    if reader.search(OVERDUE_LONGEST, claim="order"):
        parts.sort, parts.order, parts.overdue = "due_date", "asc", True
        return
    if reader.search(w.BY_CLOSE, claim="order"):
        latest = reader.search(LATEST_FIRST, claim="order")  # "by close date, latest first"
        parts.sort, parts.order, parts.sort_all = "close_date", "desc" if latest else parts.order or "asc", True
        reader.search(w.SOONEST_FIRST, claim="order")
    elif reader.search(EARLIEST_CLOSE, claim="order"):
        parts.sort, parts.order = "close_date", "asc"
    elif oldest := reader.search(w.OLDEST, claim="order"):
        parts.sort, parts.order = "created_at", "asc"
        before = reader.text[: oldest.start()]
        counted = re.search(r"\bhow many\b", reader.text)
        one_asked = re.search(r"\bwhich\b(?!.*\b(?:ones|are|were|have)\b)", before) and re.search(
            r"\b(?:is|has|was)\b", before
        )
        if one_asked and not counted:
            parts.singular = True  # "which of my open deals is the oldest / has been around the longest": that one
    elif newest := reader.search(w.NEWEST, claim="order"):
        closed = bool(re.search(r"\b(?:won|lost|closed|wins|losses)\b", reader.text)) and not re.search(
            r"created|added", newest[0]
        )
        parts.sort, parts.order = ("close_date" if closed else "created_at"), "desc"  # "won, most recent first"
    elif reader.search(w.SOONEST, claim="order"):
        parts.sort, parts.order = "close_date", "asc"
    elif reader.search(w.LATEST_CLOSE, claim="order"):
        parts.sort, parts.order = "close_date", "desc"
    elif list(reader.all(w.BY_AMOUNT, claim="order")):
        parts.sort, parts.order, parts.sort_all = "amount", "desc", True
    elif reader.search(w.BY_AGE, claim="order"):
        parts.sort, parts.order, parts.sort_all = "created_at", "asc", True
    about_closing = bool(re.search(r"\b(?:clos|win\b|won\b|into a win)", reader.text))
    quickest, slowest = reader.search(w.QUICKEST, claim="order"), reader.search(w.SLOWEST, claim="order")
    if quickest or slowest:
        parts.both_ends = parts.both_ends or bool(quickest and slowest)
        parts.superlative = "min" if quickest or parts.both_ends else "max"
        parts.days_to_close = parts.days_to_close or about_closing
    if parts.superlative is None:
        if reader.search(w.SUPERLATIVE_MAX, claim="order"):
            parts.superlative = "max"
        elif reader.search(w.SUPERLATIVE_MIN, claim="order"):
            parts.superlative = "min"
    if parts.superlative and re.search(
        r"\b(?:is|was|'s) (?:the )?(?:single )?(?:biggest|largest|smallest|highest|"
        r"lowest|cheapest|most valuable)\b",
        reader.text,
    ):
        parts.singular = True  # "which of my negotiation deals is the biggest": that one deal


EVERYONE_AT = re.compile(r"\b(?:everyone|everybody|all the people) (?:at|over at|from|we know at)\b")
""""the phone numbers for everyone at Hooli": the account's contacts"""


ON_WHICH_RECORD = re.compile(
    r"\b(?:what|which) (?:deals?|opps?|accounts?) (?:were|are|was|is) (?:they|those|these|it|each(?: one)?) "
    r"(?:on|for|against|with|at|about)\b"
)
""""how many calls did I log … and what deals were they on": each activity's line names its deal"""


FROM_LEADS = re.compile(r"\b(?:deals|opps|opportunities)\b[^?.]*\b(?:from|via|through) (?:[\w-]+ ){0,2}leads\b")
""""the open deals that came from Web leads": deals by their lead source, not leads"""


def _objects(reader: Reader, parts: Parts) -> None:
    if EVERYONE_AT.search(reader.text):
        parts.object_words.append("contacts")
    reader.search(ON_WHICH_RECORD, claim="field")
    if FROM_LEADS.search(reader.text):
        reader.search(re.compile(r"(?<=\s)leads\b"), claim="source")
    for name, pattern in w.OBJECTS.items():
        for match in reader.all(pattern, claim="object"):
            parts.object_words.append(name)
            if name == "activities":
                for kind, kind_pattern in w.ACTIVITY_TYPES.items():
                    if kind_pattern.search(match[0]) and kind not in parts.activity_types:
                        parts.activity_types.append(kind)
            every = re.search(r"\b(?:every|each|any|all)\s+(?:\w+\s+)?$", reader.text[: match.start()])
            if not match[0].endswith("s") and match[0] not in ("pipeline", "pipe", "business", "revenue", "sales"):
                parts.singular = parts.singular or not every  # "pull every open deal worth …": all of them


LAST_WITH = re.compile(
    r"\bwhen (?:did|have|was|were|had) (?:i|we|you|my team|the team|\w+) (?:\w+ )?(?:last|most recently)\b|"
    r"\b(?:my|our|the|his|her) (?:last|latest|most recent) (?=(?:call|meeting|e-?mail|conversation|chat|touch ?point|"
    r"contact|catch[- ]up)s?\b (?:with|to)\b)|"
    r"\b(?:my|our) (?:last|latest|most recent) (?=(?:[\w&.'-]+ ){1,4}?(?:call|meeting|e-?mail|conversation)\b"
    r"(?! (?:notes?|recordings?|summar\w*|transcripts?)\b))|"
    r"\blast (?:got |get |been |gotten )?in touch\b|\blast (?:reached out|heard from us|contacted us)\b|"
    r"\b(?:when|date|day|time) (?:that )?(?:i|we) (?:\w+ )?last\b|\blast time (?:i|we)\b|"
    r"\b(?:i|we) last (?=(?:e-?mailed|called|rang|phoned|spoke|talked|met|had|saw|heard|got|caught|reached)\b)"
)
"""'when did I last speak with him', 'my last meeting with Tom Berg': the latest activity with a contact"""
SPOKE = w.words(r"speak", r"spoken", r"spoke", r"talk(?:ed)?", r"chat(?:ted)?", r"conversations?", r"caught up",
              r"catch[- ]up", r"(?:been )?in touch", r"see", r"saw", r"seen", r"met", r"meet")  # fmt: skip
LAST_VERBS = {
    "email": w.words(r"e-?mailed", r"mailed", r"wrote to", r"written to", r"sent (?:him|her|them) an? e-?mail"),
    "call": w.words(
        r"called", r"rang", r"phoned", r"dialled", r"dialed", r"had (?:\w+ ){1,3}on (?:a|the) (?:call|phone)"
    ),
    "meeting": w.words(r"met with", r"met", r"sat down with", r"had (?:\w+ ){1,3}in (?:a|the) meeting"),
}
"""'when I last emailed her', 'had him on a call': the kind of activity said as a verb"""
NOT_THAT_TYPE = re.compile(r",?\s*(?:but )?not (?:by |via |an? |over )?(e-?mails?|notes?|calls?|meetings?)\b")


def _last_with_a_contact(reader: Reader, parts: Parts) -> None:
    """ "When did I last actually speak with him - a call or a meeting, not email?": the latest call or meeting
    logged with the contact named (or in focus), not a question about the person."""
    with_whom = any(m.entity.type in ("contact", "account") for m in parts.mentions)
    touched = bool(reader.claimed_by("last-touch"))  # "the last time I logged a call with Cogswell Cogs"
    if not with_whom or not (reader.search(LAST_WITH, claim="order") or touched):
        return
    parts.sort, parts.order, parts.singular = "occurred_at", "desc", True
    if "activities" not in parts.object_words:
        parts.object_words.append("activities")
    for kind, verb in LAST_VERBS.items():
        if kind not in parts.activity_types and reader.search(verb, claim="object"):
            parts.activity_types.append(kind)
    if reader.search(SPOKE, claim="object") and not parts.activity_types:
        parts.activity_types = ["call", "meeting"]
    for said in NOT_THAT_TYPE.finditer(reader.text):
        kind = "email" if said[1].startswith("e") else said[1].rstrip("s")
        if kind in parts.activity_types and len(parts.activity_types) > 1:
            parts.activity_types.remove(kind)
            reader.claim(said.start(), said.end(), "filter")


LATEST_FIRST = re.compile(r"\b(?:latest|last|furthest(?: out)?|most distant) (?:first|on top|at the top)\b")
EARLIEST_CLOSE = re.compile(
    r"\b(?:earliest|soonest|nearest|first) (?:expected )?(?:close|closing)(?: dates?)?\b|"
    r"\b(?:closes|closing|close date|to close) (?:the )?(?:soonest|earliest|first)\b|"
    r"\bclose date (?:comes?|is coming|falls?|lands?) (?:up )?(?:the )?(?:first|soonest|earliest|next)\b"
)
"""'which has the earliest close date': the close date, not when the deal was created"""
OVERDUE_LONGEST = re.compile(
    r"\b(?:(?:been |gone |sat |sitting )?overdue (?:for )?(?:the )?longest|longest[- ]overdue|most overdue|"
    r"overdue the most|(?:late|overdue) by the most days|(?:slipped|slid|gone|went|is|are|sits?|sat) (?:the )?"
    r"(?:furthest|farthest|most|longest) (?:past|beyond|behind|over) (?:its|their|the) (?:close |due )?dates?)\b"
)
"""'which task has been overdue the longest': the earliest due date first"""
OVERDUE_BY = re.compile(
    r"\b(?:more than|over|at least|longer than|upwards of) (\d{1,3}|a|an|one|two|three|four|five|six|seven|ten|"
    r"fourteen|thirty) (day|week|month)s? (?:overdue|late|past (?:their |its |the )?due(?: date)?|behind)\b"
)
"""'tasks more than a week past their due date': overdue by more than that"""
OPENED_VERB = re.compile(r"\b(?:did|do|does|will|would)\s+(?:\w+\s+){0,2}$|\b(?:have|has|had)\s+(?:\w+\s+){1,2}$")
"""'did West open', 'have we open…': open as the verb for creating deals, not the status"""


def _status(reader: Reader, parts: Parts) -> None:
    if reader.search(ANY_STATUS, claim="status"):  # "every deal I've had with them, open or closed": no status
        return
    sides_elsewhere = len(parts.periods) >= 2  # "won or lost, Q3 vs Q4": the closed deals of each quarter
    both = reader.search(WON_OR_LOST, claim="status") if not parts.compare or sides_elsewhere else None
    if both is None and parts.status in ("won", "lost") and (not parts.compare or sides_elsewhere):
        both = WON_OR_LOST.search(reader.text)  # "deals I closed, won or lost": not the stage Closed Won
    if both:
        parts.status = "closed"
        if " and " in both[0] and parts.measure in ("count", "sum") and parts.group_by is None and not parts.compare:
            parts.group_by, parts.group_from = "status", "lead"  # "how many have I won and lost": each figure
        past = PAST_CLOSE.search(reader.text)
        if past and reader.free(past.start(1), past.end(1)):
            reader.claim(past.start(1), past.end(1), "status")
        return
    past = PAST_CLOSE.search(reader.text) or PAST_CLOSED.search(reader.text)  # "what did I close …": wins
    if past and reader.free(past.start(1), past.end(1)):
        reader.claim(past.start(1), past.end(1), "status")
        parts.status = "won"
        parts.statuses.append("won")
    if "tasks" in parts.object_words and reader.search(w.TASK_DONE, claim="status"):
        parts.task_done = True
    said_outright: list[str] = []
    for status, pattern in w.STATUS:
        for said in list(reader.all(pattern, claim="status")):
            if EXCLUDED_BEFORE.search(reader.text[max(0, said.start() - 30) : said.start()]):
                parts.excluded_status = status  # "without the lost ones": the other closed deals
                reader.search(EXCLUDING, claim="status")
                continue
            opened = said[0] == "open" and OPENED_VERB.search(reader.text[: said.start()])
            if parts.created and (said[0] in ("pipeline", "pipe") or opened):
                continue  # "new pipe did West open in December": every deal created then, won or lost since included
            parts.status = parts.status or status
            parts.statuses.append(status)
            said_outright.append(status)
    if parts.status == "closed" and "won" in said_outright and "lost" not in said_outright:
        parts.status = "won"  # "who closed more business … I want the won dollars and the number of wins"
    people = of_type(parts.mentions, "user")
    both_named = {"won", "lost"} <= set(said_outright) and parts.status in ("won", "lost")
    both_named = both_named and (not parts.compare or (not people and len(parts.periods) < 2))  # "won vs lost avg"
    if both_named and parts.measure in ("count", "sum", "avg", "median") and parts.group_by is None:
        parts.status, parts.group_by, parts.group_from = (
            "closed",
            "status",
            "lead",
        )  # "the won total and the lost total"
    open_beside_closed = "open" in said_outright and {"won", "lost"} & set(said_outright)
    if open_beside_closed and parts.group_by is None and parts.compare:
        parts.status, parts.group_by, parts.group_from = None, "status", "compare"  # "my average open deal vs won"
        return
    if re.search(r"\b(?:pipeline|pipe)\b", reader.text) and parts.status is None and not parts.created:
        parts.status = "open"
    earned = EARNED.search(reader.text) or BY_REVENUE.search(reader.text)  # "top customer last year by revenue"
    if parts.status is None and earned and not UNEARNED.search(reader.text):
        parts.status = "won"  # "what's our revenue this year": what was won, not every deal closing this year
        parts.statuses.append("won")


def _owners(reader: Reader, parts: Parts) -> None:
    if reader.search(w.MY_OWN, claim="owner"):
        parts.my_own = parts.mine = True
    for _ in reader.all(w.TEAM, claim="owner"):
        parts.team = True
    for _ in reader.all(w.MINE, claim="owner"):
        parts.mine = True
