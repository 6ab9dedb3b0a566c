"""Sloppy text made readable before anything else reads it: shouting, sales shorthand, typos, and long
messages whose question is buried at the end.

Spelling is corrected only towards the words the assistant understands and the CRM's own vocabulary
(stages, industries, regions, sources), and only for words that are not English (the bundled MiniLM
tokenizer's whole-word vocabulary is the dictionary) and not a record name.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.agent.brains.offline.understanding.spelled import MONTH_WORD, spelled_amounts, spelled_days
from ingest.embeddings import default_tokenizer_path

SHORTHAND = {
    "qtr": "quarter", "qtrs": "quarters", "qtly": "quarterly", "wk": "week", "wks": "weeks", "mo": "month",
    "mos": "months", "mth": "month", "mths": "months", "mnth": "month", "yr": "year", "yrs": "years",
    "rn": "right now", "atm": "right now", "abt": "about",
    "btwn": "between", "b/w": "between", "eoy": "end of year", "eom": "end of month",
    "eoq": "end of quarter", "nxt": "next", "prev": "previous", "avg": "average", "amt": "amount",
    "amts": "amounts", "num": "number", "opp": "opportunity", "opps": "opportunities", "oppty": "opportunity",
    "oppties": "opportunities",
    "oppy": "deal", "acct": "account", "accts": "accounts", "mtg": "meeting", "mtgs": "meetings",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tdy": "today", "pls": "please", "plz": "please",
    "u": "you", "ur": "your", "thx": "thanks", "vs": "versus", "v": "versus", "w/o": "without", "w/": "with",
    "b4": "before", "mgr": "manager", "cust": "customer", "custs": "customers", "ppl": "people", "info": "details",
    "convo": "conversation", "convos": "conversations", "biz": "business", "rev": "revenue", "yday": "yesterday",
    "gimme": "give me", "lemme": "let me", "tho": "though", "thru": "through",
    "til": "until", "till": "until", "approx": "about", "w": "with",
    "pipe": "pipeline", "prob": "probability", "stg": "stage", "lst": "last", "ttl": "total", "cnt": "count",
    "hw": "how", "wat": "what", "wht": "what", "whats": "what's", "hows": "how's", "wheres": "where's",
    "whos": "who's", "tem": "team", "teh": "the", "wich": "which", "bigest": "biggest", "loose": "lose",
    "loosing": "losing", "lossed": "lost", "ths": "this", "sz": "size", "tot": "total",
    "mny": "many", "hv": "have", "hve": "have", "hav": "have", "wot": "what", "sth": "something", "smth": "something",
    "cld": "could", "shld": "should", "wld": "would", "mgmt": "management", "yest": "yesterday", "ystrdy": "yesterday",
    "n": "and", "em": "them", "cant": "can't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "dont": "don't", "didnt": "didn't", "havent": "haven't", "isnt": "isn't", "arent": "aren't", "im": "i'm",
    "dt": "date", "dts": "dates", "prop": "proposal", "props": "proposals", "nego": "negotiation",
    "negot": "negotiation", "qual": "qualification", "wats": "what's", "wuts": "what's", "whts": "what's",
    "rgn": "region", "rgns": "regions", "neg": "negotiation", "negs": "negotiation",
    "acv": "amount", "tcv": "amount",
    "opend": "opened", "ther": "their", "thier": "their", "valu": "value", "vlaue": "value", "wrth": "worth",
    "clsoe": "close", "clsd": "closed", "creatd": "created", "contcat": "contact", "contcats": "contacts",
    "cw": "closed won", "cl": "closed lost", "src": "source", "srcs": "sources", "srce": "source",
    "r": "are", "ppln": "pipeline", "dlrs": "dollars", "prospectin": "prospecting", "prspct": "prospecting",
}  # fmt: skip
DOMAIN_WORDS = [
    "many",
    "much",
    "which",
    "weighted",
    "pipeline",
    "deal",
    "deals",
    "opportunity",
    "opportunities",
    "account",
    "accounts",
    "customer",
    "customers",
    "contact",
    "contacts",
    "lead",
    "leads",
    "activity",
    "activities",
    "meeting",
    "meetings",
    "task",
    "tasks",
    "email",
    "emails",
    "quarter",
    "quarters",
    "month",
    "months",
    "week",
    "weeks",
    "year",
    "years",
    "average",
    "median",
    "total",
    "count",
    "number",
    "amount",
    "value",
    "revenue",
    "stage",
    "stages",
    "negotiation",
    "qualification",
    "proposal",
    "prospecting",
    "closed",
    "won",
    "lost",
    "open",
    "overdue",
    "won't",
    "conversion",
    "rate",
    "win",
    "forecast",
    "industry",
    "industries",
    "region",
    "regions",
    "source",
    "sources",
    "owner",
    "owners",
    "team",
    "teams",
    "compare",
    "versus",
    "against",
    "between",
    "since",
    "through",
    "before",
    "after",
    "biggest",
    "largest",
    "smallest",
    "highest",
    "lowest",
    "oldest",
    "newest",
    "latest",
    "recent",
    "untouched",
    "touched",
    "quiet",
    "stale",
    "activity",
    "priority",
    "pipeline",
    "summary",
    "follow",
    "follows",
    "followup",
    "followups",
    "remind",
    "reminder",
    "schedule",
    "scheduled",
    "today",
    "tomorrow",
    "yesterday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "quarterly",
    "monthly",
    "yearly",
    "annual",
    "without",
    "missing",
    "next",
    "step",
    "steps",
    "close",
    "closing",
    "closes",
    "expected",
    "renewal",
    "renewals",
    "competitor",
    "competitors",
    "discount",
    "budget",
    "authority",
    "timeline",
    "decision",
    "maker",
    "meeting",
    "meetings",
    "calls",
    "called",
    "emailed",
]
QUESTION_CUE = re.compile(
    r"\?|\b(?:what|whats|wats|which|who|whos|how|hows|can you|could you|is there|are there|"
    r"(?<!the )(?<!a )(?<!our )(?<!my )(?<!this )(?<!that )(?<!invite )(?<!short )(?<!guest )(?<!mailing )"
    r"(?<!about to )(?<!going to )(?<!have to )(?<!need to )(?<!want to )"
    r"(?:show|list|give|tell|compare|pull|find))\b",
    re.I,
)
""""which …", "list my …" - not "the invite list" (a sentence that only says what the person is doing)"""
LONG_WORDS = 18
"""a message longer than this that explains itself first is read from the sentences that ask"""


@dataclass
class Normalized:
    text: str
    """the words to read, lower-cased, shorthand expanded, typos corrected"""
    original: str
    corrections: dict[str, str] = field(default_factory=dict)
    shouted: bool = False
    trimmed: bool = False
    """a long message reduced to its question"""


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    """Whole English words from the bundled MiniLM tokenizer (about 21k)."""
    vocab = json.loads(default_tokenizer_path().read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha() and w.islower())


def _is_shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.7


SIGN_OFF = re.compile(
    r"[\s,.!-]*\b(?:thanks|thank you(?: so much| very much)?|many thanks|cheers|best(?: regards)?|regards|thx|ta)"
    r"\b[\s,!.]*(?:[A-Za-z]+)?[\s.!]*$",
    re.I,
)


SCOPE_CLAUSE = re.compile(
    r"\b(?:counting|only counting|looking (?:only )?at|limited to|restricted to|excluding|including)\b|"
    r"\b(?:from|since|between|during|in)\b[^,]*\d",
    re.I,
)
"""a clause before the question that says what it covers ("counting only deals closed-won from 1 September …")"""


SHOULD_HAVE_DONE = re.compile(
    r"\b(?:anything|any tasks?|stuff|things?)(?: that)? (?:i|we) (?:should|ought to|was supposed to|were supposed to)"
    r"(?: already| really)? (?:have )?(?:done|finished|completed|sorted|handled|dealt with|got to)"
    r"(?: by now| already)?\b"
)
""""anything I should already have done that's still open": the tasks past their due date"""
TOPIC_WORDS = 12
THERE_BACK = re.compile(r"\bthere\b(?! (?:is|are|was|were|any|been)\b)", re.I)
""""… a single line on Asia-Pacific: how many open opportunities we have there": the place named before the colon"""
"""'q2 wins only (closed apr-jun): which rep got them …': a short topic before the colon that the question leans on"""


def _unpunctuated_question(text: str) -> str:
    """A long message typed without sentence stops: the part after its last colon, else from its last question
    word ("… the bit i'm missing: how many deals did we win in october cheers maya")."""
    text = SIGN_OFF.sub("", text)
    if REQUEST.match(text):  # "Break my open pipeline down by stage for me - how many deals and …": one request
        return text
    after_colon = text.rsplit(":", 1)[1].strip() if ":" in text else ""
    leans = LEANS_BACK.search(after_colon) or THERE_BACK.search(after_colon)
    leans = leans and len(text.split(":", 1)[0].split()) <= TOPIC_WORDS
    scope = text.rsplit(":", 1)[0]
    if after_colon and re.search(r"\b(?:against|versus|vs\.?|compared (?:to|with))\b", scope, re.I):
        return text  # "I need October against September, company-wide: how many deals we won": the two sides too
    if len(after_colon.split()) >= 3 and (QUESTION_CUE.match(after_colon) or NEED.match(after_colon)) and not leans:
        return after_colon  # "… the bit i'm missing: how many deals did we win": not "X against Y for H2: deals won"
    requests = REQUEST_CUE.search(text)
    if requests:  # "ok so im driving can you tell me how many … and what they added up to": from the request on
        return text[requests.start() :].strip()
    turn = list(PREAMBLE_END.finditer(text))
    if turn:  # "… i still owe david my forecast anyway how many of my open deals …": after the last aside
        return text[turn[-1].end() :].strip()
    cues = list(
        re.finditer(r"\b(?:what|which|who|how|show|list|give|tell|can you|could you|is there|are there)\b", text, re.I)
    )
    for cue in reversed(cues):  # the last question that stands on its own: it names what it asks about
        tail = text[cue.start() :]
        if cue.start() > 0 and OWN_SUBJECT.search(tail) and not LEANS_BACK.search(tail):
            head = text[: cue.start()].rstrip()
            if head.endswith(",") and SCOPE_CLAUSE.search(head):  # "counting only deals won from 1 Sep …, which rep"
                return (head.rsplit(":", 1)[-1] + " " + tail).strip()
            return tail.strip()
    return text


PREAMBLE_END = re.compile(
    r"\b(?:anyway|anyways|so anyway|long story short|bottom line|(?:my|the) (?:real )?question is|"
    r"what i (?:need|want) to know is|here'?s (?:the|my) question)\b[\s,:-]*",
    re.I,
)
QUESTION_HANDED_OVER = re.compile(
    r"\b(?:the (?:one )?thing|what) (?:i|we) (?:actually |really |actually really )?(?:need|want)(?: to know)?"
    r"(?: from (?:you|the bot|the assistant|dealwise|the crm))?(?: is| here)?\s*[:,-]+\s*|"
    r"\b(?:my|the) (?:actual |real |main )?question(?: for you)? is\s*[:,-]*\s*|"
    r"\bquick (?:q|qq|question|one|ask)\b\s*[:\u2013\u2014-]+\s*",
    re.I,
)
"""where a long message hands over its question after an aside ("anyway the thing i actually need from the bot -")"""
REQUEST_CUE = re.compile(r"\b(?:can|could|would) you (?:tell|show|give|pull|list|get|find|send)\b", re.I)
REQUEST = re.compile(
    r"^(?:please |pls |can you |could you |now )?(?:put|set|line up|compare|show|list|give|pull|break|split|rank|"
    r"group|bucket|"
    r"sort|tell|total|sum|count|add up)\b",
    re.I,
)
"""a sentence that asks by telling ("Put the referral pipeline next to the web pipeline.")"""
LEANS_BACK = re.compile(
    r"\b(?:that|those|these|them|they|it|ones|he|she|his|her)\b|\bthe (?:main|primary|key) contact\b", re.I
)
"""a question that needs what came before it ("… and how many deals is that")"""
ALSO_ASKED = re.compile(
    r"^(?:please |pls |and |also |then )?(?:give|show|list|name|include|break|split|tell|add|put|number|numbers|"
    r"counts?|dollars?|amounts?|totals?|avg|average|both|each|for each|per|just|only|sorted|ranked|biggest|largest|"
    r"use|using|based on|measured (?:by|as|on)|"
    r"(?:open |my |our |all |the )?(?:deals|opps|opportunities|tasks|leads|accounts))\b",
    re.I,
)
"""a sentence after the question that asks for more of the same answer"""
NEED = re.compile(
    r"\b(?:i|we) (?:also |still |really |just |only )?(?:need|want)\b|\b(?:i|we)(?:'d| would) (?:also |really )?"
    r"(?:like|love)\b",
    re.I,
)
"""a sentence that states what is wanted ("At the very least I need the total open amount …")"""
VAGUE = re.compile(
    r"^(?:so |and |ok |okay )?(?:what|how much|anything) (?:can|could|do|would) you (?:give|tell|do|offer|show|get)"
    r"(?: me| us)?(?: here| with that)?\W*$|^(?:can|could) you help(?: me| us)?\W*$|^what have you got\W*$",
    re.I,
)
"""a question that asks nothing by itself"""
OWN_SUBJECT = re.compile(
    r"\b(?:deals?|opportunit(?:y|ies)|opps?|leads?|accounts?|contacts?|tasks?|activit(?:y|ies)|calls?|meetings?|"
    r"customers?|pipeline|reps?|wins?|revenue)\b",
    re.I,
)
WRAPPED = re.compile(r"(?<=[\w,()-])[ \t]*\n(?=[ \t]*[a-z(])|(?<=[a-z0-9])[ \t]*\n(?=[ \t]*[A-Z][a-z]+\b[^\n]*[a-z])")
"""a line break inside a sentence (a mail wrapped at 72 characters): the next line starts in lower case"""


WRITING_LEAD = re.compile(
    r"^(?:(?:please|pls|can you|could you)\W+)?help me (?:line up|plan|prep(?:are)?|sort out|organi[sz]e|map out|"
    r"get ready for|get through|get on top of)[^:?]{0,40}:\s*(?=\S+\s+\S+\s+\S)|"
    r"^(?:(?:so|anyway|anyways|ok|okay|right|but)\W+)*(?:the|my) (?:actual |real |main |only )?"
    r"(?:reason (?:i'?m|i am) (?:writing|asking|messaging|emailing|reaching out|pinging you)|question(?: for you)?)"
    r"(?: is)?\s*[:,-]+\s*(?=\S+\s+\S+\s+\S)|"
    r"^(?:before|while|ahead of|as) (?:i|we) [^:?,.]{2,40}?\s*(?::|\s-)\s*(?=\S+\s+\S+\s+\S)|"
    r"^for (?:the|my|our|a|an|\w+'s) [\w' -]{2,30}?(?:,?\s+(?=(?:i|we)(?:'d| would)? (?:need|want|like)\b)|"
    r"\s*:\s*(?=\S+\s+\S+\s+\S))|"
    r"^(?![^:?]*\b(?:q[1-4]|\d+|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|"
    r"dec\w*|quarter|month|week|year|today|west|east|deals?|opps?|pipeline|accounts?|leads?|contacts?|tasks?|"
    r"my|our|\w+'s)\b)[^:?]{0,50}\b(?:check|review|pack|prep|sync|stand-?up|"
    r"report|deck|newsletter|recap|clean-?up|audit|offsite|qbr)\b[^:?]{0,40}:\s*(?=\S+\s+\S+\s+\S)",
    re.I,
)
""""Anyway, the actual reason I'm writing: how many …", "Before I start cold-calling: are any …": the lead-in
before what is asked"""


MEETING_WITH = re.compile(
    r"^\W*(?:quick (?:one|q|question)\W+)?(?:before|b4|ahead of|prepping for|prep for) (?:my|our|the) "
    r"(?:1:1|1-1|one[- ]on[- ]one|meeting|call|catch-?up|sync|review) (?:with|w/?) (\w+)\W+"
)
""""quick one b4 my 1:1 w nina what does she have …": the meeting is the occasion; the person is who is asked about"""


def _meeting_subject(said: re.Match[str], text: str) -> str:
    """The person met is who a question about "she"/"he" asks about; a question about "my" deals is the asker's."""
    rest = text[said.end() :]
    about_them = re.search(r"\b(?:she|he|her|his|hers|him)\b", rest) and not re.search(r"\b(?:my|i|i'd|i'm|me)\b", rest)
    return f"about {said[1]}: " if about_them else ""


