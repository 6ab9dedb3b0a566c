"""Several questions in one message: "Which deals have slipped, and which have no next step?" asks for two lists,
not for the deals that are both. Each question is answered on its own, in order, so a later one can refine an
earlier answer ("And of those, …"). A part that only asks more about the same records ("… and what stage is each
in?", "Give me the count for each owner.") stays with the question it belongs to."""

import re
from collections.abc import Callable

from assistant.agent.brains.offline.understanding.normalize import (
    RECORD_NOUNS,
    sentences_of,
    then_dated,
    without_fillers,
    without_forwarded,
)

WH = (
    r"(?:which|what|what's|whats|how(?:'s| \w+)|who|who's|whose|when|where|are any|is any|are there|"
    r"is there|were any|was any|were there|was there|do i|do we|does|did|have i|has|any(?= with| without| that))"
)
IMPERATIVE = r"(?:list|show|give me|send me|tell me|pull|(?:i )?(?:also )?need|i'd like|can you|could you|would you)"
PARTITIVE_LEAD = r"(?:(?:of|out of|among) (?:those|these|them|that),?\s+)?"
JOINED_QUESTION = re.compile(
    rf",?\s+(?:and|also|plus|\+|&)\s+(?:also\s+)?"
    rf"(?={PARTITIVE_LEAD}(?:{WH}|{IMPERATIVE}|(?:then )?(?:the )?same for)\b)",
    re.I,
)
LISTED_QUESTION = re.compile(r",\s+(?=(?:how many|how much|what's|whats|which|who's|when)\b)", re.I)
""""Who's the contact on it, how many emails have I logged, and …": questions listed with commas"""
TOPIC = re.compile(r"^[^?]{0,80}?\s[-\u2013\u2014:]\s")
""""Sam's Weyland deal - what's the amount …": the topic named before the question"""
"""an "and" that starts a second question inside one sentence"""
LEAD = r"(?:and|also|plus|then|oh and|and also|ok and|please(?: also)?|separate thing|separately)"
ASKED_OUTRIGHT = re.compile(rf"^{LEAD}\W+{IMPERATIVE}\b", re.I)
""""And list the ones …": a request of its own, whatever it points at"""
WANTS_TO_KNOW = r"(?:i|we)(?: also| still| really)? (?:need|want|would like|'d like) to (?:know|see|find out)"
NEEDS = (
    r"(?:(?:i|we)(?: also| still| really| just)? (?:need|want|would like)|"
    r"(?:i|we)(?:'d| would) (?:also |still |really )?(?:like|love|need|want)|"
    r"need|want|would like|'d like|'d also like|would also like) "
    r"(?:the|a|an|my|our|each|both|his|her|their|its)"
)
"""'need the avg deal size for won deals in q3': what is wanted, said as a need"""
ASKING = re.compile(rf"^(?:{LEAD}\W+)?{WH}\b|{ASKED_OUTRIGHT.pattern}|^{WANTS_TO_KNOW}\b|^{NEEDS}\b", re.I)
"""a sentence that is a question of its own: a question word, or "and list …" (a bare "Give me the count for each
owner." says how to answer the question before it)"""
REQUEST = re.compile(r"^(?:please\s+)?(?:tell me|give me|send me|show me|list|pull up|remind me)\b", re.I)
"""'Tell me the date I last emailed her and …': a request said as an order"""
SPECIFIES = re.compile(
    r"\b(?:average|avg|mean|median|totals?|sum|number|count|percentages?|percent|share|each|both|per|in days|"
    r"figures?|numbers?|breakdown|split|instead|too|as well|"
    r"(?:a |the |my )?top (?:\d{1,2}|three|five|ten)(?: and why)?)\b",
    re.I,
)
"""'Give me the average in days.': how to answer the question before, not a question of its own"""
WH_ANYWHERE = re.compile(r"\b(?:what|what's|whats|when|who|who's|whose|which|how|where)\b", re.I)
ORDINAL = re.compile(
    r"^(?:(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|lastly|finally|last thing|one more thing|also|and|"
    r"plus|oh and|then|while (?:you're|you are|we're) (?:at it|in there)|while i have you|on top of that|"
    r"separately|unrelated|either way|anyway)\b[,:]?\s*)+",
    re.I,
)
""""Second, how many …": the lead-in that numbers a question is no part of it"""
NEGATED = (
    r"(?:can(?:no|')?t|cannot|can not|are unable to|is unable to|don'?t|do not|doesn'?t|does not|isn'?t|is not|"
    r"aren'?t|are not|hasn'?t|haven'?t|has no|have no|wasn'?t|won'?t)"
)
FALLBACK_CLAUSE = re.compile(
    rf"^\s*(?:but |and |so )?(?:if|in case) (?:[\w'$%-]+ ){{0,5}}?{NEGATED}\b[^,]*?(?:,\s*|\s+(?=(?:just|then|"
    r"at least|instead|otherwise|simply)\b))",
    re.I,
)
"""'if you can't do quota, just give me…': the fallback asked for, without the condition naming what is untracked"""
FALLBACK_LEAD = re.compile(
    rf"^(?:but |and |so )?(?:if|in case)\b[^,]{{0,80}}?\b(?:{NEGATED}|unable|not possible|no way)\b[^,]*,\s*"
    r"(?:(?:just|then|at least|instead|otherwise|simply)\s+)*|^either way,?\s*|"
    r"^(?:otherwise|failing that|if not),?\s+(?:(?:just|then|at least|simply)\s+)*|"
    r"^(?:at (?:a )?minimum|at the (?:very )?least|at least),?\s+(?=(?:tell|give|show|send|list|let)\b)|"
    + FALLBACK_CLAUSE.pattern,
    re.I,
)
""""If you can't get at that, at least tell me …": what follows is asked for (also "if the quota part isn't
possible, just …" and "either way, …")"""
NUMBERED = re.compile(r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|lastly|finally|last thing|one more thing)\b")
MIN_WORDS = 3
ELLIPTICAL_WORDS = 3
""""… and who is slowest": a question this short borrows the rest of the one before it"""
ANYTHING_ASKED = re.compile(
    r"^(?:and |also |but )*(?:is|are) (?:there )?(?:anything|any of (?:them|those)|any)\b", re.I
)
"""'… and is anything already overdue': a yes/no question of its own, however short"""
SUBJECT = re.compile(
    r"\b(?:my|our|the team's|his|her|\w+'s)\s+(?:\w+\s+){0,2}?"
    r"(?:deals|opportunities|opps|accounts|customers|contacts|leads|tasks)\b|"
    r"\b(?:open |won |lost |active )?(?:deals|opportunities|opps|accounts|leads) of (?:mine|ours)\b",
    re.I,
)
""""my open deals": the set the first question asks about"""
BARE_WHICH = re.compile(
    r"^(?:which|what)(?:\s+ones)?\b(?!\s+of\b)(?=\s+(?:are|is|have|has|had|were|was|do|does|did|fall|falls|come|"
    r"comes|close|closes|land|lands)\b)",
    re.I,
)
""""which ones have no next step": a second question about the first one's set, not about its answer"""
OWN_OBJECT = re.compile(
    r"\b(?:deals?|opportunit(?:y|ies)|opps?|accounts?|customers?|contacts?|leads?|tasks?|activities|calls|meetings|"
    r"emails|pipeline)\b",
    re.I,
)
""""which was the biggest deal I lost": a question that names what it asks about is not about the first one's set"""
THE_ONES = re.compile(r"\bthe ones\b(?= (?:that|which|with|without|where)\b)|^any\b(?= (?:with|without|that)\b)", re.I)
POINTS_BACK = re.compile(
    r"\b(?:those|these|(?<!with )(?<!from )(?<!to )(?<!about )them|(?:went|go|goes|gone|came|come|comes) with them|"
    r"they|their|it|its|that one|this one|the same|"
    r"each|both|"
    r"(?:is|was|are|were) that|(?:does|do|did|would|will) (?:that|those|these|this)(?= (?:break|split|compare|look|"
    r"stack|divide|spread))|"
    r"that(?:'s| is| was| were| are)|that (?:total|figure|number|amount|list)|the rest|what'?s left|the remaining|"
    r"the others|the ones (?:that are )?left)\b",
    re.I,
)
PARTITIVE = re.compile(
    r"(?<!\beach )(?<!\ball )(?<!\bboth )\b(?:of|among|from|out of)\s+"
    r"(?:those|these|them|'?em|that|that list|this list|the list)\b",
    re.I,
)
""""how many of them are in EMEA": a question that narrows the answer before it, not one that describes it"""

