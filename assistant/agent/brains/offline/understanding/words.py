"""The words each part of a query is read from. Patterns run on lower-cased, normalised text."""

import re


def words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


FOLLOW_UP_NOUN = (
    r"(?<!to )(?<!can )(?<!i )(?<!we )(?<!will )(?<!and )(?<!please )(?<!should )(?<!must )"
    r"follow[- ]?ups?(?! (?:with|on|them|him|her|it)\b)"
)
"""'a follow-up task', 'my follow-ups' - not the verb in 'so I can follow up with them'"""
WHATS_DUE = (
    r"(?:(?<=what's )|(?<=whats )|(?<=what is )|(?<=anything )|(?<=everything )|(?<=stuff )|(?<=got )|"
    r"(?<=\bhave )|(?<=\bhas ))"
    r"due(?! to (?:close|sign|renew|land|go live))"
)
"""'what's due from me', 'anything due today': tasks ('due to close' is a deal's close date)"""
PHONE_TIME = r"on the phone(?: with (?:customers|clients|prospects|people|buyers|them))?"
"""'who was on the phone with customers more': calls"""
OBJECTS: dict[str, re.Pattern[str]] = {
    "tasks": words(
        r"tasks?", r"to-?dos?", FOLLOW_UP_NOUN, r"reminders?", r"action items?", r"commitments?",
        r"promised", r"committed to", r"promises? (?=i|we)", WHATS_DUE,
    ),
    "leads": words(r"leads?(?! sources?)", r"prospects?", r"inbound"),
    "activities": words(
        r"activit(?:y|ies)", r"calls?", r"(?<!their )(?<!his )(?<!her )e-?mails?(?! address)", r"meetings?", r"notes?",
        r"touch ?points?", r"interactions?", r"touches", PHONE_TIME,
    ),
    "contacts": words(
        r"contacts?", r"(?<!chase )(?<!chasing )(?<!nudge )(?<!nudging )(?<!ping )(?<!pinging )(?<!remind )people",
        r"persons?", r"stakeholders?",
        r"who(?= (?:haven't|have not|hasn't|has not|didn't|did not) (?:i|we|you|anyone|anybody) (?:spoken|talked|"
        r"reached|been in touch|called|e-?mailed|contacted|heard|met)\b)",
    ),
    "accounts": words(r"accounts?", r"customers?", r"compan(?:y|ies)", r"clients?", r"logos?", r"organi[sz]ations?"),
    "deals": words(
        r"deals?", r"opportunit(?:y|ies)", r"opps?", r"pipelines?", r"pipe", r"business",
        r"revenue", r"sales", r"renewals?",
    ),
}  # fmt: skip
ACTIVITY_TYPES: dict[str, re.Pattern[str]] = {
    "call": words(r"calls?", r"phone calls?", PHONE_TIME),
    "email": words(r"e-?mails?"),
    "meeting": words(r"meetings?"),
    "note": words(r"notes?"),
}
MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("win_rate", words(r"win[- ]?rates?", r"win ratio", r"how often (?:did|do|have|has) (?:we|i|you|they|he|"
                       r"she|\w+) (?:win|won|close[- ]?win|close[- ]?won|come out ahead|come out on top)",
                       r"come out on top", r"close rate", r"closing rate", r"hit rate", r"win %",
                       r"win percentage", r"success rate", r"strike rate", r"conversion to won", r"batting average",
                       r"(?:share|percentage|percent|proportion|fraction) (?:\w+ ){0,6}(?:did|do|have|has) \w+ win",
                       r"(?:share|percentage|percent|proportion|fraction) (?:\w+ ){0,3}(?:won|win)\b"
                       r"(?! (?:revenue|deals? (?:came|come|were|was|is|are|from)|business|dollars|amount|"
                       r"bookings|money|pipeline|value|sales))")),
    ("conversion_rate", words(r"conversion(?: rate)?s?", r"lead[- ]to[- ](?:customer|deal|opportunity|opp|win)"
                              r"(?: conversion)? (?:rate|ratio|percentage|%)", r"convert(?:s|ed|ing)? rate",
                              r"conversion ratio",
                              r"turn(?:s|ing)? (?:the )?(?:\w+ ){0,5}?(?:leads? )?into "
                              r"(?:conversions?|customers|deals|opportunities|opps)",
                              r"converts? (?:best|worst|most|least)",
                              r"converts? (?:the )?(?:fewest|most|least|lowest|highest|smallest|biggest)"
                              r"(?= (?:\w+ )?(?:of|share|proportion|percentage|fraction)\b)",
                              r"convert(?:s|ed|ing)? (?:leads? )?at (?:the |a )?(?:(?:lowest|highest|best|worst|"
                              r"poorest|weakest|strongest|top|bottom) )?rate",
                              r"convert(?:s|ed|ing)?(?=\s.*\b(?:share|percentage|proportion|fraction)\b)",
                              r"(?:share|percentage|percent|proportion|fraction) (?:\w+ ){0,6}(?:converted|convert)")),
    ("median", words(r"median", r"middle")),
    ("avg", words(r"average", r"avg", r"mean", r"typical(?:ly)?", r"on average")),
    ("distinct", words(r"(?:how many )?(?:different|distinct|unique|separate(?! (?:numbers?|figures?|counts?|totals?|"
                       r"lines?|ones|things?|questions?|notes?|matters?|issues?)\b))")),
    ("sum", words(r"how many (?:dollars|bucks|euros|pounds)", r"how many \$")),
    ("count", words(r"how many", r"number of", r"counts?(?: of| only)?", r"just (?:the )?(?:counts?|numbers)", r"# of",
                    r"no\. of", r"how much of .* count")),
    ("sum", words(r"how much", r"total(?:s|led)?", r"sum(?: of)?", r"summed(?: up)?", r"summing(?: up)?",
                  r"worth", r"value of", r"combined",
                  r"riding on", r"at stake", r"on the line", r"tied up in", r"money in",
                  r"in total", r"tally", r"amount of")),
]  # fmt: skip
SUPERLATIVE_MAX = words(r"biggest", r"largest", r"highest", r"max(?:imum)?", r"most valuable", r"top", r"best",
                        r"greatest", r"(?:cost|costs|costed|hurt|hurts) (?:me |us |them |him |her )?(?:the )?more",
                        r"(?:bigger|larger|worth more)(?= one\b|\W*$| of (?:the|those|these|them)\b)",
                        r"most")  # fmt: skip
SUPERLATIVE_MIN = words(r"smallest", r"lowest", r"min(?:imum)?", r"(?<!at )least", r"cheapest", r"worst", r"fewest",
                        r"bottom", r"weakest", r"thinnest", r"lightest", r"emptiest",
                        r"(?:furthest|farthest) behind", r"trailing", r"lagging")  # fmt: skip
OLDEST = words(
    r"oldest",
    r"earliest",
    r"longest[- ]running",
    r"first created",
    r"(?:been )?waiting (?:the )?longest",
    r"(?:been )?(?:sitting|sat|open|stuck|around|alive|kicking around|hanging around)(?: open| around)? (?:the )?"
    r"longest",
    r"longest[- ]waiting",
    r"(?<=open )(?:the )?longest",
    r"(?<=open for )(?:the )?longest(?: time)?",
    r"counting from (?:when|the day) (?:it was|they were|each was) (?:created|opened|added)",
)
LATEST_CLOSE = words(
    r"furthest (?:out|away|off)",
    r"latest (?:close|closing)(?: date)?",
    r"last to close",
    r"furthest in the future",
    r"closes? (?:the )?last",
)
NEWEST = words(r"newest", r"latest", r"most recent(?:ly)?", r"last (?:one )?(?:created|added)", r"freshest")
SOONEST_FIRST = words(r"soonest first", r"earliest first", r"nearest first",
                      r"(?:soonest|earliest|nearest)(?: one| ones)? (?:at|on) (?:the )?top")  # fmt: skip