OCCASION_WHEN = re.compile(
    r"\b((?:in|at|during|before|after|for|from|b4) (?:our|my|the|a|his|her|their) (?:1:1|1-1|one[- ]on[- ]one|"
    r"weekly|meeting|call|catch-?up|stand-?up|sync|review|qbr|forecast call|pipeline review))"
    r"\s+(?:this|last|next|on) (?:week|month|morning|afternoon|monday|tuesday|wednesday|thursday|friday)\b"
)
""""flat in our 1:1 this week": when the meeting was, not a period the question asks about"""
MONTH_DOT = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.(?=\s+\d)", re.I)
"""'Nov. 10th': the abbreviation's dot ends no sentence"""


def sentences_of(text: str) -> list[str]:
    text = MONTH_DOT.sub(r"\1", WRAPPED.sub(" ", text))
    return [WRITING_LEAD.sub("", s.strip()) for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


TELLING_AFTER = re.compile(
    r"^(?:(?:whatever the answer|either way|regardless|in any case|in either case|also|and|plus|oh and)\W+)?"
    r"(?:please\s+)?(?:tell me|give me|list|show me|send me|let me know|"
    r"(?:i'?m|i am|we'?re|we are) (?:after|looking for))\b",
    re.I,
)
"""'… without a primary contact? Whatever the answer, tell me who the main contact is on each one': asked too"""


def asking_sentences(sentences: list[str]) -> list[str]:
    """The sentences that ask: those ending in a question mark (and a request right after one), else those with
    a question word."""
    asked = [
        s
        for index, s in enumerate(sentences)
        if s.endswith("?") or (index and sentences[index - 1].endswith("?") and TELLING_AFTER.match(s))
    ]
    return asked or [s for s in sentences if QUESTION_CUE.search(s)]


THAT_STRETCH = re.compile(
    r"\b(?:those|these|that|this|the same) (?:\w+ )?(?:months|weeks|days|quarters|period|window|stretch|dates|"
    r"time ?frame|date range|range)\b",
    re.I,
)


RECORD_NOUNS = re.compile(
    r"\b(?:deals?|pipeline|pipe|opps?|opportunit(?:y|ies)|won|wins|lost|losses|leads?|accounts?|customers?|"
    r"contacts?|tasks?|calls?|e-?mails?|meetings?|activit(?:y|ies)|notes?|revenue|bookings|forecast|closed)\b",
    re.I,
)
"""what a question is about; one that names none leans on the sentence before it"""


SPELLED_FIGURE = re.compile(
    r"^\s*(?:just |only |specifically |in particular |mainly |namely |i mean )?"
    r"(?:(?:my|our|the|both|their|his|her)\s+(?:\w+\s+){0,2})?(?:average|avg|mean|median|total|totals|"
    r"count|counts|number|numbers|win rates?|amounts?|wins|losses|bookings)\b[^?]*$",
    re.I,
)
"""a sentence that only names the figure wanted, after the question it spells out"""


PURPOSE = re.compile(
    r"^(?:i|we)(?:'m| am|'re| are)? (?:want|need|have|trying|going|hoping|planning|would like|'d like) (?:to|on) "
    r"(?!know\b|see\b|find out\b|get\b|have\b|check\b|understand\b)[a-z]+\b[^?]*\.?$",
    re.I,
)
"""'I want to size the enterprise license properly.': why the person asks, not what they ask"""


def without_purpose(message: str) -> str:
    """The message without a sentence that only says why the person asks, when another sentence asks ("How many
    employees does Bluth have? I want to size the enterprise license properly.")."""
    sentences = sentences_of(message)
    why = [s for s in sentences if PURPOSE.match(s.strip())]
    if not why or len(why) == len(sentences) or not any(s.rstrip().endswith("?") for s in sentences):
        return message
    before_why, after_why = sentences[: sentences.index(why[0])], sentences[sentences.index(why[0]) + 1 :]
    if not before_why and any(
        re.search(r"\b(?:them|they|those|these|their|theirs|it|its)\b", s, re.I) for s in after_why
    ):
        return message  # "I want to ring my qualified leads. Which of them …": the why names what is asked about
    kept = message
    for sentence in why:
        kept = kept.replace(sentence, "", 1)
    return re.sub(r"[ \t]{2,}", " ", kept).strip()


RESHAPED = re.compile(
    r"^(?:(?:and|then|now|please|pls)\W+)?(?:group|split|break|bucket|total|sum|add)\w* "
    r"(?:them|those|these|it|that|the lot|the list)\b",
    re.I,
)
"""'Group them by rep …' after a question: how to shape its answer"""
FIGURE_ASKED = re.compile(r"\$|\b(?:totals?|sum|count|how many|how much|amounts?|dollars|values?|worth)\b", re.I)


NEVER_FILLED_STEP = re.compile(
    r"\b(?:did i |have i |i |we |did we |have we )?(?:never|not|didn'?t|haven'?t|did not|have not) (?:\w+ )?"
    r"(?:fill(?:ed)?|put|write|wrote|written|enter(?:ed)?|set|log(?:ged)?) (?:in |down )?"
    r"(?:what happens next|what(?:'s| is) next|the next step|a next step|next steps?)\b"
)
"""'on which open deals did I never fill in what happens next': those with no next step"""
KNOWN_ALREADY = re.compile(
    r"\s*[-,;:\u2013\u2014]?\s*(?:but |as )?i (?:already )?(?:know|knew|have seen|saw) (?:about )?(?:the|those|my) "
    r"(?:late|overdue|old|past[- ]due|other) (?:ones|tasks|deals|items)\b\.?"
)
"""'- I already know about the late ones': what the person leaves out, not what they ask for"""
TALK_TO_ON_EACH = re.compile(
    r"\bwho (?:do|should|would|will) (?:i|we) (?:talk|speak|deal|work) (?:to|with) (?:on|for|at|about) "
    r"(each(?: one)?|every one|them|those|these|each deal)\b"
)
CONTACT_SET_AS = re.compile(
    r"\b(?:(?:which|what) )?(?:customer |client )?(?:contact|person) (?:is |was |that's |that is )?(?:set|listed|named|"
    r"marked|recorded|down|attached|sitting) (?:on (?:it|them|each(?: one)?|those|that deal) )?as (?:the )?"
    r"(primary|main|key)(?: contact)?\b"
)
UNIT_STARTED = re.compile(
    r"\bsince (?:the|this) (quarter|month|year|week) (?:started|began|kicked off|opened)"
    r"(?: on [a-z]+ \d{1,2}(?:st|nd|rd|th)?)?"
)
CONVERTING = re.compile(
    r"\b(?:ended up|wound up|went on|got|managed) (?:converting|converted|being converted)\b|"
    r"\bconverting\b(?! (?:rate|ratio))"
)
"""'how many ended up converting': the leads converted"""
HEDGED_GUESS = re.compile(
    r",?\s*\b(?:because |cause |cos |since |as )?i (?:think|believe|reckon|guess|suspect) "
    r"(?:it was|it's|it is|they were|they're|they are|most (?:of them )?were) [^.?!]{0,60}?\b(?:but|though) "
    r"(?:i'?m |i am )?(?:\w+ )?not (?:sure|certain|100 ?%)\b"
)
""""… which accounts they were with, because I think it was mostly Oscorp but I'm not sure": a guess at the
answer, not a filter"""
ONE_PER = re.compile(
    r"^(?:(?:and|then|please|pls)\W+)?(?:(?:one|a|the) (?:number|count|figure|total|line|row) )?"
    r"(?:per|for each|each|by|broken (?:down|out) by|split by) "
    r"(?:type|kind|rep|person|stage|month|quarter|team|source|industry|region|account)"
    r"\W*$",
    re.I,
)
"""'One number per type.' after a question: how to split its answer"""
RESTATED = re.compile(r"(?:i mean|i mean by that|by that i mean|meaning|i\.e\.?|in other words|to be clear)\b", re.I)
"""a sentence that says again, more exactly, what the question before it asks"""


def _question_part(text: str) -> tuple[str, bool]:
    """The sentence(s) that ask, when a long message explains itself first."""
    if len(text.split()) <= LONG_WORDS:
        return text, False
    handed_over = list(QUESTION_HANDED_OVER.finditer(text))
    handed = text[handed_over[-1].end() :] if handed_over else ""
    if stop := re.search(r"[?!](?=\s|$)|\.(?=\s)|\n\s*\n", handed):
        handed = handed[: stop.end()]  # that one question: not the sign-off after it
    if len(handed.split()) >= 4:  # "… anyway the thing i actually need from the bot - which of my reps …"
        return handed.strip(), True
    sentences = sentences_of(text)
    if len(sentences) == 1 and text.rstrip().endswith("?"):
        return text, False  # one asked sentence: its leading clause ("Between June 1 and August 31, …") is part of it
    if len(sentences) == 1 and not re.search(r"[.!?;]\s", text):
        chosen = _unpunctuated_question(text)
        return chosen, chosen != text
    asking = asking_sentences(sentences) or [s for s in sentences if NEED.search(s)]  # "From the CRM I need …"
    if not asking:
        return text, False
    last = asking[-1]
    index = sentences.index(last)
    pronoun = re.search(r"\b(?:them|those|these|they|it|ones|she|he|her|him|his)\b", last, re.I)
    named_before = pronoun and OWN_SUBJECT.search(last[: pronoun.start()])  # "how many of my deals …, total on them"
    points_back = pronoun and index > 0 and not named_before
    if index > 0 and REQUEST.match(sentences[index - 1]):  # "Put X next to Y. Which is carrying more?"
        points_back = True
    telling = index > 0 and sentences[index - 1].endswith("?") and TELLING_AFTER.match(last)
    if telling:  # "…? Whatever the answer, tell me …": the question it follows, and what that one leans on
        points_back = True
    if index > 0 and not RECORD_NOUNS.search(last) and RECORD_NOUNS.search(sentences[index - 1]):
        points_back = True  # "… where our open pipeline sits. Can you give me the total per region?"
    if index > 0 and THAT_STRETCH.search(last):  # "Our incentive period ran from … Which rep booked most across those
        points_back = True  # six months?": the stretch named before
    start = index - 1
    if telling and start > 0 and re.search(r"\b(?:he|she|they|it|them|those|these|his|her)\b", sentences[start], re.I):
        start -= 1  # "Jack has two deals called X. Why did he open a second one? Give me the stage of each"
    chosen = (
        last if (len(last.split()) >= 4 or index == 0) and not points_back else " ".join(sentences[start : index + 1])
    )
    following = sentences[index + 1] if index + 1 < len(sentences) else ""
    if NEED.search(following) and VAGUE.match(last):  # "What can you give me? At the very least I need …"
        return following, True
    says_what = OWN_SUBJECT.search(following) and (QUESTION_CUE.search(following) or NEED.search(following))
    if following and not OWN_SUBJECT.search(last) and len(last.split()) <= 6 and says_what:
        return (
            following,
            True,
        )  # "Have I dropped anything? Late tasks …, or open deals … - list whatever I've forgotten."
    spells_out = re.match(r"(?:please |so )?compare\b", following, re.I) is not None  # "Compare my average open …"
    asks_for_more = (NEED.search(following) or REQUEST.match(following)) and (len(last.split()) < 10 or spells_out)
    # "Are we ahead of last quarter? I need West's …", "Am I ahead yet? Compare my closed-won so far with Q3."
    for_each_side = NEED.search(following) and re.search(r"\b(?:for|of) (?:each|both)\b|\beach\W*$", following, re.I)
    named_figure = SPELLED_FIGURE.match(following)  # "Are the deals I win bigger? My average closed-won vs …"
    reshaped = RESHAPED.match(following) and FIGURE_ASKED.search(following)  # "… Group them by rep, the $ in each."
    restated = RESTATED.match(following) or ONE_PER.match(following)  # "… I mean no call …", "One number per type."
    if (
        asks_for_more or for_each_side or ALSO_ASKED.match(following) or named_figure or reshaped or restated
    ):  # "… with Proposal? Number of deals and dollars for each stage."
        chosen = f"{chosen} {following}"
    return chosen, chosen != text


def _expand(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return SHORTHAND.get(word, word)

    text = re.sub(r"(?<![\w/])(?:w/o|w/|b/w)(?![\w/])", lambda m: SHORTHAND[m.group(0)], text)
    text = re.sub(r"\b(\d+)\s?(d|wks?|mos|mths?|yrs?)\b", lambda m: f"{m[1]} {'days' if m[2] == 'd' else m[2]}", text)
    text = re.sub(r"(?:\b(?:over|above|more than)\s+)?(\$?\d[\d,]*(?:\.\d+)?\s?[km]?)\+(?![\w+])", r"at least \1", text)
    text = re.sub(r"\b(this|last|next|that|the|each|per|a|prev|previous|same)\s+q\b(?![\d'])", r"\1 quarter", text)
    text = re.sub(r"(?<![\w$])#\s*(?=[a-z])", "number of ", text)
    text = re.sub(r"\b(his|her|their|the|its|your|my)\s+#(?=\s|$|[?.,!])", r"\1 phone number", text)  # "whats his #"
    text = re.sub(r"\s@\s(?=[a-z])", " at ", text)  # "diego @ oscorp"
    text = re.sub(r"\b(?:direct (?:line|dial|number)|desk (?:line|phone)|mobile number|cell number)\b", "phone", text)
    text = re.sub(r"\b(?:direct|personal|work) (?=(?:phone|mobile|cell)\b)", "", text)
    text = re.sub(r"(?<![\w$])\$(?=\s|$|[?.,!])", "dollars", text)
    return re.sub(r"(?<![\w'])[a-z][a-z0-9']*(?![\w'])", swap, text)


SUFFIXES = ("est", "iest", "er", "ier", "ly", "ily", "ed", "ied", "ing", "es", "ies", "s")


def _inflected(word: str, dictionary: frozenset[str]) -> bool:
    """'slowest', 'nudged', 'chasing': an English word with an ending the tokenizer keeps apart is no typo."""
    for suffix in SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            candidates = (stem, stem + "e", stem + "y", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem)
            if any(c in dictionary for c in candidates):
                return True
    return False


def _correct(text: str, known: frozenset[str], vocabulary: list[str]) -> tuple[str, dict[str, str]]:
    corrections: dict[str, str] = {}
    dictionary = english()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 4 or word in dictionary or word in known or _inflected(word, dictionary):
            return word
        near = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=2 if len(word) >= 8 else 1, limit=8)
        if not near:
            return word
        best = min(near, key=lambda found: (found[1], abs(len(found[0]) - len(word)), found[2]))  # "mnay": many
        if best[0].startswith(word) or word.startswith(best[0]) or word.endswith(best[0]):  # "unweighted"
            return word
        corrections[word] = best[0]
        return str(best[0])

    return re.sub(r"(?<![\w'])[a-z]{4,}(?![\w'])", fix, text), corrections


def _possessives(text: str, names: frozenset[str]) -> str:
    """'sams deals' is Sam's deals: a known name with an s and no apostrophe, where the word is no English word."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word[:-1] in names and word not in names and word not in english():
            return f"{word[:-1]}'s"
        return word

    return re.sub(r"(?<![\w'])[a-z]{3,}s(?![\w'])", fix, text)


FORWARDED = re.compile(
    r"(?:^|\n)[ \t>-]*(?:-{2,}[ \t]*)?(?:forwarded message|original message|begin forwarded message)\b|"
    r"\n[ \t]*on .{5,80} wrote:|\n[ \t]*from:[ \t]",
    re.I,
)
"""where a forwarded or quoted mail starts: what the person asks comes before it"""
DEFERS_TO_FORWARDED = re.compile(
    r"\b(?:answer|handle|help (?:me )?with|deal with|respond to|reply to|take care of|sort out)\b[^.?!\n]*"
    r"\b(?:below|bottom|underneath|above|forwarded|in (?:this|there|it|here)|the (?:bit|part|question|ask)s?)\b|"
    r"\bwhat (?:she|he|they)(?: is|'s| are|'re) asking\b|"
    r"\b(?:answer|handle|respond to|reply to|deal with) (?:this|that|it|these|those)(?: one)?(?: for (?:her|him|them|me"
    r"|us))?\b",
    re.I,
)
"""the person hands over the forwarded mail's question ("can you answer the question at the bottom of this")"""
POINTS_BELOW = re.compile(
    r"^\W*(?:fyi|fya|see below|below|see (?:the )?(?:thread|email|mail) below)\b[^?]{0,30}$", re.I
)
"""an opening that only points at the forwarded mail ("fyi see below"); the ask, if any, comes after it"""
MAIL_HEADER = re.compile(r"^[ \t>]*(?:from|to|cc|date|sent|subject):", re.I)


FOOTER = re.compile(
    r"^[ \t]*(?:--[ \t]*$|_{5,}[ \t]*$|confidentiality(?: notice)?\b|disclaimer\b|notice:|this (?:e-?mail|message)"
    r"(?: and any attachments)? (?:is|are|may|contains?)\b|sent from my (?:iphone|ipad|android|phone)|get outlook for)",
    re.I | re.M,
)
"""where an email's signature block or legal footer starts: nothing below it is asked of the assistant"""


def without_footer(message: str) -> str:
    """The message above its signature delimiter ("-- ") or legal footer ("CONFIDENTIALITY NOTICE: … delete …")."""
    cut = FOOTER.search(message)
    return message[: cut.start()].rstrip() if cut and len(message[: cut.start()].split()) >= 3 else message


def without_forwarded(message: str) -> str:
    """The person's own words above a forwarded or quoted mail (all of it when nothing is forwarded); the forwarded
    mail's own text when the person only asks for its question to be answered ("answer the question below")."""
    start = FORWARDED.search(message)
    own = message[: start.start()] if start else message
    if start and DEFERS_TO_FORWARDED.search(own):
        forwarded = [line for line in message[start.end() :].splitlines() if not MAIL_HEADER.match(line)]
        body = without_sign_off("\n".join(line for line in forwarded if not RULE_LINE.match(line)).strip())
        return body if len(body.split()) >= 3 else message
    pointer_only = len(own.split()) < 3 or (POINTS_BELOW.search(own) and "?" not in own)
    if start and pointer_only:  # "fyi see below", the mail, a rule, then the person's own words below it
        rules = list(FORWARD_END.finditer(message, start.end()))
        below = message[rules[-1].end() :] if rules else _below_the_quote(message[start.end() :])
        own = below if len(below.split()) >= 3 else own
        if below and DEFERS_TO_FORWARDED.search(below):  # the mail, then "^ can you answer the bit in the middle"
            quoted = message[start.end() : len(message) - len(below)]
            lines = [QUOTE_MARK.sub("", line) for line in quoted.splitlines() if not MAIL_HEADER.match(line)]
            body = without_sign_off("\n".join(line for line in lines if not RULE_LINE.match(line)).strip())
            return body if len(body.split()) >= 3 else message
    return own if len(own.split()) >= 3 else message


QUOTE_MARK = re.compile(r"^[ \t]*>+[ \t]?")


def _below_the_quote(mail: str) -> str:
    """The lines after the last quoted ('> ') line of a forwarded mail: the person's own words under it."""
    lines = mail.splitlines()
    quoted = [index for index, line in enumerate(lines) if QUOTE_MARK.match(line)]
    if not quoted:
        return ""
    return "\n".join(lines[quoted[-1] + 1 :]).strip(" \n^")


RULE_LINE = re.compile(r"^[ \t>]*[-_=*]{3,}[ \t]*$")


def without_sign_off(body: str) -> str:
    """A mail's text without its closing line and the name under it."""
    return SIGN_OFF.sub("", body).rstrip()


def defers_to_forwarded(message: str) -> bool:
    """Whether the person hands over the forwarded mail's own question ("can you answer it", "fyi answer below")."""
    start = FORWARDED.search(message)
    return bool(start and DEFERS_TO_FORWARDED.search(message[: start.start()]))


PICK_UP_THE_PHONE = re.compile(r"\b(pick|picking|picks) up the phone(?: to| with| and call)?\b")
"""'who should I be picking up the phone to': whom to call"""
ON_THE_PHONE = re.compile(r"\b(get|got|gotten|getting|had|have|has) (\w+) on the (?:phone|line)\b")
ON_THE_PHONE_VERB = {"get": "call", "got": "called", "gotten": "called", "getting": "calling", "had": "called",
                     "have": "called", "has": "called"}  # fmt: skip
"""'when did I last get them on the phone': a call"""
FORWARD_END = re.compile(r"\n[ \t]*-{3,}[ \t]*(?=\n)")
"""a rule line on its own that closes a forwarded mail"""


_MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
FIXED_HOLIDAYS = {
    r"halloween": "october 31", r"valentine'?s(?: day)?": "february 14", r"(?:independence day|(?:the )?4th of july|"
    r"(?:the )?fourth of july)": "july 4", r"christmas eve": "december 24", r"new year'?s eve": "december 31",
    r"st\.? patrick'?s(?: day)?": "march 17",
}  # fmt: skip
"""holidays on the same day every year, as the day they fall on (the period reader knows days)"""
CHRISTMAS_TO_NEW_YEAR = re.compile(
    r"\b(?:between|from) (?:christmas|xmas)(?: day)? (?:and|to|through|thru|until|till) new year'?s?(?: day)?\b"
)
"""the holiday week: 'before Christmas' and 'by New Year' alone are deadlines the period reader knows"""
RESTATED_DAYS = re.compile(
    r"\s*\((?:from |i\.?e\.? |so )?(?:the )?\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:to|-|–|through|thru|until)\s*"
    r"(?:the )?\d{1,2}(?:st|nd|rd|th)?| on(?:wards)?)?\)"
)
"""'(1st to 14th)', '(from the 15th)': days in brackets that restate the period just named"""


_AMOUNT = r"(\$?\d[\d,]*(?:\.\d+)?\s*(?:k|m|mm|bn|b)?)"
AMOUNT_OR_LESS = re.compile(rf"(?:\bat )?{_AMOUNT} (?:or|and) (?:less|under|below|lower|smaller)\b")
AMOUNT_OR_MORE = re.compile(rf"(?:\bat )?{_AMOUNT} (?:or|and) (?:more|over|above|up|higher|bigger)\b")
"""'30k or less', '50k and up': the bound before the amount, as the amount reader expects it"""


FLOATING_HOLIDAYS: dict[str, tuple[int, int, int, int]] = {
    r"labou?r day": (9, 0, 1, 0), r"memorial day": (5, 0, -1, 0), r"thanksgiving(?: day)?": (11, 3, 4, 0),
    r"black friday": (11, 3, 4, 1), r"cyber monday": (11, 3, 4, 4), r"columbus day": (10, 0, 2, 0),
    r"(?:mlk|martin luther king(?: jr\.?)?)(?: day)?": (1, 0, 3, 0), r"presidents'? day": (2, 0, 3, 0),
}  # fmt: skip
"""US holidays on a weekday of a month: (month, weekday with Monday 0, which one with -1 the last, days after)"""
_MONTH_DAYS = {"february": 28, "feb": 28, "april": 30, "apr": 30, "june": 30, "jun": 30, "september": 30, "sep": 30,
               "sept": 30, "november": 30, "nov": 30}  # fmt: skip
_YEAR_SAID = r"(?:\s+(last|this|next) year|,?\s+((?:19|20)\d{2}))?"
YEAR_SHIFT = {"last": -1, "this": 0, "next": 1}
"""'last year', 'this year', 'next year': years from today's"""


def _weekday_of_month(year: int, month: int, weekday: int, which: int) -> date:
    if which > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (which - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _said_year(match: re.Match[str], today: date) -> int:
    return int(match[2]) if match[2] else today.year + YEAR_SHIFT[match[1] or "this"]


def _floating_holidays(text: str, today: date) -> str:
    """'Labor Day', 'Thanksgiving': the day they fall on in the year said (this year when none is)."""
    for holiday, (month, weekday, which, after) in FLOATING_HOLIDAYS.items():

        def day_of(match: re.Match[str], month: int = month, weekday: int = weekday, which: int = which,
                   after: int = after) -> str:  # fmt: skip
            day = _weekday_of_month(_said_year(match, today), month, weekday, which) + timedelta(days=after)
            return f"{day:%B} {day.day}".lower() + (f" {day.year}" if match[1] or match[2] else "")

        text = re.sub(rf"\b{holiday}(?!\w){_YEAR_SAID}", day_of, text)
    return text


DAY_OF_MONTH = re.compile(
    r"\b(?:(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?"
    r"the (?P<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?! (?:of|in|last|this|next)\b)"
)
""""monday the 23rd", "through the 27th": a day of the month, with no month said"""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_of_month(said: re.Match[str], today: date) -> str:
    """The day as "november 23": the month (this one, the next or the last) where it falls on the weekday said,
    else this month."""
    if re.search(rf"\b{_MONTH_NAMES}\s+$", said.string[: said.start()]):
        return said[0]  # "november the 23rd"
    day = int(said["day"])
    months = [(today.year, today.month)]
    months += [(today.year + (today.month == 12), today.month % 12 + 1)]
    months += [(today.year - (today.month == 1), (today.month - 2) % 12 + 1)]
    for year, month in months:
        try:
            placed = date(year, month, day)
        except ValueError:
            continue
        if said["weekday"] is None or WEEKDAYS[placed.weekday()] == said["weekday"]:
            return f"{placed:%B} {day}".lower() + (f" {year}" if year != today.year else "")
    return said[0]


def calendar_phrases(text: str, today: date | None = None) -> str:
    """Calendar words the period reader does not know, as days it does: 'mid-October' is 15 October, 'the first two
    weeks of January' are 1-14 January, 'Halloween' is 31 October, 'December 15 last year' is 15 December 2025;
    from one day to 'the end of January' ends on 31 January."""
    text = RESTATED_DAYS.sub("", text)
    text = CHRISTMAS_TO_NEW_YEAR.sub("between december 25 and january 1", text)
    for holiday, day in FIXED_HOLIDAYS.items():
        text = re.sub(rf"\b{holiday}(?!\w)", day, text)
    text = re.sub(rf"\b(?:the )?(?:mid[- ]?|middle of )({_MONTH_NAMES})\b", r"\1 15", text)
    text = re.sub(
        rf"\b(?:in )?(?:late|the (?:back|tail) end of|the last (?:week|ten days) of) (?:in )?({_MONTH_NAMES})\b"
        r"(,? (?:19|20)\d\d)?",
        lambda m: f"between {m[1]} 20{m[2] or ''} and {m[1]} {_MONTH_DAYS.get(m[1], 31)}{m[2] or ''}",
        text,
    )
    text = re.sub(
        rf"\b(?:in )?(?:early|the first (?:week|ten days) of) (?:in )?({_MONTH_NAMES})\b(,? (?:19|20)\d\d)?",
        lambda m: f"between {m[1]} 1{m[2] or ''} and {m[1]} 10{m[2] or ''}",
        text,
    )
    text = re.sub(rf"\b({_MONTH_NAMES})/({_MONTH_NAMES})\b", r"\1 to \2", text)  # "the september/october spiff"
    if today is not None:
        text = _floating_holidays(text, today)
        text = DAY_OF_MONTH.sub(lambda said: _day_of_month(said, today), text)
        text = re.sub(
            rf"\b({_MONTH_NAMES}) (\d{{1,2}})(?:st|nd|rd|th)?\s+(last|this|next) year\b",
            lambda m: f"{m[1]} {m[2]} {today.year + YEAR_SHIFT[m[3]]}",
            text,
        )
    text = re.sub(
        rf"\b((?:between|from) [^?]{{3,50}}? (?:and|to|through|thru|until|till) )the (?:very )?(?:end|close) of "
        rf"({_MONTH_NAMES})\b",
        lambda m: f"{m[1]}{m[2]} {_MONTH_DAYS.get(m[2], 31)}",
        text,
    )
    text = re.sub(
        rf"\b(between|from) the (?:start|beginning) of ({_MONTH_NAMES})(?= (?:and|to|through|thru|until|till) )",
        r"\1 \2 1",
        text,
    )
    return re.sub(
        rf"\b(?:in |during )?the first (?:two|2) weeks of ({_MONTH_NAMES})\b", r"between \1 1 and \1 14", text
    )


SLASHED_PAIR = re.compile(
    r"(?<![/\w])(?!(?:calls?|e-?mails?|meetings?|notes?|tasks?)/)([a-z]{3,})/"
    r"(?!(?:calls?|e-?mails?|meetings?|notes?|tasks?)\b)([a-z]{3,})(?![/\w])"
)
"""two words joined by a slash ("prop/neg"): one or the other (activity kinds listed this way stay a list)"""
ACCOUNTS_FOR = re.compile(
    r"\b(account|rep|region|industry|source|stage|team|owner|customer|person|seller|deal|one|who|which|that) "
    r"(?:accounts|accounted) for\b"
)
"""'which LATAM account accounts for the most of it': the verb, not more accounts"""


SO_I_CAN = re.compile(r",?\s+so (?:that )?(?:i|we) (?:can|could|'ll|will)\b[^?.!]*")
"""'…, so I can get the follow-ups out today': why the asker wants it, not part of what is asked"""
SELF_CORRECTION = re.compile(
    r"\b[\w'-]+(?:'s)?,?\s+(?:no,? sorry|sorry|no wait|wait no|scratch that|correction|i mean)\s*[,\u2014-]\s*"
    r"(?:no\s*,\s*)?(?:not [\w'-]+(?:'s)?\s*,\s*)?(?:i mean,?\s+)?"
)
"""'sam's, sorry, not sam, omar's three biggest': what was said, then taken back and said again"""


_NOT = r"(?:hasn't|hasnt|has not|haven't|havent|have not|didn't|didnt|did not|never)"
_LOGGED = r"(?:logged|log|made|make|had|have|done|do|booked|book|held|hold|sent|send|placed|place|run)"
_TOUCHES = r"(calls?|emails?|meetings?|notes?|activities|activity|demos?)"
NOBODY_LOGGED = re.compile(
    rf"\b(?:which (?:reps?|sellers?|people|ones?|of (?:my|our|the) reps)|who|anyone|anybody|any reps?)"
    rf"((?: on| in| from) (?:my|our|the) team| on \w+| in \w+)? {_NOT} {_LOGGED}(?: a| an| one| any)? {_TOUCHES}"
    r"(?: in (\d+|a|two|three|four|six) (days?|weeks?|months?)\b)?"
)
NOBODY_LOGGED_ASKED = re.compile(
    rf"\b(?:has|have|is there) (?:anyone|anybody|any reps?|a rep)((?: on| in| from) (?:my|our|the) team| on \w+|"
    rf" in \w+)? (?:not |who {_NOT} |that {_NOT} ){_LOGGED}(?: a| an| one| any)? {_TOUCHES}"
    r"(?: in (\d+|a|two|three|four|six) (days?|weeks?|months?)\b)?"
)
"""'which rep hasn't logged a call in 2 weeks': the people ranked by that count, fewest first (the zeros on top)"""


THEY_THE_MEETINGS = re.compile(r"\b(meetings|calls)\b([^?]*?\bhow long (?:were|was|did)) (?:they|those|these)\b", re.I)


DISMISSED = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|actually|right)[,\s]+)?(?:forget|never ?mind|ignore|scratch|skip)\s+(?:about\s+)?"
    r"(?:the|that|my|all the)\s+[^-\u2013\u2014,;:.?!]{1,60}?\s*[-\u2013\u2014,;:.]+\s*(?:(?:just|instead)\s+)?",
    re.I,
)
"""'forget the forecast accuracy stuff - just how many deals …': what the person takes back is not asked"""