STAT = (
    r"(?:average|avg|mean|median|total|sum|min(?:imum)?|max(?:imum)?|lowest|highest|biggest|largest|smallest|"
    r"oldest|newest|earliest|latest)"
)
STAT_ONLY = re.compile(
    rf"^(?:(?:and|also|plus|or)\s+)?(?:what(?:'s| is| was| about)\s+|how about\s+)?(?:the\s+|their\s+|its\s+)?"
    rf"{STAT}(?:\s+(?:one|value|figure|number|then|too))?\s*[?.!]*$",
    re.I,
)
""""and what's the median?" after an average: the same question with another statistic, over the same records"""
TWO_STATS = re.compile(
    rf"\b(?:the\s+)?({STAT})((?:\s*,\s*(?:the\s+)?{STAT})*)\s*,?\s+(?:and|&|as well as|plus)\s+(?:also\s+)?"
    rf"(?:the\s+)?({STAT})\b",
    re.I,
)
""""the average and median amount of my won deals": one question for each statistic"""

ENDS = {"small": r"smallest|lowest|tiniest", "big": r"biggest|largest|highest", "old": r"oldest|earliest",
        "new": r"newest|latest|most recent"}  # fmt: skip
OPPOSITE = {"small": "big", "big": "small", "old": "new", "new": "old"}
END_WORD = "|".join(ENDS.values())
OTHER_END = re.compile(
    rf"\b(?P<a>{END_WORD})\b(?P<mid>[^?.!]{{1,60}}?)\s+(?:and|&|plus|as well as)\s+(?:also\s+)?"
    rf"(?:(?:my|the|our|his|her|their)\s+)?(?P<b>{END_WORD})(?:\s+(?:one|deal|opp|opportunity))?\b",
    re.I,
)
""""my smallest open deal and my biggest one": the same question asked of each end, each answered on its own"""