SOONEST = words(
    r"soonest",
    r"next to close",
    r"closest",
    r"first to close",
    r"(?:due |set |expected |going )?to close first",
    r"closes? first",
)
BY_CLOSE = words(
    r"(?:in|into) (?:\w+ )?clos(?:e|ing)[- ]dates? order",
    r"(?:with )?(?:their|the|its) clos(?:e|ing) dates?,? (?:the )?(?:earliest|soonest|nearest|oldest) first",
    r"(?:sort|order|rank|arrange|list)(?:ed)? (?:\w+ ){0,2}by (?:the |their |its )?(?:expected )?clos(?:e|ing) dates?",
    r"(?:re-?)?(?:sort|order|rank|arrange)(?:ed)? (?:those|these|them|the list)(?: same)?(?: \w+)? by "
    r"(?:the |their |its )?(?:expected )?clos(?:e|ing) dates?",
    r"(?:sort|order|rank|arrange|list)(?:ed)? (?:\w+ ){0,3}by (?:how soon|when) (?:[\w']+ ){0,3}(?:close|closing|due)",
    r"(?:put|place|sort|arrange|list|show) (?:\w+ ){0,2}in (?:the )?order of (?:the |their |its )?(?:expected )?"
    r"clos(?:e|ing) dates?",
    r"^\W*(?:(?:ok|okay|and|now|then|so)\W+){0,2}(?:(?:but |now )?by|sorted by|ordered by) (?:the |their |its )?"
    r"(?:expected )?clos(?:e|ing) dates?\W*$",
)
BY_AMOUNT = words(
    r"^\W*(?:(?:ok|okay|and|now|then|so)\W+){0,2}(?:(?:but |now )?by|sorted by|ordered by) (?:the )?"
    r"(?:amount|size|value|"
    r"deal size)\W*$",
    r"(?:sort|order|rank|arrange|list)(?:ed)? (?:\w+ ){0,2}by (?:the |their |its )?(?:amount|size|value|deal size)",
    r"(?:put|place|sort|arrange|list) (?:\w+ ){0,2}in order of (?:the )?(?:amount|size|value|deal size)",
    r"(?:largest|biggest|highest) (?:on top|at the top|first)",
)
BY_AGE = words(
    r"(?:sort|order|rank|arrange|list)(?:ed)? (?:\w+ ){0,2}by (?:the |their |its )?(?:age|created date|creation date)"
)
QUICKEST = words(r"quickest", r"fastest", r"shortest", r"speediest", r"sooner", r"quicker", r"faster")
SLOWEST = words(r"slowest", r"longest", r"takes? the longest", r"slower")
_OWNED = r"(?:my |our |the |their |all |open |\w+'s )*"
AGE = words(
    r"(?:deal|lead|opportunity|pipeline) ages?",
    rf"ages?(?= of {_OWNED}(?:open )?(?:deals|opportunities|opps|leads|pipeline)\b)",
    rf"how old(?= (?:are|is) {_OWNED}(?:deals?|opportunit(?:y|ies)|opps?|leads?|pipeline)\b)",
    r"days? old", r"how long(?= (?:have|has|had) (?:[\w']+ ){0,4}been open)",
    r"(?<=been open )(?:for )?how long", r"been open",
    r"days? (?:since|from) (?:they were |it was )?(?:created|opened)",
)  # fmt: skip
ACCOUNT_SIZE = words(
    r"employees?", r"employee (?:count|numbers?|total)", r"head ?count", r"staff(?: count| size| numbers?)?",
    r"company size", r"how many (?:people|staff) (?:work|are)",
)  # fmt: skip
"""an account's size in people, which its card shows ("how many employees does Hooli have")"""