UNDONE_FILTER = re.compile(
    r"\b(?:filters?|stages?|period|dates?|owners?|regions?|industr(?:y|ies)|sources?|amounts?|limits?|conditions?|"
    r"rep|person|team|quarter|month|year|floor|minimum|min|cutoff|cut-off|threshold|ceiling|cap)\b",
    re.I,
)


def without_dismissed(message: str) -> str:
    """The message without an opening that takes an ask back ("never mind the margins, …")."""
    taken_back = DISMISSED.match(message)
    if taken_back is None or UNDONE_FILTER.search(taken_back[0]):  # "forget the stage filter, …" undoes a filter
        return message
    rest = message[taken_back.end() :]
    return rest if len(rest.split()) >= 3 else message


_DETERMINER = r"(?:the|my|our|his|her|their|that|this)"
RETRACTED = re.compile(
    r"\s*[,;\u2013\u2014-]*\s*(?:(?:actually|oh|wait|hmm|ugh|no|sorry)[,.\s]+)*"
    r"(?:scratch that|strike that|no wait|wait no|i meant|i mean|correction|make that)[,:\s]+"
    rf"(?:(?:i meant?|it's|its)[,\s]+)?(?={_DETERMINER} )",
    re.I,
)
RETRACTION_CUE = re.compile(
    r"\b(?:scratch that|strike that|no wait|wait no|i meant|sorry|actually no|make that)\b", re.I
)
LAST_DETERMINER = re.compile(rf"\b{_DETERMINER}\b(?![^,;.?!\u2013\u2014]*\b{_DETERMINER}\b)", re.I)