EITHER_CONDITION = re.compile(
    r"^(?P<head>.+?)\b(?P<joint>with|without|that have|that has|which have|which has|that are missing|"
    r"which are missing|are missing|missing|lacking|have|has|having|where)\s+"
    r"(?P<a>.+?),?\s+or\s+(?:(?:ones |those |deals |any )?(?P<own>with|without|that|which|where|whose|"
    r"(?:that |which )?(?:don't|doesn't|do not|does not) have(?: an?)?|(?:that |which )?(?:have|has) no|"
    r"(?:that |which )?(?:are )?missing)\s+)?(?P<b>.+)$",
    re.I,
)
""""open deals with no close date, or a close date already behind us": two sets asked for, each its own list"""
FIELD_CONDITION = re.compile(
    r"\b(?:close dates?|next steps?|primary contacts?|contacts?|amounts?|activity|activities|e-?mails?|phones?|"
    r"overdue|behind us|(?:already )?passed|slipped|past due|past (?:their|its|the) close)\b",
    re.I,
)


KIND_LISTED = re.compile(r"(?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?)\b(?!\s+(?:address|on file))", re.I)


def _either_condition(question: str) -> list[str]:
    either = EITHER_CONDITION.match(question)
    if either is None or not (FIELD_CONDITION.search(either["a"]) and FIELD_CONDITION.search(either["b"])):
        return [question]
    if KIND_LISTED.match(either["b"]):  # "no call, email, meeting or note": kinds of activity listed, one set
        return [question]
    head, joint = either["head"], either["joint"]
    return [f"{head}{joint} {either['a'].rstrip(' ,')}", f"{head}{either['own'] or joint} {either['b']}"]