SINCE_ACTIVITY = words(
    r"days? since (?:the |their |its )?last (?:activity|touch|contact|interaction|call|e-?mail|meeting)",
    r"how long since (?:the |their |its )?last (?:activity|touch|contact|interaction)",
)  # fmt: skip
NEXT_DUE = words(r"next (?:open )?(?:task|to-?do|follow-?up task)s?(?: (?:coming up|due|up))?")
"""the open task due soonest ("what's the next task coming up on my list")"""
LONGEST_QUIET = words(
    r"(?:gone|been|sat|sitting|waited|waiting)(?: the)? longest without (?:any |a |an )?"
    r"(?:contact|activity|touch(?:point)?|touching(?: (?:it|them|those))?|call|e-?mail|word|hearing|interaction)"
    r"(?:(?:,| or|,? and|,? nor) (?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?))*",
    r"longest (?:time )?(?:without|since) (?:any |a |an |the |its |their )?(?:last )?"
    r"(?:contact|activity|touch(?:point)?|call|interaction)",
    r"quietest", r"least recently (?:touched|contacted|worked(?: on)?|active)", r"most neglected", r"stalest",
    r"most stale", r"coldest", r"most dormant",
)  # fmt: skip
"""the record left alone longest: sorted by its last activity, oldest first"""
HOW_LONG_SINCE = words(
    r"how long (?:has it|have they|has that|is it|it's|it has) been", r"how many days(?: has it been)?"
)
DAYS_TO_CLOSE = words(
    r"days? to close", r"time to close", r"sales cycles?", r"cycle (?:length|time)", r"how long", r"close time",
    r"closing time", r"time to win", r"days? to win", r"takes? to close", r"to close deals",
    r"(?:days?|weeks?|long) (?:does|did|do) it (?:usually |typically )?take"
    r"(?= (?:[\w']+ ){0,3}to (?:win|close|land|sign))",
    r"closes? (?:quickest|fastest|slowest)", r"over the line (?:quick|fast|slow)\w*",
    r"from (?:being )?(?:opened|created) (?:\w+ ){0,3}(?:to|until|till) (?:being )?(?:won|closed|signed)",
    r"from when (?:the deal|it|they|each deal|deals) (?:was|were) (?:created|opened|logged) (?:to|until|till) "
    r"when (?:it|they|the deal) (?:was |were )?(?:closed|won|signed|landed)(?: won)?",
    r"(?:took|take|takes|taking) the (?:longest|shortest|least time|most time) to (?:land|close|win|sign)",
    r"creat(?:ed|ion) to the day (?:it|they|the deal) (?:closed|was won|were won|won|signed)",
    r"in the (?:fewest|most|least) days",
    r"(?:days?|weeks?|long) (?:was|were|is|are) (?:each|it|they|each one|that one|those)(?: one)? (?:open|live|alive"
    r"|in play) (?:before|until|till) (?:we|i|they|you|he|she) (?:lost|won|closed|signed|landed)",
    r"from (?:open(?:ing)?|creat(?:ing|ion)|starting|first logging) (?:\w+ ){0,3}(?:to|until|till) "
    r"(?:winning|closing|close|win|signing|signature)",
    r"clos(?:e|es|ed|ing) (?:deals )?(?:the )?(?:quick|fast|slow)(?:est|er|ly)?",
    r"(?:from )?creat(?:ion|ed|ing|e) to (?:close|closed|closing|win|won)",
    r"days? (?:to|until|till) (?:close|closing|won|win)",
    r"days? (?:does |do |did )?(?:an? |the |our |my )?deals? (?:\w+ ){0,3}(?:spend|take|sit|stay)",
    r"between (?:being )?(?:opened|created) and (?:being )?(?:won|closed)",
    r"days (?:\w+ ){0,6}(?:creat(?:ion|ed)|open(?:ing|ed)) (?:\w+ ){0,6}(?:to|until|till|and) (?:\w+ ){0,4}"
    r"(?:clos(?:e|ed|ing)|won|win)",
    r"(?:open|opening|created) to (?:close|closed|won)",
    r"(?:quick|fast|slow)(?:est|er)? (?:to|at) clos(?:e|ing)",
    r"turn(?:s|ed|ing)? (?:\w+ ){0,2}around(?= (?:\w+ )?(?:quick|fast|slow))",
)  # fmt: skip
DIMENSIONS: dict[str, re.Pattern[str]] = {
    "stage": words(r"stages?", r"pipeline stages?", r"phases?"),
    "owner": words(r"reps?(?:'s?)?", r"owners?", r"sellers?", r"salespe(?:ople|rson)", r"sales ?reps?", r"people",
                   r"persons?",
                   r"account executives?", r"aes?", r"members?", r"users?", r"who"),
    "team": words(r"teams?"),
    "account": words(r"(?:accounts?|customers?|compan(?:y|ies)|clients?|logos?)"
                     r"(?!(?:'s?)? (?:industr|region|segment|sector|vertical|territor|countr|geo|size))"),
    "industry": words(r"industr(?:y|ies)", r"verticals?", r"sectors?", r"segments?"),
    "region": words(r"regions?", r"territor(?:y|ies)", r"geos?", r"geograph(?:y|ies)", r"areas?", r"countr(?:y|ies)"),
    "source": words(r"(?:lead )?sources?", r"channels?", r"origins?", r"where .* came from",
                    r"where (?:did|do|does) (?:they|these|those|it|them|my \w+) (?:come from|originate)",
                    r"originat(?:e|ed|es)"),
    "type": words(r"(?:activity )?types?", r"kinds? of activit(?:y|ies)"),
    "status": words(r"status(?:es)?"),
    "month": words(r"months?", r"monthly", r"month by month"),
    "quarter": words(r"quarters?", r"quarterly"),
    "year": words(r"years?", r"yearly", r"annual(?:ly)?", r"year over year"),
    "currency": words(r"currenc(?:y|ies)"),
}  # fmt: skip
GROUP_LEAD = re.compile(
    r"\b(?:(?:spread|split|distributed|broken down|scattered|divided) (?:over|across|among|between|by)(?: the)?|"
    r"(?:(?<!owned )(?<!held )(?<!run )(?<!managed )(?<!handled )(?<!worked )by|per|for each|for every|each|"
    r"(?:each|every one|everyone) of)"
    r"(?:\s+(?:close|closing|expected close|created|creation))?|"
    r"across(?: the| all| my| our)?(?=\s+\w+s\b)|broken (?:down|out) by|breakdown by|break(?:ing)? (?:it |that |this )?"
    r"(?:down|out) by|split (?:it |that |them |those )?by|grouped by|"
    r"group(?:ed)? (?:it |them |those |these |that )?by|bucketed by|segmented by|in each|"
    r"bucket(?: \w+){0,4} by(?: the| each)?(?: calendar)?|"
    r"for all)\s+(?:(?:the|my|our|each|every|their|its|rep|deal|account|lead)\s+)?"
    r"(?:(?:customer|client|account)(?:'s?)?\s+(?=industr|region|segment|sector|vertical|territor|countr|geo))?"
)
GROUP_ADJECTIVES = {
    "region": r"regional|geographic(?:al)?|territory", "industry": r"industry|vertical|sector", "stage": r"stage",
    "source": r"(?:lead )?source", "month": r"monthly|month-by-month", "quarter": r"quarterly",
    "year": r"yearly|annual",
    "owner": r"per-rep|rep-by-rep|rep|owner", "team": r"team-by-team", "account": r"account-by-account|per-account",
}  # fmt: skip
"""'regional split', 'monthly breakdown', 'rep-by-rep view': a group named by an adjective before a split word"""
SPLIT_NOUNS = r"(?:split|breakdown|break-down|mix|distribution|view|spread|numbers|totals|figures)\b"
BREAKDOWN = words(r"break(?:ing)? ?down", r"breakdown", r"split", r"distribution", r"spread")
CHANGED = words(
    r"improv(?:e|ed|es|ing)", r"grew", r"grown", r"grow", r"increas(?:e|ed|es|ing)", r"went up", r"gone up", r"rose",
    r"risen", r"declin(?:e|ed|es|ing)", r"dropp(?:ed|ing)", r"dropped off", r"fell", r"fallen", r"went down",
    r"gone down", r"got (?:better|worse)", r"shrank", r"shrunk",
)  # fmt: skip
"""a figure that moved between two periods ("who improved their won amount from Q2 to Q3")"""
WHICH_GROUP = re.compile(r"\b(?:which|what|who)\b")
COMPARE = words(
    r"compare[ds]?", r"comparison", r"comparing", r"vs\.?", r"versus", r"against", r"side by side",
    r"head to head", r"relative to", r"than", r"stack(?:s|ed)? up", r"measures? up",
    r"how (?:do|does|did)(?= .{1,40} compare)", r"next to", r"alongside", r"between(?= .{1,40}\band\b)",
    r"put (?=.{1,60}\bnext to\b)", r"ahead of", r"(?:better|worse|bigger|smaller|higher|lower) than", r"beside",
    r"line up", r"set (?=.{0,60}\b(?:beside|next to|against)\b)", r"beaten", r"beat(?= that| it| last| q\d)",
    r"so (?:i|we) can see who'?s ahead", r"who'?s ahead", r"(?:is|are|was|were) ahead",
    r"(?:the )?(?:stronger|weaker|better|worse|busier|quieter) (?:quarter|month|year|week|period|one)",
    r"stronger", r"weaker",
    r"(?:above|over) or (?:below|under)", r"(?:below|under) or (?:above|over)", r"(?:above|below) (?=\w+'s\b)",
)  # fmt: skip
_BETTER = r"(?:more|fewer|less|bigger|larger|higher|lower|better|worse|faster|slower|quicker|ahead|behind)"
CHOICE = re.compile(
    rf"\b{_BETTER}\b[^?.!]{{0,60}}?\bor\b|\bor\b[^?.!]{{1,40}}?\b(?:which|who)(?:'s| is| has| had| did)?\b"
    rf"[^?.!]{{0,30}}?\b{_BETTER}\b"
)
"""a choice between named sides ("more open deals in EMEA or in APAC", "who closes faster, Erin or Nina")"""
NOT_A_CHANCE = r"(?! (?:chances?|probabilit(?:y|ies)|odds|likelihood|percentages?))"
"""'its stage's win chance' is a probability, not a won deal"""
STATUS: list[tuple[str, re.Pattern[str]]] = [
    ("won", words(r"closed (?=anything|something|a deal\b|revenue|business|bookings|dollars|sales\b)",
                  r"closed(?= (?:the )?(?:most|biggest|largest|highest|least) "
                  r"(?:\$|money|dollars?|revenue|business|value))",
                  r"closed[- ]wons?", r"won", r"wins?" + NOT_A_CHANCE, r"winning" + NOT_A_CHANCE, r"booked",
                  r"bookings", r"signed", r"landed(?! (?:on|in) (?:my|our|the|his|her|their) (?:plate|lap|desk|queue))",
                  r"sold", r"sell(?= (?:in|last|this|during|over|since|so far|ytd|q[1-4])\b|\W*$)",
                  r"bagged", r"win" + NOT_A_CHANCE, r"(?:got |gotten |get |brought )?(?:\w+ )?over the line",
                  r"across the line")),
    ("lost", words(r"closed[- ]lost", r"lost", r"lose", r"losing", r"losses", r"loss", r"dropped", r"fell through",
                   r"(?:got|get|slipped|went) away", r"missed out on", r"didn't (?:get|land|win)")),
    ("open", words(r"(?:haven't|have not|not yet|not|never) (?:been )?closed(?: yet)?",
                   r"(?:haven't|hasn't|have not|has not|not yet|not|never) (?:been )?(?:done|completed|finished|"
                   r"ticked off)(?: yet)?", r"yet to (?:be )?(?:done|do|complete|completed|finish|finished)",
                   r"unclosed", r"unresolved",
                   r"open", r"active", r"live", r"in flight", r"in progress", r"pipeline", r"pipe", r"ongoing",
                   r"(?:still )?in play",
                   r"outstanding", r"pending", r"still going")),
    ("closed", words(r"closed", r"finished")),
]  # fmt: skip
TASK_DONE = words(
    r"(?<!being )(?<!not )(?<!been )(?<!n't )(?<!n't been )(?<!not yet )(?<!get )(?<!gets )(?<!getting )(?<!to be )"
    r"(?:done|completed?|finished|closed|ticked off)"
)
OVERDUE = words(
    r"overdue", r"past[- ]due",
    r"(?:past|beyond|after) (?:their |the |its )?due dates?",
    r"late(?![- ]stage)", r"(?<!furthest )(?<!farthest )behind (?:on|schedule)",
    r"overshot", r"overrun", r"overran",
    r"already (?:passed|gone|behind us)",
    r"in the past",
    r"behind us", r"slipped", r"lapsed", r"missed", r"expired", r"already past", r"has passed", r"have passed",
    r"passed", r"without being (?:completed|done|finished|closed)", r"not (?:yet )?(?:completed|done|finished)",
    r"(?:blown|gone|run|slipped|sailed) (?:right )?(?:past|through|beyond)"
    r"(?: (?:their|the|its) (?:due|close|closing) dates?)?",
    r"should(?:'ve| have) (?:been )?(?:done|finished|completed|handled|closed)(?: already| by now)?",
)  # fmt: skip
INACTIVE = re.compile(
    r"\b(?:(?:no ?one|nobody)(?:'s| has| have)? (?:called|phoned|e-?mailed|met|written|logged)"
    r"(?:(?:,| or|,? and|,? or|,? nor) (?:called|phoned|e-?mailed|met(?: with them)?|written|logged)"
    r"(?: (?:an? |any )?(?:note|call|e-?mail|meeting)s?)?)+|"
    r"(?:no ?one|nobody|no body)(?:'s| has| have)? (?:touched|worked(?: on)?|contacted|called|chased|"
    r"followed up(?: on| with)?|reached out to|looked at|spoken to|talked to)|nobody touched|"
    r"(?:haven't|have not|hasn't|has not) had (?:a |an |any )?(?:real |proper |single |meaningful |recent )?"
    r"(?:calls?|e-?mails?|meetings?|notes?|activit(?:y|ies)|"
    r"touch(?:es|points?)?)(?:(?:,| or|,? and|,? or|,? nor) (?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?))*|"
    r"(?:no ?one|nobody)(?:'s| has| have)? (?:done|did) (?:anything|a thing|any work) (?:with|on|about)|"
    r"(?:haven't|have not|hasn't|has not|didn't|did not) (?:done|did) (?:a thing|anything|any work|a single thing) "
    r"(?:with|on|about)|"
    r"(?:haven't|have not|hasn't|has not|didn't|did not|not) "
    r"(?:been )?(?:touched|contacted|spoken to|called|reached|worked|followed up|heard from)|untouched|"
    r"(?:haven't|have not|hasn't|has not|didn't|did not) (?:i|we|you|anyone|anybody) (?:spoken|talked|reached out|"
    r"been in touch|called|e-?mailed|contacted|heard from|met)(?: to| with)?|"
    r"(?:gone|went|going|are|is) (?:quiet|cold|dark|silent|stale)|quiet|stale(?! close| dates?)|neglected|idle|dormant|"
    r"inactive|"
    r"(?:no|zero|nil) (?:recent )?(?:logged |recorded |customer |client )?"
    r"(?:activity|activities|contact|touch(?:es|points)?|calls?|meetings?|e-?mails?(?! address| on file)|"
    r"follow[- ]?up)(?:(?:,| or|,? and|,? or|,? nor) (?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?))*|"
    r"(?:no ?one|nobody) (?:is |was |has been )?working (?:on )?(?:them|it|those)|without (?:any )?"
    r"(?:recent )?(?:activity|activities|contact|touch(?:es)?)|not (?:been )?worked|cold(?![- ]?call)|forgotten|"
    r"ignored|left alone|sat untouched|sitting idle|no one has worked|"
    r"(?:had |have had |has had )?nothing (?:happen(?:ing|ed)?|done|logged|going on) (?:on|with) (?:them|it|those)|"
    r"(?:had |have had |has had |with )?nothing (?:at all )?(?:logged|done|recorded|happening)"
    r"(?: (?:against|on|with) (?:them|it|those))?(?= (?:in|for|over|during|within) (?:the )?(?:past|last) | since\b)|"
    r"without (?:anything|any activity|a thing) (?:logged|done|recorded|happening)(?: on (?:them|it))?|"
    r"(?:gone|went|go|been|sat|sitting|passed|run) (?:[\w+]+ ){1,5}?without (?:a |an |any |a single |one )?"
    r"(?:calls?|e-?mails?|meetings?|notes?|touch(?:es)?|activit(?:y|ies)|contact|word)"
    r"(?:(?:,| or|,? and|,? nor) (?:an? |any )?(?:calls?|e-?mails?|meetings?|notes?))*|"
    r"(?:no ?one|nobody|no body)(?: has| have|'s)? (?:logged|recorded|made|had|done|booked) (?:a |an |any )?"
    r"(?:(?:calls?|e-?mails?|meetings?|notes?|activit(?:y|ies)|touch(?:es)?)(?:,? or |,? and |, | ))+"
    r"(?:against|on|with|for|at)?|"
    r"(?:gone|went|been|sat|sitting|run) (?:[\w+]+ ){1,5}?with (?:nobody|no ?one|no body) (?:touching|working on|"
    r"calling|contacting|chasing|following up on)(?: (?:them|it|those))?|"
    r"without (?:anybody|anyone|someone|somebody|us|me|a rep) (?:doing anything (?:with|on|about) (?:them|it)|"
    r"following up|touching (?:them|it)|"
    r"contacting (?:them|it)|"
    r"calling|chasing|reaching out|getting in touch)|"
    r"(?:had|have|has|with) (?:had )?nothing (?:logged|recorded|done)"
    r"(?= (?:for|in|since|over|during|the)|\s*[-,(\u2013\u2014])|"
    r"(?:haven't|have not|hasn't|has not|hadn't) had (?:anything|any activity|any contact|a touch|any touches)"
    r"(?: logged| done| recorded)?(?: on (?:them|it))?|"
    r"last (?:touch(?:ed)?|activity|contact(?:ed)?|interaction|worked(?: on)?)(?: (?:was|is|date|happened))?"
    r"(?= (?:more than|over|at least|longer than|before|earlier than) ))\b"
)
FOR_DAYS = re.compile(
    r"\b(?:(?:more than|over|at least|longer than|earlier than|before) )?"
    r"(?:(?:in|for|over|since|during|within) (?:the )?(?:last |past )?|(?:last|past) )?"
    r"(\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|ninety)\+?\s+(day|week|month)s?"
    r"(?: or (?:more|longer))?(?: ago)?\b|\b(?:in|for|over)\s+(?:a|one)\s+(day|week|month)\b|"
    r"\bsince (?:last )?(week|month)\b|\b(?:in|over|during|for|within) the (?:last|past) (day|week|month)\b"
)
MISSING_LEAD = re.compile(
    r"\b(?:without(?: an?| any| the)?|with no|no|missing(?: an?| the| its| their)?|lack(?:s|ing)?(?: an?| any)?|"
    r"(?:that |which )?"
    r"(?:don't|do not|doesn't|does not|haven't|have not|has no|have no) (?:even |actually |yet |really )?(?:have )?"
    r"(?:an?|any|the|a single|one|even one)?(?: single)?|"
    r"(?:with|has|have) (?:an? )?(?:empty|blank) |where the|(?:haven'?t|hasn'?t|have not|has not) got (?:an? |any )?|"
    r"(?:i|we|you|he|she|they)(?: have| has|'ve)? (?:never|not|didn't|did not|haven't|have not|hasn't) (?:yet )?"
    r"(?:filled|entered|put|set|written|added|logged|recorded)(?: in| down| up| out)? (?:an? |the |any )?|"
    r"nothing (?:at all )?(?:in|under|entered in|filled in|"
    r"set in|written in|put in) (?:the |its |their )?|"
    r"(?:no ?one|nobody)(?:'s)? (?:has |have )?(?:ever )?(?:wrote|"
    r"written|filled|entered|put|set|recorded|added|logged)(?: down| in| up)? (?:an? |the |any )?|(?:no ?one|nobody) "
    r"(?:has |have )?"
    r"(?:written|filled|entered|put|set|recorded|added|logged)(?: down| in| up)? (?:an? |the |any )?|"
    r"(?:nothing|no ?one|nobody) (?:has |have )?(?:been )?(?:written|filled|entered|put|set|recorded|added)"
    r"(?: down| in| up)? (?:for|as|in|under) (?:an? |the |its |their )?)\s*"
)
MISSING_FIELDS: dict[str, re.Pattern[str]] = {
    "open_deal": words(r"open (?:deals?|opportunit(?:y|ies)|opps?|pipeline)", r"(?:active|live|current) "
                       r"(?:deals?|opportunit(?:y|ies)|opps?)", r"pipeline"),
    "deal": words(r"deals?", r"opportunit(?:y|ies)", r"opps?", r"business"),
    "primary_contact": words(r"primary contacts?", r"main contacts?", r"contacts?", r"champions?", r"key contacts?",
                             r"point of contact"),
    "next_step": words(r"next[- ]steps?", r"next actions?", r"plan"),
    "close_date": words(r"close[- ]dates?", r"closing dates?", r"expected close"),
    "amount": words(r"amounts?", r"values?", r"deal sizes?", r"prices?"),
    "activity": words(r"activit(?:y|ies)", r"touch ?points?", r"interactions?", r"logged activity"),
    "email": words(r"e-?mails?(?: address(?:es)?)?"),
    "phone": words(r"phones?(?: numbers?)?", r"numbers?"),
    "industry": words(r"industr(?:y|ies)"),
    "title": words(r"(?:job )?titles?", r"roles?", r"positions?"),
}  # fmt: skip
NOT_A_WANT = (
    r"(?! (?:also |still |really |just |only )?(?:need|want|would like|was wondering|am wondering|am looking|"
    r"am asking|have a question|wonder)\b)"
)
"""'I need the EMEA total': the asker wants a figure, they do not say whose records"""
MINE = words(
    r"my",
    r"mine",
    r"i" + NOT_A_WANT,
    r"me",
    r"i've",
    r"i'm(?! (?:wondering|looking|asking|after|trying)\b)",
    r"myself",
    r"my own",
    r"i'd(?! like\b)",
    r"i'll",
)
MY_OWN = words(
    r"my own",
    r"mine only",
    r"just mine",
    r"only mine",
    r"personally",
    r"i own",
    r"i personally",
    r"assigned to me",
    r"owned by me",
    r"on my name",
    r"under my name",
)
TEAM = words(r"my team", r"our team", r"the team", r"team's", r"my team's", r"my reps", r"my people", r"our",
             r"us", r"we", r"team", r"my group", r"my direct reports", r"my sellers")  # fmt: skip