def without_retracted(message: str) -> str:
    """The message with a record it takes back left out ("the Summit platform deal - scratch that, I mean the Summit
    expansion - …", "pull up the wayne renewal, actually no, sorry, I meant the monarch pilot"): what is said
    after the correction stands where the retracted words were."""
    for said in RETRACTED.finditer(message):
        if not RETRACTION_CUE.search(said[0]) and not re.search(r"[,\u2013\u2014-]", said[0]):
            continue
        before = message[max(0, said.start() - 80) : said.start()]
        taken_back = LAST_DETERMINER.search(before)
        if taken_back is None:
            continue
        start = said.start() - len(before) + taken_back.start()
        return message[:start] + message[said.end() :]
    return message


ANYWAY = re.compile(
    r"[,;.]?\s+(?:but |so |ok )?(?:anyway|anyways|anyhow)[,:-]?\s+"
    r"(?=(?:what|what's|whats|when|which|who|how|where|is|are|can|could|do|does|did)\b)",
    re.I,
)


def handed_over(message: str) -> str | None:
    """The question a long message hands over after an aside ("… quick q - how many opps …"), when it has one."""
    handed = list(QUESTION_HANDED_OVER.finditer(message))
    question = message[handed[-1].end() :].strip() if handed else ""
    if stop := re.search(r"[?!](?=\s|$)|\.(?=\s)|\n\s*\n", question):
        question = question[: stop.end()].strip()  # that one question: not the sign-off after it
    return question if len(question.split()) >= 4 else None