def _end_of(word: str) -> str | None:
    return next((end for end, pattern in ENDS.items() if re.fullmatch(pattern, word, re.I)), None)


def _each_end(question: str) -> list[str]:
    ends = OTHER_END.search(question)
    if ends is None or OPPOSITE.get(_end_of(ends["a"]) or "") != _end_of(ends["b"]):
        return [question]
    first = question[: ends.start()] + ends["a"] + ends["mid"] + question[ends.end() :]
    second = question[: ends.start()] + ends["b"] + ends["mid"] + question[ends.end() :]
    return [first, second]


def _each_stat(question: str) -> list[str]:
    both = TWO_STATS.search(question)
    if both is None:
        return [question]
    stats = list(dict.fromkeys(m[0].lower() for m in re.finditer(STAT, both[0], re.I)))
    if len(stats) < 2:
        return [question]
    article = "the " if both[0].lower().startswith("the ") else ""
    return [question[: both.start()] + article + stat + question[both.end() :] for stat in stats]


FOR_EACH_END = re.compile(
    r"\b(?:for |of |on )?(?:each|both|every one)(?: of (?:them|those|these|the two))?\W*$|"
    r"\bfor (?:them|those|these|the two)(?: both| all)?\W*$",
    re.I,
)
""""I want the won dollars and the number of wins for each.": how to answer the question before, for its sides"""


COUNT_AFTER_A_CLAUSE = re.compile(r"^[^?]{3,100}?[,:]\s*how (?:many|much)\b", re.I)
""""and meetings too, how many of those": a count asked after the words that say what of"""


def _asks(sentence: str) -> bool:
    bare = sentence.lstrip()
    wants_for_each = re.match(NEEDS, bare, re.I) and FOR_EACH_END.search(bare) and SPECIFIES.search(bare)
    if wants_for_each and not bare.rstrip().endswith("?"):
        return False
    asked = sentence.endswith("?") or bool(ASKING.search(bare)) or bool(NUMBERED.search(bare.lower()))
    asked = asked or bool(ASKED_AFTER_A_CLAUSE.search(bare)) or bool(ANYTHING_ASKED.match(bare))
    asked = (
        asked or bool(REQUEST.search(bare) and not SPECIFIES.search(bare)) or bool(COUNT_AFTER_A_CLAUSE.search(bare))
    )
    return asked or bool(FALLBACK_LEAD.search(bare))


STATEMENT = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|right|hey|hi|um+|uh+|er+m?)\W+)*(?:i'?m|i am|i'?ve|i have|i was|we'?re|we are|"
    r"we'?ve|i'?ll|i will|we'?ll|heading|on my way|just (?:got|had|finished|came))\b",
    re.I,
)
""""I'm on my way over to Krusty Foods right now, and I need to know …": telling, not asking"""


BOTH_CONDITIONS = re.compile(
    r"\b(?:that|which|who)(?:'s| is| are|'re| has| have)? (?:\w+ )?both\b"
    r"(?!\s+(?:of|deals|lists|teams|reps|sides|groups|periods|figures|numbers)\b)",
    re.I,
)
""""that's both past its close date and …": one record meeting two conditions, asked as one question"""


def _clauses(sentence: str) -> list[str]:
    """A sentence split where "and" starts a new question, when the part before it asks too; and where questions
    are listed with commas, when the first of them starts as a question ("For each rep, what's …" is one)."""
    parts = JOINED_QUESTION.split(sentence)
    if len(parts) == 2 and BOTH_CONDITIONS.search(parts[0]):
        parts = [sentence]  # "a deal that's both past its close date and has an overdue task": one set, two filters
    first = parts[0].strip()
    first_asks = _asks(ORDINAL.sub("", first)) or not STATEMENT.match(first) or WH_ANYWHERE.search(first) is not None
    if len(parts) < 2 or len(parts[0].split()) < MIN_WORDS or not first_asks:
        parts = [sentence]
    listed = LISTED_QUESTION.split(parts[0])
    first = TOPIC.sub("", ORDINAL.sub("", listed[0].strip()))
    if len(listed) > 1 and ASKING.search(first):
        parts = [*listed, *parts[1:]]
    return parts