EVERYONE = words(r"company[- ]wide", r"company", r"org[- ]wide", r"the org", r"org", r"organi[sz]ation",
                 r"(?:do|can|could) (?:i|we) (?:have access to|access|get at|get to see)",
                 r"(?:i|we) (?:have access to|can access|can see)", r"(?:visible|available|open) to me",
                 r"(?:can|could) (?:i|we) see(?! (?:my|our|mine|me)\b)",
                 r"everyone", r"everybody", r"all reps", r"all teams", r"both teams", r"across the board", r"overall",
                 r"whole business", r"business[- ]wide", r"globally")  # fmt: skip
CREATED = words(r"created", r"creat(?:e|ing)", r"opened",
                r"(?<!still )(?<!are )(?<!is )(?<!as )(?<!- )new(?!,? (?:or )?(?:working|qualified|contacted|nurtur))",
                r"added", r"entered", r"generated", r"(?<!-)(?<!partner )(?<!event )(?<!web )(?<!referral )sourced",
                r"landed (?:on|in) (?:my|our|the|his|her|their) (?:plate|lap|desk|queue)", r"picked up",
                r"(?:pick|picks|picking) up(?= (?:in|this|last|over|during|since|so far)\b|\W*$)",
                r"came in(?! (?:with|through|via|as|under)\b)",
                r"(?:come|comes|coming) in(?! (?:with|through|via|as)\b)",
                r"started", r"logged", r"log", r"add", r"adds", r"raised",
                r"open(?:ed)? up",
                r"(?:did|do|will) (?:i|we|you|they|he|she|\w+|my team|our team|the team) open",
                r"(?:i|we|they|you|have|has|had) opened")  # fmt: skip