def anyway_asked(message: str) -> str:
    """'…, anyway what's the close date …?': the aside ends and the question starts a sentence of its own."""
    said = ANYWAY.search(message)
    if said is None or "?" in message[: said.start()]:
        return message
    question = message[said.end() :]
    return f"{message[: said.start()].rstrip(' ,;.')}. {question[:1].upper()}{question[1:]}"


ASKING_WORDS = r"what|what's|whats|when|which|who|how|where|is|are|can|could|do|does|did|any|give|show|list|pull|send"
"""words a question or request opens with, after a greeting by name"""


def without_self_intro(message: str, name: str) -> str:
    """The message without the asker naming themselves ("David here - …", "it's Rita, …") or being greeted by name
    at the top of a mail ("Alex,"): their own name is no one else to compare them with, nor a filter."""
    first = re.escape(name.split()[0]) if name.split() else ""
    if not first:
        return message
    intro = re.search(
        rf"^[^\w\n]*(?:(?:hi|hey|hello)[,!]?\s+)?(?:(?:it'?s|this is)\s+{first}(?:\s+here)?|{first}\s+here)\b"
        r"\s*[-,:\u2013\u2014.!]*\s*|"
        rf"^[ \t]*(?:(?:hi|hey|hello|dear)[ \t]+)?{first}[ \t]*[,!:][ \t]*\n|"  # "Alex," heading a mail to the asker
        rf"^\W*(?:(?:hi|hey|hello)[ \t]+)?{first}[ \t]*,[ \t]*(?=(?:{ASKING_WORDS})\b)|"  # "Erin, what's your …"
        rf"^[ \t]*(?:hi|hey|hello|dear)[ \t]+{first}[ \t]*[-\u2013\u2014,:!]+[ \t]*",  # "Hi Alex - for the deck …"
        message,
        re.I | re.M,
    )
    rest = message[: intro.start()] + message[intro.end() :] if intro else message
    return rest if intro and len(message[intro.end() :].split()) >= 3 else message