PLUS_QUESTION = re.compile(r"\?\s*\+\s*#\s*")
PLUS_AFTER_QUESTION = re.compile(r"\?\s*\+\s*(?=\w)")
""""won $ this q? + # opps in negot": a second question added with a plus sign, counting something"""
ASKED_AFTER_A_CLAUSE = re.compile(
    r"^(?:for|of|among|out of|on|with) [^,]{3,60},\s*(?:please\s+)?"
    r"(?:give me|list|show(?: me)?|tell me|send me|pull)\b",
    re.I,
)
""""For the ones that do have one, give me the name and the number.": a request after the records it is about"""
THE_WORKING = re.compile(
    r"\b(?:totals?|figures?|numbers?|base|denominators?) (?:you|it|that you) (?:divided|used|worked|based)\b|"
    r"\bshow (?:your|the|me your|me the) (?:working|workings|math|maths|sums)\b|"
    r"\b(?:is|was|are|were) (?:that|this|the|those|these) (?:average|figure|number|median|rate|total|mean)s? "
    r"(?:based|built|worked out|computed|calculated) (?:on|over|from)\b",
    re.I,
)
""""Please show the totals you divided by.": how the question before is to be answered, not a question of its own"""
LAST_TOUCH_OF_THEM = re.compile(
    r"^\W*(?:and |also |plus )?when (?:did|was|were|have) (?:i|we|they|those|these|them)(?: last| most recently)? "
    r"(?:(?:log|logg|touch|work|do|update|record)\w*(?: anything| something| an activity)?(?: on| with)? "
    r"(?:those|them|these|it|each(?: one)?)|(?:last )?(?:touched|worked(?: on)?|updated))"
    r"(?: last)?\W*$",
    re.I,
)
"""'… and when did I last log anything on those?': each listed record already shows its last activity"""
POINTING_WORDS = 8
"""a question points back when it says so early ("what's their total"), not in a clause of its own further on"""


OWN_SUBJECT_ITS = re.compile(r"^\W*(?:(?:and|or)\s+)?which (?:one|deal|opp|account|lead|contact)\b(?! of)", re.I)
""""… and which one is sitting past its close date": "its" is that one's own, not the answer's before"""


def points_back(question: str) -> bool:
    """Whether a question reads over what was answered just before it ("of those", "their total", "it")."""
    opening = " ".join(question.split()[:POINTING_WORDS])
    if OWN_SUBJECT_ITS.search(opening):
        opening = re.sub(r"\bits\b", "", opening, flags=re.I)
    return bool(POINTS_BACK.search(opening))


BARE_WH = re.compile(
    r"^\W*(?:(?:and|or|but|if so)\W+)?(?:who|what|when|why|where|which(?: one)?|how|who else|by whom|with whom|"
    r"to whom)\W*$",
    re.I,
)
"""'… did they renew with someone else, and who?': the bare question word goes with the part before it"""


OPENING_REQUEST = re.compile(
    r"^\W*(?:[^-\u2013\u2014:?.!]{3,80}\s[-\u2013\u2014:]\s+)?(?:please\s+)?(?:rank|sort|order|list|show(?: me)?|"
    r"give me|pull(?: up)?|compare|break down|count|total up|sum up|find|flag|check)\b",
    re.I,
)
"""a message that opens with a request ("Rank our accounts by …. Also, how many …"): the first thing it asks"""