NOT_HELD = words(
    r"(?:customer )?lifetime values?", r"ltv", r"clv", r"nps(?: scores?)?", r"net promoter(?: scores?)?",
    r"churn(?:ed|s|ing)?(?: rates?)?", r"(?:e-?mail )?open rates?", r"click(?:[- ]through)? rates?", r"ctr",
    r"e-?mails? (?:\w+ ){0,4}(?:open|opened|read|clicked)", r"opened (?:my |our |the |their )?e-?mails?",
    r"(?:web ?site|landing page) (?:visits?|traffic|views?)", r"visit(?:s|ed)? (?:our |the )?web ?site",
    r"page ?views?", r"(?:which|what|the) (?:sdr|bdr)s?", r"(?:her|his|their|the) (?:kids|children|spouse|wife|"
    r"husband|hobb(?:y|ies))", r"how old (?:is|are) (?:they|she|he|her|his|the)\b",
    r"commissions?", r"quotas?(?: attainment)?", r"attainment", r"birthdays?",
    r"(?:social media )?sentiment", r"(?:customer |account )?health (?:scores?|checks?|ratings?|status)",
    r"csat(?: scores?)?", r"customer satisfaction(?: scores?)?",
    r"(?:(?:one|two|three|five|multi|1|2|3|5)[- ]year|annual|monthly|contract|subscription|renewal) "
    r"(?:terms?|term length)",
    r"(?:contract|subscription) lengths?",
    r"(?:length|duration) of (?:the |their |its )?(?:contract|subscription|term)",
    r"social media", r"linkedin(?: profiles?)?", r"no[- ]?show(?:s|ed)?",
    r"buying committees?", r"(?:contract|renewal) (?:end |expiry |expiration )?dates?", r"margins?",
    r"profit(?:s|ability)?", r"customer acquisition costs?", r"cac",
    r"market share", r"share of (?:the )?market", r"share of wallet", r"wallet share",
    r"(?:e-?mail )?(?:reply|response) (?:rates?|times?)", r"talk(?:[- ]to[- ]listen)? (?:time|ratio)", r"bonus(?:es)?",
    r"salar(?:y|ies)", r"support tickets?", r"invoices?", r"invoiced", r"billing",
    r"(?:google |shared |team )?drive(?: folders?)?(?= folder| for| with|\W*$)", r"shared (?:drive|folder)s?",
    r"dropbox", r"sharepoint", r"onedrive", r"confluence", r"notion (?:page|doc)s?",
    r"purchase orders?", r"po (?:numbers?|#)", r"p\.o\.(?: numbers?)?", r"(?:which|what) partner(?: firm| company)?",
    r"partner (?:firm|company|agency|reseller)'?s? name",
    r"product usage", r"logins?",
    r"(?:which |what |the )?stages? (?:they|it|these|those|deals?|we|i) (?:were|was|got|are|is)? ?"
    r"(?:lost|dropped|died) (?:at|in|from)",
    r"(?:which|what) stages? (?:did|do|does) (?:\w+ ){1,4}(?:die|get lost|drop out|stall) (?:at|in)",
    r"(?:lost|dropped|died) (?:at|in|from) (?:which|what) stage", r"stage (?:at|of) (?:loss|losing)",
    r"ndas?", r"non[- ]disclosure agreements?", r"docu-?sign(?:ed)?", r"e-?signatures?",
    r"e-?sign(?:ed|s|ing)?", r"(?:the |that |an )?envelopes?",
    r"(?:opened|viewed|read|clicked) (?:the |my |our )?(?:envelope|contract|proposal|document|paperwork|link)",
    r"msas?", r"master (?:service|services) agreements?",
    r"what(?:'s| is| was| are) (?:their|the customer'?s|the client'?s|its|the account'?s|his|her) budget(?! holders?)",
    r"budget for (?:next|this|the coming) (?:year|quarter|fiscal year|fy)",
    r"(?:(?<=what's the )|(?<=what is the )|(?<=what was the )|(?<=is the )|(?<=know the ))budget"
    r"(?= (?:on|for|of|at|with) (?!(?:next|this|the coming) (?:year|quarter)))",
    r"(?:the |which )?competitors? (?:(?:we'?re|we are|i'?m|i am|they'?re|they are) )?(?:up against|facing|"
    r"competing (?:against|with))(?: on| for| in)?(?: each(?: one)?| every(?: one)?| them| those)?",
    r"how long (?:were|was|did|do|does) (?:the |those |these |my |our |each |a |that )?(?:\w+ )?(?:meetings?|calls?)\b",
    r"(?:meeting|call) (?:length|duration)s?",
    r"(?:length|duration) of (?:the |those |my |our |each )?(?:meetings?|calls?)",
    r"how long (?:were|was|did) (?:they|it|those|these) (?:last|run|go on|take)\b",
    r"why (?:did|do|have|has|had) (?:we|i|they|you|he|she|[a-z]+) (?:\w+ )?(?:lose|lost|lose out on)",
    r"why (?:did|has|have|is|was) (?:[\w'’-]+ ){1,5}(?:drop(?:ped)?|slip(?:ped)?|stall(?:ed)?|not renew(?:ed)?|"
    r"walk(?:ed)? away|churn(?:ed)?|go(?:ne)? (?:dark|cold|quiet)|pull(?:ed)? out|pass(?:ed)?|decline[d]?)\b",
    r"(?:real |actual |main )?reasons? (?:why )?(?:[\w'’-]+ ){1,4}(?:didn't|did not|won't|refused to) "
    r"(?:renew|sign|buy)",
    r"(?:registered |full |legal )(?:legal )?entity names?", r"(?:company|business) registration numbers?",
    r"(?:which|what) (?:systems? )?integrators?", r"(?:re)?certifications?", r"drive from the airport",
    r"delivery address(?:es)?",
    r"security reviews? (?:\w+ ){0,2}(?:cleared|passed|done|completed?|approved|finished|signed off|through)",
    r"(?:cleared|passed|finished|completed|got through) (?:the |their |its |our )?security review",
    r"(?:loss|lost|losing|churn) reasons?", r"reasons? (?:we|it was|they were|it got) lost",
    r"(?:how many|number of) (?:seats|licen[cs]es|users) (?:\w+ ){0,3}"
    r"(?:running|using|use|active|deployed|live)", r"share prices?", r"stock prices?", r"market cap(?:itali[sz]ation)?",
    r"(?:spent|spend|spending) (?:\w+ ){0,2}on (?:travel|flights|hotels|dinners|meals|entertainment|expenses)",
    r"travel (?:spend|costs?|expenses?|budget)", r"expense (?:reports?|claims?)",
    r"(?:cash )?runway", r"burn rate", r"cash (?:balance|position|flow|in the bank)", r"stripe", r"card payments?",
    r"funding(?: rounds?)?", r"raised? (?:money|capital|a round|funding|a series)",
    r"how much (?:did|have|has) (?:they|it|[a-z]+) raised?",
    r"docusign(?: envelopes?)?", r"e-?signatures?", r"hours? (?:spent|worked|put in|logged)", r"how many hours",
    r"time spent",
    r"(?:actually |already )?paid(?! off)(?![^.?!]*\bclosed[- ]won\b)(?: for| up)?", r"payments?", r"cash collected",
    r"collections?", r"outstanding balances?", r"(?:cash|money) (?:\w+ ){0,3}collected",
    r"pto", r"paid time off", r"vacations?", r"holidays?", r"out of (?:the )?office", r"ooo", r"on leave",
    r"(?:maternity|paternity|parental|medical|sick|family|sabbatical) leave", r"back from (?:\w+ ){0,2}leave",
    r"sick days?",
    r"discounts?(?: off)?(?: (?:the )?list(?: price)?)?", r"list prices?", r"price ?lists?", r"pricing sheets?",
    r"rate cards?",
    r"per[- ](?:seat|user|licen[cs]e) (?:prices?|pricing|costs?|rates?)",
    r"(?:price|cost)s? per (?:seat|user|licen[cs]e)",
    r"open(?:ed)? (?:\w+ ){0,3}e-?mails?", r"read (?:\w+ ){0,3}e-?mails?",
    r"(?:open|opened|read) (?:the |my |our )?(?:last |latest )?(?:one|message|mail|proposal) (?:i|we) sent",
    r"how (?:happy|satisfied|pleased|unhappy)", r"(?:customer )?satisfaction(?: scores?)?", r"happiness(?: scores?)?",
    r"csat", r"headcount (?:growth|plans?|trends?|changes?)", r"grow(?:n|ing|th)? (?:their |its |the )?headcount",
    r"headcount (?:\w+ ){0,2}(?:grown|grew|changed|shrunk|shrank)",
    r"credit (?:ratings?|worthiness|checks?)", r"(?:days? )?late (?:paying|payment|payers?)", r"paying us",
    r"payment history",
    r"(?<!our )(?<!my )(?<!team's )(?<!the team's )annual revenue",
    r"(?:how often|how many times) (?:do|does|did) (?:they|\w+) beat us",
    r"logg(?:ing|ed) (?:in|into|on)(?:to)? (?:the |our |their )?(?:app|platform|product|system|portal|site|tool|"
    r"software|dashboard)\b", r"logging in(?:to)? (?:every|each|daily|regularly)",
    r"seats? (?:\w+ ){0,4}(?:used|in use|active|activated)", r"(?:product|seat|license) usage",
    r"(?:have|has|got) (?:any )?(?:kids|children)", r"kids", r"spouses?", r"married", r"hobbies",
    r"home address(?:es)?",
    r"personal (?:life|details|phone)", r"(?:on|visited|visiting|viewed) (?:our |the )?(?:pricing|product|web|landing) "
    r"pages?", r"(?:pricing|product) page (?:visits?|views?)",
    r"sanctions?(?: lists?)?", r"export[- ]control(?:led|s)?(?: lists?)?", r"embargo(?:ed|es)?",
    r"(?:law ?suits?|litigation|legal disputes?|being sued|sue us)", r"compliance (?:status|checks?|screening)",
    r"bankrupt(?:cy)?", r"chapter (?:11|eleven|7|seven)", r"insolven(?:t|cy)", r"receivership", r"layoffs?",
    r"funding rounds?", r"(?:being|getting|about to be|going to be|set to be) acquired", r"acquisition rumou?rs?",
    r"(?:the )?acquisition (?:close|closes|closing|talks|deal|happen)", r"private equity",
    r"ote", r"on[- ]target earnings", r"(?:compensation|comp) plans?", r"pay (?:plans?|rises?|raises?)",
    r"(?:their|his|her) offers?", r"offer letters?",
    r"bug reports?", r"support (?:team|cases?|requests?|tickets?)", r"(?:open|unresolved) (?:bugs|issues|cases)",
    r"power struggles?", r"office politics", r"internal politics",
    r"budget (?:they(?:'ve| have)? |have they |has it |they've )?(?:got )?(?:set aside|earmarked|allocated|planned)",
    r"(?:it |tech |software |marketing |annual |total )?budgets? (?:for|in) (?:next year|20\d\d)",
    r"(?:next year's|20\d\d) budgets?",
    r"(?:sla|service level) (?:breach(?:es)?|violations?|misses|credits?)", r"slas?", r"service levels?",
    r"outages?", r"downtime", r"incidents?", r"uptime",
    r"dietary (?:restrictions?|requirements?|needs|preferences)", r"allerg(?:y|ies|ic)", r"vegetarian|vegan",
    r"food preferences?",
    r"(?:changed|changing|switched|moved|new) (?:jobs?|companies|employers?|roles?)",
    r"(?:move|moved|moving|gone|went|left) (?:over )?to (?:a |another )?(?:new |different )?(?:company|employer|firm)",
    r"unsubscrib(?:e|ed|es)", r"opt(?:ed|s)?[- ]out", r"marketing (?:emails?|lists?|consent)", r"gdpr consent",
    r"(?:going|gonna|likely) to (?:rain|snow)", r"\brain(?:ing)?\b", r"snow(?:ing)?", r"traffic",
    r"flights?", r"train times?",
    r"(?<!for the )(?<!for our )(?<!before the )(?<!prep for the )forecast calls?",
    r"forecast (?:submissions?|accuracy)",
    r"how accurate",
    r"cost per (?:lead|deal|acquisition|opportunity|meeting|sale|win)", r"costs? of (?:a |each )?(?:lead|acquisition)",
    r"(?:marketing|ad|advertising|campaign|event|media) (?:spend|costs?)", r"the spend(?: side)?",
    r"how (?:many years|long) (?:\w+ ){0,5}(?:signed|contracted|committed)(?: for)?",
    r"(?:contract|subscription|licen[cs]e) (?:length|term|duration)s?",
    r"(?:length|term|duration) of (?:the |their |its )?(?:contract|subscription|agreement)",
    r"(?:submit(?:ted|s)?|called|put in|sent in) (?:\w+ ){0,3}(?:as (?:\w+ ){0,2})?(?:commit|forecast)(?: numbers?)?",
    r"commit(?:ted)? (?:numbers?|figures?)",
    r"committed (?:at|in|by) the (?:start|beginning)(?: of the (?:quarter|month|year|period))?",
    r"parking", r"hotel (?:bookings?|rooms?)", r"flights? and hotels?", r"travel (?:spend|expenses?|costs?)",
    r"expense (?:reports?|reviews?|claims?)",
    r"pdfs?", r"attachments?", r"price increases?", r"(?:signed|scanned) (?:\w+ )?(?:contract|agreement)s?",
    r"gdpr(?: requests?)?", r"(?:data )?(?:erasure|deletion) requests?", r"right to be forgotten",
    r"(?:have|had) their data (?:erased|deleted)", r"glassdoor(?: ratings?)?", r"morale", r"employee reviews?",
    r"boardroom", r"meeting rooms?", r"room bookings?", r"booked (?:a |the )?(?:room|boardroom)",
    r"supplier (?:ids?|numbers?)", r"vendor (?:ids?|numbers?)", r"procurement portals?",
    r"personal (?:mobile|cell)(?: (?:numbers?|phones?))?", r"desk lines?", r"cell numbers?",
    r"tech(?:nology)? stacks?", r"series [a-e]\b", r"funding", r"slack connect",
    r"prefer(?:s|red)? (?:a )?(?:phone|calls?|e-?mails?|texts?|meetings?|zoom|teams)(?: calls?)?(?=,? (?:or|over|to) )",
    r"(?:morning|afternoon|evening|night) person", r"communication (?:preferences?|style)",
    r"(?:best|preferred|favou?rite) (?:time|way|channel|day) to (?:reach|contact|call|get hold of|email|ping)",
    r"logg(?:ing|ed) (?:in|into|on)(?:to)? (?:every|each|daily|weekly|regularly|at least)",
    r"adoption (?:numbers|rates?|figures|data|metrics|stats)", r"(?:actually )?being used",
    r"(?:renew(?:ed)?|sign(?:ed)?|went|go(?:ne)?|switch(?:ed)?|moved?|gone) (?:with|to) "
    r"(?:someone|somebody|a competitor|another (?:vendor|provider|supplier|tool)|the competition)(?: else)?",
    r"(?:which|what) (?:competitor|vendor|provider|tool) (?:did |have )?(?:they )?(?:go|went|gone|pick|picked|chose|"
    r"choose|sign|signed|renew|renewed|switch|switched)",
    r"(?:go|went|gone|going) to (?:stanford|harvard|oxford|cambridge|mit|yale|college|university|school|"
    r"business school)",
    r"alma mater", r"(?:which|what) (?:university|college|school)", r"(?:university|college) (?:degree|education)",
    r"(?:street|office|postal|mailing|physical) address(?:es)?", r"head (?:office|quarters)(?: address)?",
    r"headquarters", r"hotels? (?:is |are )?(?:closest|nearest|near|nearby)", r"(?:nearest|closest|nearby) hotels?",
    r"(?:approved|budgeted|allowed|cleared) to hire", r"hiring (?:plans?|approvals?|budget)",
    r"headcount (?:planning|approvals?)",
    r"(?:additional|new|more) (?:aes|reps|hires|heads)",
    r"performance reviews?", r"review ratings?", r"(?:what )?rating (?:he|she|they) got",
    r"data (?:hosted|stored|kept|residency|location)", r"hosted (?:inside|in|within) the (?:eu|us|uk)",
    r"data residency",
    r"redlines?", r"marked[- ]up (?:contract|paperwork|agreement)",
    r"net ?(?:15|30|45|60|90)", r"payment terms?", r"pa(?:y|id) (?:us )?on time", r"refunds?", r"chargebacks?",
    r"(?:board|committee|procurement|legal|finance) (?:\w+ ){0,3}(?:approv\w*|sign[- ]off|decision|decided|vote[ds]?)",
    r"did (?:they|the board|it|\w+) (?:get )?(?:approv\w*|sign(?:ed)? off|decide|vote)",
    r"(?:did|does|do) (?:the |their |our )?(?:[\w-]+ ){0,3}(?:like|love|enjoy|hate|dislike|appreciate) "
    r"(?:our|the|my|it)",
    r"(?:how did|what did) (?:the |their )?(?:[\w-]+ ){0,3}(?:feel about|think (?:of|about))",
    r"speak(?:s|ing)? (?:any |fluent |good )?(?:spanish|portuguese|french|german|italian|japanese|mandarin|chinese|"
    r"arabic|dutch|korean|hindi|russian|polish|turkish|(?:other |foreign )?languages?)", r"fluent in \w+",
    r"(?:which|what) languages?",
    r"(?:typed|put|entered|wrote|added|submitted|pasted) (?:[\w$,.-]+ ){0,5}(?:into|in|on) "
    r"(?:the |our |his |her |their |my )?"
    r"(?:[\w-]+ ){0,3}(?:decks?|tabs?|sheets?|spreadsheets?|slides?)",
    r"sandbox(?:es)?(?: access| accounts?| logins?| usage)?",
    r"features? (?:\w+ ){0,2}(?:tried|used|tested|turned on|switched on|enabled|adopted)",
    r"(?:which|what) features", r"modules? (?:\w+ ){0,2}(?:switched on|turned on|enabled|activated)",
    r"(?:which|what) (?:product )?(?:modules?|features?) (?:of (?:the )?[\w-]+ )?(?:is|are|do|does) (?:[\w-]+ ){1,3}"
    r"(?:actually |really )?(?:using|use)\b", r"feature adoption",
    r"(?:current |existing |their |the )contract (?:\w+ ){0,3}(?:come|comes|coming|is|due) (?:up )?for renewal",
    r"(?:contract|subscription|licen[cs]e|agreement)(?: term)? (?:runs? out|ends?|expires?|lapses?|is up)",
    r"start(?:ed)? (?:date )?with (?:us|the company)", r"(?:what|which) date did (?:she|he|they|\w+) (?:start|join)",
    r"start dates?", r"hire dates?", r"joined (?:us|the company|the team)",
    r"(?:work )?anniversar(?:y|ies)(?: awards?)?",
    r"tenure", r"years (?:with us|at the company|of service)",
    r"(?:executive|personal) assistants?", r"assistant'?s name", r"gatekeepers?",
    r"(?:re)?certifications?", r"(?:re)?certified", r"training (?:scores?|results?|completion)", r"exam scores?",
    r"success criteria", r"(?:price |pricing )?uplifts?", r"mutual action plans?",
    r"purchase orders?(?: numbers?)?", r"po (?:numbers?|#)", r"whatsapp", r"wechat", r"telegram",
    r"(?:zoom|teams|google meet|webex|video|meeting) (?:recording )?links?", r"recording links?",
    r"(?:zoom|teams|webex|video) recordings?", r"delivery (?:status|receipts?)", r"read receipts?",
    r"carbon (?:emissions?|footprint|figures?)", r"(?:scope [123] )?emissions? (?:figures?|data)",
    r"esg(?: (?:scores?|ratings?|reports?|data))?", r"sustainability (?:reports?|figures?|data|questionnaires?)",
    r"(?:gift )?hampers?", r"(?:gifts?|swag) (?:\w+ )?(?:arrive|arrived|delivered|sent)",
    r"reports? (?:in )?to", r"reporting lines?", r"direct reports?", r"org(?:anisation|anization)? charts?",
    r"(?:people|how many) (?:\w+ )?(?:sit|sits|report) (?:under|to) (?:her|him|them)",
)  # fmt: skip
"""what people ask about that no record here holds: said plainly, never answered with something else"""
UNLOGGED = words(
    r"(?:never|didn't|didnt|did not|haven't|havent|have not|hasn't|hasnt|not yet|forgot to) "
    r"(?:logged|log|recorded|record|"
    r"wrote (?:it )?(?:up|down)|written (?:it )?(?:up|down))",
    r"off the record", r"(?:over|at) (?:dinner|lunch|drinks|coffee|breakfast|golf)",
)  # fmt: skip
"""a conversation the message says was never logged"""
TOLD = words(r"what (?:did|was|has) (?:he|she|they) (?:tell|told|say|said|mention)\w*", r"what (?:he|she|they) "
             r"(?:told|said|mentioned)")  # fmt: skip