def meetings_named(message: str) -> str:
    """'how many meetings …, and how long were they': the meetings' length (which no record holds), not a sales
    cycle."""
    return THEY_THE_MEETINGS.sub(r"\1\2 the \1", message)


CONVERT_VERB = re.compile(r"\b((?:did|have|has|had) (?:i|we|you|they|he|she|[a-z]+)) convert\b(?! (?:rate|ratio))")
"""'how many leads did I convert': the leads converted"""


def _ones_are_records(said: re.Match[str]) -> bool:
    """'of my deals in Proposal, which ones haven't had a meeting': the ones are the records named before."""
    return said[0].startswith("which one") and RECORD_NOUNS.search(said.string[: said.start()]) is not None


def _fewest_logged(match: re.Match[str]) -> str:
    stretch = f" in the last {match[3]} {match[4]}" if match[3] else ""
    return f"who{match[1] or ''} has logged the fewest {match[2]}{stretch}"


UNTIL_THEN = re.compile(
    r"\b(?:between (?:now|today) and|until|till|before|by|up to|no later than|"
    r"(?:closing|close|closes|due|dated|landing)(?: to close)?) (then)\b",
    re.I,
)
A_DAY_SAID = re.compile(
    rf"\bbetween (?:{_MONTH_NAMES}) \d{{1,2}}(?: \d{{4}})? and (?:{_MONTH_NAMES}) \d{{1,2}}(?: \d{{4}})?|"
    rf"\b(?:(?:{_MONTH_NAMES})\.? \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH_NAMES}))\b",
    re.I,
)
"""a day, or a span of days, as the calendar phrases write it"""
SENTENCE_STOP = re.compile(r"[.!?;]\s+")