LEADER_ASKED = re.compile(
    r"^\s*(?:so |and |ok )?(?:who|which (?:rep|person|seller|one|of my reps))(?:'s| is| was| has| had)?\b[^?]*"
    r"\b(?:top|most|best|biggest|highest|fewest|least|lowest|worst)\b",
    re.I,
)
THEIR_STAT = re.compile(
    r"\b(?:their|his|her)\s+(?:average|avg|mean|median|total|typical|biggest|largest|smallest|win rate|pipeline)\b",
    re.I,
)
"""'who's the top performer by deals won, and what's their average deal size': the leader's figure, asked apart"""


THEIR_CONTACTS = re.compile(
    r"^\W*(?:and\s+)?(?:who|what) (?:were|are|was|is) the (?:primary |main |key )?(?:contacts?|people|buyers?)"
    r"(?: (?:on|for) (?:each|them|those|these|it))?\W*$",
    re.I,
)
"""'… and who were the contacts': the contact of each record just asked for, not a question of its own"""


ONE_PICKED = re.compile(
    r"\bwhich (?:(?:one|deal|opp|account)\b|(?:of )?(?:my |our |the |his |her |their )?(?:\w+ ){0,2}"
    r"(?:deals|opps|accounts) (?:has|is|was)\b)|\b(?:that one|that deal|this deal|the deal)\b",
    re.I,
)
LOGGED_ON_IT = re.compile(
    r"\b(?:open |overdue |any )?(?:tasks?|to-?dos?|meetings?|calls?|notes?|e-?mails?) (?:on|for|against|attached to) "
    r"(?:it|that one|that deal|this one)\b",
    re.I,
)
""""Which of my deals has gone longest without a call? Is there an open task on it?": the one record picked, then
what is logged on it, asked apart"""


QUESTION_WORD = re.compile(r"^(?:When|What|Which|Who|Whose|How|Is|Are|Was|Were|Do|Does|Did|Has|Have|Can|Could)\b")


def _joined(question: str, more: str) -> str:
    """ "Which deal … and when was it last touched": a part that asks more about the same records, kept with them."""
    return f"{question.rstrip(' ?.')} and {QUESTION_WORD.sub(lambda word: word[0].lower(), more)}"


def separate_questions(message: str, apart: Callable[[str], bool] = lambda _: False) -> list[str]:
    """The questions a message asks, each as its own sentence; one item when it asks one thing. A question that
    only asks more about the records of the one before it is kept with it, unless ``apart`` says otherwise."""
    own = then_dated(
        without_fillers(without_forwarded(message)), None, cut=False
    )  # "… close late in December. List the ones closing then."
    plussed = PLUS_AFTER_QUESTION.sub("? ", PLUS_QUESTION.sub("? how many ", own))
    sentences = sentences_of(plussed)
    asked = [s for index, s in enumerate(sentences) if _asks(s) or (index == 0 and OPENING_REQUEST.match(s))]
    if not asked and len(sentences) == 1 and WH_ANYWHERE.search(sentences[0]):
        asked = sentences  # "abt to ring diego - whats his # and when did i last call him": one ask
    pieces: list[str] = []
    shown_already = False
    for clause in (clause for sentence in asked for clause in _clauses(sentence)):
        piece = ORDINAL.sub("", FALLBACK_LEAD.sub("", clause.strip())).strip(" ,;")
        if len(piece.split()) < MIN_WORDS and not pieces:
            continue
        if pieces and BARE_WH.match(piece):
            pieces[-1] = _joined(pieces[-1], piece)
            continue
        if pieces and THE_WORKING.search(piece):
            shown_already = True  # every figure's answer shows what it was computed over
            continue
        if pieces and LAST_TOUCH_OF_THEM.match(piece):
            shown_already = True  # every listed record shows its last activity
            continue
        outright = ASKED_OUTRIGHT.search(clause.strip())
        apart_from_last = outright or apart(piece) or (pieces and apart(pieces[-1]))
        short = len(piece.split()) <= ELLIPTICAL_WORDS
        of_their_accounts = bool(pieces) and deals_of_accounts_asked(pieces[-1], piece)
        kept_apart = (
            ANYTHING_ASKED.match(piece)
            or PARTITIVE.search(piece)
            or (COUNT_OF_THEM.search(piece) and not points_back(piece))
            or STAT_ONLY.search(piece)
            or SAME_FOR.search(piece)
            or apart_from_last
            or of_their_accounts
        )
        kept_apart = kept_apart or (bool(pieces) and LEADER_ASKED.search(pieces[-1]) and THEIR_STAT.search(piece))
        kept_apart = kept_apart or (bool(pieces) and ONE_PICKED.search(pieces[-1]) and LOGGED_ON_IT.search(piece))
        if pieces and (points_back(piece) or short or THEIR_CONTACTS.match(piece)) and not kept_apart:
            pieces[-1] = _joined(pieces[-1], piece)
            continue
        pieces.append(piece[0].upper() + piece[1:])
    if not pieces:
        pieces = [ORDINAL.sub("", message.strip())] if len(sentences) == 1 else []
    pieces = [_the_field_named(piece, pieces[index - 1]) if index else piece for index, piece in enumerate(pieces)]
    subject = SUBJECT.search(pieces[0]) if len(pieces) > 1 else None
    if subject is not None:
        about = subject[0]
        pieces[1:] = [
            piece if OWN_OBJECT.search(piece) else THE_ONES.sub(about, BARE_WHICH.sub(f"Which of {about}", piece))
            for piece in pieces[1:]
        ]
    pieces = [part[0].upper() + part[1:] for piece in pieces for end in _each_end(piece) for stat in _each_stat(end)
              for part in _either_condition(stat)]  # fmt: skip
    spelled_out = _trend_spelled_out(pieces)
    shown_already = shown_already or len(spelled_out) < len(pieces)  # "Am I generating as much …? How many …"
    pieces = _shared_tail(spelled_out)
    return pieces if len(pieces) > 1 or (shown_already and pieces) else [message]