"""asking what someone said: only a logged activity or call could say, so not when it was never logged"""
UNKNOWABLE = words(
    r"(?:definitely|certainly|guarantee(?:d|s)?|for sure|for certain|100 ?%|surely) (?:\w+ ){0,4}?"
    r"(?:close|closes|closing|sign|signs|signed|land|lands|book|booked|happen|come in|win|won)",
    r"guaranteed (?:revenue|close|closes|win|wins|deal|deals|money)",
    r"(?:promise|guarantee) (?:me )?(?:it|that|this|they)",
    r"(?:competitor|competition|rival)s?'?s? (?:per[- ]seat |list |discount )?(?:pric\w+|quotes?|discounts?|rates?)",
    r"(?:price|pricing|quote|rate|discount) (?:is|are) (?:\w+ ){1,3}(?:quoting|offering|charging)",
    r"(?:quoting|charging|offering) (?:\w+ ){0,3}(?:per seat|a seat|per user|per licen[cs]e)",
    r"(?:termination|renewal|auto-?renew(?:al)?|liability|indemnity|indemnification|exit|penalty|confidentiality) "
    r"(?:clauses?|terms?|provisions?)",
    r"notice periods?", r"contract (?:terms|clauses?|language|wording)", r"auto-?renew(?:s|ed|ing|al)?",
    r"(?:does|did|will|would) (?:the|our|their|this|that) contract (?:\w+ )?(?:say|cap|limit|allow|include|have|let|"
    r"permit|mention|contain|require|stop|prevent)",
    r"yes or no(?=[^.?!]*\b(?:going to|gonna|will|land|close|sign|renew|pick|choose|buy)\b)",
    r"(?:going to|gonna|will|likely to)\b[^.?!]{0,60}\byes or no",
    r"(?:will|is|are) (?:[\w'’-]+ ){1,8}(?:close|sign|land|renew|slip|happen|go through|going to close)\b"
    r"(?!\s+(?:before|by|in|this|next|within|until|ahead of)\b)[^.?!]{0,40}"
    r"\bor not\b",
    r"(?:pick|choose|go with|select|prefer) us over", r"(?:going to|gonna|will) (?:\w+ ){0,2}renew",
    r"guaranteed? (?:\w+ ){0,3}(?:figure|number|amount|forecast|commit(?:ment)?|total)",
    r"guarantee (?:\w+ ){0,3}(?:books?|closes?|lands?|signs?|hits?|makes?|reaches?)",
    r"(?:planning|plan|going|intend(?:ing)?) to (?:grow|hire|expand|cut|reduce|raise)",
    r"financial(?:ly)? (?:healthy|health|stable|stability|strength|strong)",
    r"interviewing (?:elsewhere|somewhere else|for (?:a|another) (?:job|role))",
    r"(?:looking|leaving) for (?:a |another )?(?:new )?job",
    r"(?:might|may|is going to|will|planning to) (?:be )?(?:leav(?:e|ing)|quit(?:ting)?|resign(?:ing)?)",
    r"gut (?:call|feel(?:ing)?|instinct)",
    r"(?:going to|gonna|will|on track to|likely to) (?:\w+ ){0,2}(?:hit|make|reach|beat|miss) (?:his|her|their|my|our|"
    r"the|its) (?:number|numbers|target|targets|quota|plan)",
    r"(?:going to|gonna|will|likely to|about to) (?:\w+ ){0,2}(?:lose|churn|walk away|leave us|cancel)",
    r"(?:will|going to) (?:\w+ ){0,3}still be (?:a |our )?(?:customers?|clients?)",
    r"(?:about to be|going to be|getting|being) (?:pushed out|fired|let go|replaced|sacked|demoted|promoted)",

    r"to the (?:dollar|cent|penny)",
    r"(?:what|how much) (?:will|would|is) (?:\w+ ){1,4}(?:end up|finally|eventually|ultimately) (?:signing|paying|"
    r"closing|buying|settling)(?: (?:\w+ ){0,4}for)?",
    r"how much (?:will|am i going to|are we going to|is \w+ going to) (?:i |we |\w+ )?(?:actually |really )?"
    r"(?:win|close|book|sign|bring in|land)",
    r"what (?:\w+ ){0,3}will (?:actually|really|definitely|for sure) (?:close|book|land|sign|win)",
    r"(?:which|what) competitor (?:are|is|will|would) (?:they|\w+) (?:be )?(?:going to |gonna )?"
    r"(?:pick|choose|go with|select)",
    r"(?:going to|gonna|will|likely to) (?:pick|choose|go with|select) (?!us\b)\w+",
    r"(?:is|are|will) (?:she|he|they|we|it|[a-z]+) (?:actually |really |definitely |ever |truly )?(?:going to |gonna )?"
    r"(?:land|close|sign|win|get) (?:it|this|that|this one|that one|the deal)\b(?= before| by| in time| this| next)",
    r"(?:is|are) (?:[a-z]+ ){1,3}(?:actually |really |honestly |definitely )?(?:going to|gonna) (?:land|close|sign|win|"
    r"renew)\b(?=[^.?!]{0,40}\b(?:before|by|in time|this|next)\b)",
    r"how much (?:is|are) (?:[a-z]+ ){1,2}(?:going to|gonna) (?:book|close|win|sell|bring in|land)",
    r"(?:will|would) (?:[a-z]+ ){1,3}(?:buy|purchase|sign) (?:from us |with us )?again",
    r"(?:actually|really|truly) (?:going to|gonna) (?:close|sign|land|happen|come in)",
    r"(?:what|how much) (?:exactly )?(?:did|do|are|were|is) (?:they|the (?:competitor|other vendor|rival)|\w+) "
    r"(?:quote|quoting|charge|charging|offer|offering)\b",
    r"how (?:far|low|much) (?:down )?(?:will|would|are) (?:they|he|she) (?:going to |gonna )?(?:try to )?"
    r"(?:push|negotiate|squeeze|haggle|beat)",
    r"(?:going to|gonna|will|likely to) slip",
)  # fmt: skip
"""what nobody can know from the CRM - a promise about the future, a competitor's prices - even when the rest of the
message reads like an update or a search of the calls"""
RATE_WORD = words(r"share", r"proportion", r"fraction", r"percentage")
AMOUNT_WORD = words(r"(?<=deal )sizes?", r"(?<=deal )values?", r"(?<=deal )amounts?")
AMOUNT_FIELD = words(
    r"ticket(?: sizes?)?",
    r"deal sizes?",
    r"sizes?",
    r"values?",
    r"amounts?",
    r"in dollar terms",
    r"dollars?",
    r"\$",
    r"money",
)
CLOSING = words(r"close dates?", r"closing dates?",
                r"closing", r"close", r"closes", r"expected", r"due", r"slated", r"landing", r"set to close",
                r"forecast(?:ed)? to close", r"scheduled", r"dated to close", r"dated")  # fmt: skip