SPOKEN_FILLER = re.compile(r"(?:,\s*)?(?<![\w'])(?:u+m+|u+h+|uhm|erm+|hmm+)(?![\w'])(?:\s*,)?", re.I)
FILLER_LIKE = re.compile(r"\b(and|so|but|or|okay|ok|um)\s+like\b,?|(?<=,)\s*(?:like|you know)\s*,|^like,\s*", re.I)


def without_fillers(message: str) -> str:
    """A dictated or chatty message without its spoken fillers ("um so like, okay, how many calls did I, uh, log"),
    so its sentences read as the questions they are."""
    text = SPOKEN_FILLER.sub("", message)
    text = FILLER_LIKE.sub(lambda m: m[1] or "", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


_MONTH_WORD = rf"{MONTH_WORD}\.?"
WEEKDAY_BEFORE_DATE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+"
    rf"(?=(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_WORD}(?![a-z])|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
)
""""Monday 9 November", "Tue, Nov 10th": the date says the day; the weekday before it only names it again"""


GUESSED_CHOICE = re.compile(
    r"\s*(?:[-\u2013\u2014,:;(]\s*|\b(?:or|and) )?\b(?:was|is|were|are|will) (?:it|that|they|the (?:close date|"
    r"closing date|amount|value|date|stage|figure|number)) (?:on |for |in |at |set (?:to|for) |around |about )?"
    r"(?:the )?[\w.$/]+(?: [\w.$/]+){0,3}? or (?:on |the |was it |is it )?[\w.$/]+(?: [\w.$/]+){0,3}?"
    r"\s*(?:\?+|\)|$)"
)
""""what's the close date on the blue sun renewal - was it 3rd nov or nov 13th??": the person's guesses at the
answer, not two periods to compare (nor a value to set)"""
FIELD_ASKED_FIRST = re.compile(
    r"^[^?]{0,120}?\b(?:how (?:much|big)|when|(?:what(?:'s| is| was)?|which|who(?:'s| is)?)[^?]{0,80}?\b(?:close date|"
    r"closing date|amount|value|worth|stage|owner|contact|due|size|close|closing|signed|renewal))\b"
)
"""a question that asks one field first, before any guesses at it"""