TREND_ASKED = re.compile(
    r"^(?:are|is|am|have|has)\b[^?]*\b(?:drying up|slowing(?: down)?|picking up|growing|shrinking|trending (?:up|down)|"
    r"getting (?:better|worse)|improving|declining|speeding up|on the rise|falling off|"
    r"as (?:much|many|well)\b[^?]*\bas (?:before|usual|last \w+|we used to|i used to|ever))\b",
    re.I,
)
COMPARED = re.compile(r"\b(?:versus|vs\.?|compared? (?:to|with)|against|than)\b", re.I)
BARE_HOW_MANY = re.compile(r"^(how many)\s+(?=(?:came|were|got|have|has|did|are|do|new)\b)", re.I)


def _trend_spelled_out(pieces: list[str]) -> list[str]:
    """'Are new leads drying up? How many came in this month versus last month?': the comparison answers the trend
    question, about the records it named."""
    if len(pieces) != 2 or not TREND_ASKED.match(pieces[0]) or not COMPARED.search(pieces[1]):
        return pieces
    noun = RECORD_NOUNS.search(pieces[0])
    if RECORD_NOUNS.search(pieces[1]) or noun is None:
        return pieces[1:] if RECORD_NOUNS.search(pieces[1]) else pieces
    return [BARE_HOW_MANY.sub(lambda m: f"{m[1]} {noun[0].lower()} ", pieces[1], count=1)]


ACCOUNTS_ASKED = re.compile(r"\b(?:accounts|customers|companies|clients)\b", re.I)
DEALS_WORDS = re.compile(r"\b(?:deals?|pipeline|pipe|opportunit(?:y|ies)|opps?|revenue)\b", re.I)


def deals_of_accounts_asked(before: str, piece: str) -> bool:
    """ "How many Healthcare accounts do we have, and what's their open pipeline?": a question about the accounts,
    then one about their deals, each answered (the second over the accounts the first found)."""
    return bool(ACCOUNTS_ASKED.search(before) and not DEALS_WORDS.search(before) and DEALS_WORDS.search(piece))