LIST_CUES = words(
    r"which", r"what are", r"show", r"list", r"give me", r"pull(?: up)?", r"display", r"find", r"get me", r"name",
    r"what", r"any", r"anything", r"all", r"see",
)  # fmt: skip
ORDER_DESC = words(r"biggest first", r"largest first", r"descending", r"highest first", r"top down", r"most first",
                   r"furthest (?:out )?first",
                   r"ranked", r"rank(?:ed)?", r"sorted by size")  # fmt: skip
ORDER_ASC = words(r"smallest first", r"lowest first", r"ascending", r"least first", r"bottom up",
                  r"(?:smallest|lowest|least|tiniest)(?: one| ones)? (?:is |are )?(?:at|on) (?:the )?top")  # fmt: skip
TOP_N = re.compile(
    r"\b(?:top|first|biggest|largest|highest|best|bottom|lowest|smallest|worst|last)\s+(\d{1,3}|three|five|ten|two|four)\b"
)
FILLERS = frozenset(
    """
    a an the of in on at to for from with by per as and or but if so is are was were be been being am do does
    did done have has had having what what's whats which who whom whose when where how show me list give tell
    please pls can could would will shall should may might must let let's lets i i'm i've i'd my mine we our
    us you your it its it's this that these those there here them they they've they're their all any some
    each every much many
    much more most less few fewer number just only also still even now right currently current today's please
    thanks thank hey hi hello ok okay yeah yes so like want need know see look looking get got getting find
    pull across spread spreads broken own owns owned owning belong belongs belonging
    themselves itself tagged labelled labeled filled
    up out about into over under than then too very really quite bit lot
    lots kind sort way stuff things thing one ones someone anyone everyone anything something nothing else
    other another same such again already yet instead sits buried specifically particularly namely mainly
    individual individually dragging
    after lunch breakfast slipped slipping
    rn right-now atm quick quickly fast asap overview summary
    summarize summarise breakdown rundown recap status update numbers figures figure stats data report view
    picture snapshot look-see check tell-me do-we we've currently going got on-hand hand think guess maybe
    perhaps possibly around approximately roughly exactly his her hers him herself himself though although even
    names name only just anywhere single whole field fields blank blanks rep's empty entire literally
    basically actually honestly
    tracking trending shaping hold holds together altogether you're youre full brought bring brings bringing
    turn turns use using far take driving drive drives driven once make makes told crm marked gets break down say box
    put late-stage late raw falling main ring annual
    supposed meant ought gonna wanna sitting sat currently anyway anyways btw fyi morning afternoon evening cheers
    regards carrying carry carries carried holding ended ending everything recorded running handling managing feeling
    ping nudge whatever answer remind stand well while among amongst fiscal book booked
    ceo cto cfo coo cio cmo cro ciso vp svp evp group groups send sent cost file bucket separate separately came come
    least moment hygiene lol lmao haha hahaha tbh ngl honest be basis points gap gaps batch bunch sweep tidying
    tidy cleanup clean-up
    through before qbr flag flagged attached written going whatever unrelated totally completely he's she's go goes
    narrow narrowed whittle trim pare cut either paid double-check double check confirm verify he she made
    performer performers assuming assume cleared via sit sat hygiene question questions deck slide
    um uh uhh er erm hmm umm sorry oops thats whats took taking went include including
    """.split()  # noqa: SIM905
)