def then_dated(message: str, today: date | None, cut: bool = True) -> str:
    """'The office shuts on December 19th. Which deals close between today and then?': 'then' is that day (or
    the span said last: 'late in December'); with ``cut``, from the sentence with 'then' when the one before it
    only gave the day."""
    then = UNTIL_THEN.search(message)
    if not then:
        return message
    before = message[: then.start(1)]
    sentence = max((m.end() for m in SENTENCE_STOP.finditer(before)), default=0)
    earlier = list(A_DAY_SAID.finditer(calendar_phrases(before[:sentence].lower(), today))) if sentence else []
    same = list(A_DAY_SAID.finditer(calendar_phrases(before[sentence:].lower(), today)))
    days = same or earlier
    if not days:
        return message
    start = sentence if cut and not same else 0
    return message[start : then.start(1)] + days[-1][0] + message[then.end(1) :]


def _joined_names(text: str, names: frozenset[str]) -> str:
    """'the ever green schools pilot' -> 'the evergreen schools pilot': a name word typed as two words."""
    if not names:
        return text

    def glue(pair: re.Match[str]) -> str:
        joined = pair[1] + pair[2]
        return pair[1] if joined in names and pair[1] not in names and len(joined) >= 6 else pair[0]

    return re.sub(r"\b([a-z]{2,}) (?=([a-z]{2,})\b)", glue, text)


def normalize(
    message: str, names: frozenset[str] = frozenset(), vocabulary: list[str] | None = None, today: date | None = None
) -> Normalized:
    """``names`` are lower-case words of record names (never corrected); ``vocabulary`` the CRM's own labels;
    ``today`` places holidays that move from year to year ('Labor Day')."""
    shouted = _is_shouted(message)
    own = WRITING_LEAD.sub("", then_dated(without_fillers(without_forwarded(message)), today).strip())
    asked, trimmed = _question_part(own.strip())
    trimmed = trimmed or own != message
    text = asked.lower().replace("’", "'")
    text = re.sub(r"\s+", " ", text)
    text = spelled_days(spelled_amounts(text))
    text = GUESSED_CHOICE.sub("?", text) if FIELD_ASKED_FIRST.search(text) else text
    text = _expand(text)
    text = SELF_CORRECTION.sub("", text)
    text = HEDGED_GUESS.sub("", text)
    text = KNOWN_ALREADY.sub("", text)
    text = re.sub(r"\b(?:wrap|wraps|wrapped|wrapping) up\b(?! (?:the|this|that|my|our))", "close", text)
    text = NEVER_FILLED_STEP.sub("have no next step", text)
    text = re.sub(r"\b(primary|main|key) contract\b", r"\1 contact", text)  # autocorrect's "primary contract"
    text = CONTACT_SET_AS.sub(r"who's the \1 contact", text)  # "which contact is set as primary"
    text = TALK_TO_ON_EACH.sub(r"who's the primary contact on \1", text)  # "who do i talk to on each"
    text = UNIT_STARTED.sub(r"this \1 so far", text)  # "since the quarter started on October 1st"
    text = re.sub(r"^(\W*)whose (?=(?:the|our|my) )", r"\1who's ", text)  # "whose the primary contact on …"
    text = re.sub(r"\b(what'?s|what is|and) there (?=(?:phone|number|e-?mail|title|cell|mobile)\b)", r"\1 their ", text)
    if re.search(r"\bthis month\b", text):
        text = re.sub(r",?\s*(?:like )?since the (?:1st|first)\b(?! of| quarter| week| call| meeting| time)", "", text)
    text = re.sub(r"(?:(?<=[.?!] )|^)(?:i mean|by that i mean|i\.e\.?|in other words|to be clear),?\s*", "", text)
    text = NOBODY_LOGGED.sub(lambda said: said[0] if _ones_are_records(said) else _fewest_logged(said), text)
    text = NOBODY_LOGGED_ASKED.sub(_fewest_logged, text)
    text = SO_I_CAN.sub("", text)
    text = re.sub(r"\bbrand[- ]new\b", "new", text)
    text = re.sub(
        r"\bhow many (?:dollars|bucks|\$)(?= (?:per|by|for|in|on|at|each|is|are|was|were|do|does|did|\?|$))",
        "how much",
        text,
    )
    text = OCCASION_WHEN.sub(r"\1", text)
    text = MEETING_WITH.sub(lambda m: _meeting_subject(m, text), text)
    text = re.sub(
        r"\b(?:originally |first )?(opened|created|added|logged) (?:way )?back (?=in |on |during )", r"\1 ", text
    )
    text = re.sub(
        r"\bwhich single (?=account|customer|company|rep|person|industry|region|stage|source|team)", "which ", text
    )
    text = re.sub(r"\bsince (?:before|prior to) (?=(?:the )?(?:start|beginning|\w+ \d|\w+\b))", "since ", text)
    text = re.sub(r"\b(?:lined|teed|queued|set) up (?=to (?:close|land|sign|renew)\b)", "", text)
    text = re.sub(r"\b(?:fall|falls|falling|fell) due\b", "due", text)
    text = SHOULD_HAVE_DONE.sub("any overdue tasks", text)
    text = re.sub(r"\s+(?:between|among|amongst) (?:them|those|these|the lot)(?: all)?\b", "", text)  # "… between them"
    text = re.sub(
        r"\b(my|our|the|all|all my|both my|both) (?:two|three|four|five|six|\d) (reps|sellers|people|aes)\b",
        r"\1 \2",
        text,
    )
    text = re.sub(
        r"\s*\((?:i\.?e\.? |so )?(?:the )?amount (?:times|x|\*|multiplied by) (?:the )?(?:stage )?probabilit(?:y|ies)"
        r"[^()]*\)",
        "",
        text,
    )  # "weighted pipeline (amount times stage probability on their open deals)"
    text = re.sub(r"\blongest[- ](?:standing|running|lived)\b", "oldest", text)
    text = CONVERT_VERB.sub(r"\1 converted", text)
    text = CONVERTING.sub("converted", text)
    text = re.sub(r"\b(?:a |one )?fortnight\b", "2 weeks", text)
    text = ON_THE_PHONE.sub(lambda m: f"{ON_THE_PHONE_VERB[m[1]]} {m[2]}", text)
    text = PICK_UP_THE_PHONE.sub(lambda m: {"pick": "call", "picking": "calling", "picks": "calls"}[m[1]], text)
    text = re.sub(r"\b(\d+(?:\.\d+)?) ?(?:grand|g)\b", r"\1k", text)
    text = re.sub(r"\b(since|from) new year'?s?(?: day)?\b", r"\1 january 1", text)
    text = WEEKDAY_BEFORE_DATE.sub("", text)
    text = calendar_phrases(text, today)
    text = SLASHED_PAIR.sub(r"\1 or \2", text)  # "prop/neg": either stage
    text = ACCOUNTS_FOR.sub(r"\1 has", text)
    text = AMOUNT_OR_LESS.sub(r"at most \1", text)
    text = AMOUNT_OR_MORE.sub(r"at least \1", text)
    text = re.sub(r"(?<=[a-z])-(sourced|based|led|driven|generated|stage|stages)\b", r" \1", text)
    text = _possessives(text, names)
    text = _joined_names(text, names)
    words = sorted({*DOMAIN_WORDS, *(w for label in vocabulary or [] for w in label.lower().split() if len(w) > 3)})
    text, corrections = _correct(text, names, words)
    return Normalized(text=text, original=message, corrections=corrections, shouted=shouted, trimmed=trimmed)