HAVE_ONE = re.compile(r"\b(?:do|does|did|that|which|who) (?:have|has|had) one\b", re.I)
MISSING_ONE = re.compile(
    r"\b(?:missing|without|lacking|with no|have no|has no) (?:a |an |any )?"
    r"((?:phone|mobile|e-?mail|next step|close date)"
    r"(?: numbers?| address(?:es)?)?)\b",
    re.I,
)


def _the_field_named(piece: str, before: str) -> str:
    """ "Are any missing a phone number? For the ones that do have one, …": the one is a phone number."""
    field = MISSING_ONE.search(before)
    if field is None or not HAVE_ONE.search(piece):
        return piece
    return HAVE_ONE.sub(lambda said: said[0].rsplit(" ", 1)[0] + f" a {field[1]}", piece, count=1)


BARE_COUNT = re.compile(r"^(?:how many|how much|number of)\s+[\w-]+\W*$", re.I)
COUNT_WITH_TAIL = re.compile(r"^(?:how many|how much|number of)\s+[\w-]+\s+(.{3,})$", re.I)


def _shared_tail(pieces: list[str]) -> list[str]:
    """ "How many calls and how many emails did I log last week": the first count shares the second's "did I log
    last week"."""
    shared = list(pieces)
    for index, piece in enumerate(pieces[:-1]):
        tail = COUNT_WITH_TAIL.match(pieces[index + 1].rstrip(" ?."))
        if BARE_COUNT.match(piece) and tail:
            shared[index] = f"{piece.rstrip(' ?.')} {tail[1]}?"
    return shared


SET_AGAINST_IT = re.compile(
    r"^\W*(?:and |so |ok,? )?how (?:does|do|did|would) (?:that|this|it|those|these) (?:\w+ )?"
    r"(?:stack up|compare|measure up|fare|look|line up) (?:against|to|with|next to|versus|vs\.?)\b",
    re.I,
)
""""… and how does that stack up against the East team's average?": the answer before, set against another"""


COUNT_OF_THEM = re.compile(
    r"^\W*(?:(?:and|also|so)\s+)?how many (?:were|are|was|is|came|had|have|did|do)\b(?! (?:i|we|you|they|he|she)\b)",
    re.I,
)
""""… win this year, and how many were via a reseller?": a count with no object of its own counts the set before"""


SAME_FOR = re.compile(r"^\W*(?:and\s+)?(?:then\s+)?(?:do\s+)?(?:the\s+)?same (?:for|with|on|about)\b", re.I)
""""…, and the same for deals lost": the question before, asked again about something else"""


WORTH_OF_IT = re.compile(
    r"^\W*(?:(?:and|also|so|plus)\s+)?(?:what(?:'s| is| are| do| does)|how much (?:is|are|do|does))\s+"
    r"(?:that|those|these|they|it|them)\s+(?:all\s+)?(?:worth|add up to|come to|total|amount to|sum to)\b|"
    r"^\W*(?:(?:and|also|so|plus)\s+)?how (?:many dollars|much money|much in dollars|much value|many \$)"
    r"(?![^?]*\b(?:deals?|opps?|opportunit\w*|pipeline|leads?)\b)",
    re.I,
)
""""…, and what's that worth all together": the figure of the set the question before counted"""


COUNT_THEM = re.compile(
    r"^\W*(?:(?:and|also|then|plus)\s+)?(?:tell me |give me |say )?(?:how many (?:there are|are there|that is|"
    r"that makes|in total|all told|altogether)|the count|a count|the total count)\W*$",
    re.I,
)
""""…, and tell me how many there are": the count of the records the question before lists"""


def refines(question: str) -> bool:
    """Whether a question narrows or re-asks the answer just before it ("of those, …", "how many of them …",
    "the same for the losses", "what's that worth")."""
    return bool(
        COUNT_THEM.search(question)
        or WORTH_OF_IT.search(question)
        or SAME_FOR.search(question)
        or PARTITIVE.search(question)
        or STAT_ONLY.search(question)
        or SET_AGAINST_IT.search(question)
        or COUNT_OF_THEM.search(question)
    )