PERFORMER = re.compile(
    r"\b(?:(?P<low>worst|weakest|bottom|lowest[- ]performing|under[- ]?performing)|top|best|leading|strongest|star|"
    r"number one|#1|highest[- ]performing|best[- ]performing|top[- ]performing|mvp)\s+"
    r"(?:(?P<n>\d{1,2}|two|three|four|five|ten)\s+)?"
    r"(?:sales\s*)?(?P<noun>sellers?|performers?|closers?|salespe(?:rson|ople)|reps?|producers?|earners?|aes?)\b"
    r"|\b(?:who(?:'s| is| was| has been)?|(?P<verb>is|are)) (?:(?P<low2>under[- ]?performing|struggling|lagging"
    r"(?: behind)?|falling behind|performing (?:the )?worst|doing (?:the )?worst)"
    r"|performing (?:the )?best|doing (?:the )?best|crushing it|killing it|on top)\b"
)
"""who sells best: the owner with the largest won amount (the worst: the smallest)"""

ROLES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (words(r"cfos?", r"chief financial officers?", r"finance (?:people|folks|contacts|leads?|team|side)",
           r"financial (?:people|folks|contacts)"), ("financ", "cfo")),
    (words(r"ctos?", r"chief technology officers?", r"tech(?:nical)? (?:people|folks|contacts|leads?)"),
     ("technology", "cto")),
    (words(r"ceos?", r"chief executives?(?: officers?)?"), ("ceo", "chief executive")),
    (words(r"vps?", r"vice presidents?"), ("vp", "vice president")),
    (words(r"procurement (?:people|folks|contacts|leads?|team|side)", r"purchasing (?:people|folks|contacts)"),
     ("procurement", "purchasing")),
    (words(r"security (?:people|folks|contacts|leads?)"), ("security",)),
    (words(r"it (?:people|folks|contacts|managers?)"), ("it manager", "it director")),
    (words(r"product (?:people|folks|contacts|managers?)"), ("product",)),
    (words(r"operations (?:people|folks|contacts|directors?)", r"ops (?:people|folks|contacts)"), ("operations",)),
    (words(r"decision[- ]?makers?", r"economic buyers?", r"budget holders?",
           r"c-?(?:level|suite)(?: people| folks| contacts| execs?| executives?)?",
           r"senior (?:people|folks|contacts|leaders|leadership|stakeholders)"),
     ("chief", "ceo", "cfo", "vp", "vice president", "head of", "director", "president", "founder", "owner")),
]  # fmt: skip
"""contacts asked about by their role ("the finance people", "CFOs"): words their job titles hold"""
