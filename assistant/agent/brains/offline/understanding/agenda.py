"""Whether a message asks what to do next ("what's first on my list this morning", "which accounts need love
this week"), read from its parts rather than from whole phrases: an agenda word, or a doing verb asked about
with a modal or a time that is now, and no record, stage or amount that would make it a question about data."""

import re

AGENDA = re.compile(
    r"\b(?:priorit(?:y|ies)|(?<!landed on my )(?<!landed on our )(?<!come onto my )plate|agenda|to-?dos?|"
    r"to do list|action items?|game ?plan|daily brief|morning brief|"
    r"on deck|up first|first thing|on my list|things to do|what to do|on fire|can(?:'t|not) wait|slipping|"
    r"dropping the ball|(?:have|did) i (?:dropped|forgotten|missed|let slip) anything|"
    r"(?:whatever|anything|what) i(?:'ve| have)? (?:forgotten|dropped|missed)|"
    r"(?:my|our|the) day(?: ahead)?|day look like|figure out my (?:day|week)|going on today|"
    r"most (?:important|urgent|useful|valuable|productive|impactful|worthwhile)|"
    r"need(?:s)? (?:love|attention|a nudge|a push|chasing|action|doing)|need action|"
    r"(?:energy|time|focus|effort|attention) (?:go|goes|be spent|be going)|going sideways|off the rails|"
    r"owe (?:customers|clients|people|anyone)|"
    r"move the needle|make (?:the )?(?:biggest|most) (?:difference|impact)|step in|jump in|get involved|on my side|"
    r"(?:really )?can(?:'t|not) wait|next moves?|if you were me|in my shoes|what would you do|out of the way)\b"
)
DOING = re.compile(
    r"\b(?:do(?! (?:they|we|i|you|these|those|he|she|it|the|my|our|all)\b)|doing|work on|working on|"
    r"focus(?:ing)? on|tackl(?:e|ing)|handl(?:e|ing)|deal(?:ing)? with|sort(?:ing)? out|take care of|chase|chasing|"
    r"call(?: back)?|"
    r"calling|ring|spend(?:ing)? (?:\w+ )?(?:today|the day|this week|(?:my|his|her|their|our) (?:day|time|week))|"
    r"put (?:my|his|her|their|our) (?:energy|time|effort|focus)|"
    r"knock (?:out|off)|crank out|get through|"
    r"push(?:ing)?(?: \w+)? to act|act on|acting on|get out of the way|clear(?:ed)?|"
    r"push|follow up|following up|followed up|reach out|prioriti[sz]e|spend (?:my|our|their) time|start|begin|"
    r"contact|g[eo]t (?:it |this |that |things |stuff )?done|get to|look at|nudge|step in|jump in|jump on|intervene|"
    r"spend (?:it|that|this|the (?:hour|time|afternoon|morning|day))|use (?:it|that|the time))\b"
)
ASKING = re.compile(r"\b(?:what|what's|which|who|whom|where|how|anything|something|any)\b|\?")
NOW = re.compile(
    r"\b(?:today|tonight|this morning|this afternoon|right now|now|first|next|this week|tomorrow|asap|"
    r"before (?:lunch|eod|end of day|friday|the weekend|i go|i leave|monday)|free hour|spare (?:hour|minute|time))\b"
)
MODAL = re.compile(r"\b(?:should|must|need to|have to|ought to|got to|gotta|haven't|have not)\b")
DATA_WORDS = re.compile(
    r"\b(?:stage|stages|prospecting|qualification|proposal|negotiation|closed|won|lost|amount|worth|revenue|"
    r"pipeline|forecast|win rate|closing|adds? up|sum|q[1-4]|quarter|conversion|average|total|how many|how much|"
    r"count|log|"
    r"logged|update|"
    r"(?<!next )move(?! the needle)|set|"
    r"create|draft|write|e-?mail (?:to|for)|say|said|transcri\w*|recording|summar\w*|next steps?|primary contacts?|"
    r"close dates?|missing|without|owns|owned by|by (?:lead )?score|lead scores?|qualified leads?|biggest first|"
    r"largest first)\b|\$|\d+k\b"
)
HOW_TO = re.compile(r"\bhow (?:do|can|could) (?:i|we)\b(?! prioriti[sz]e)")
DUE_LISTING = re.compile(r"\b(?:tasks?|follow-?ups?|reminders?)\b.*\b(?:due|overdue)\b|\boverdue\b")


def asks_for_agenda(text: str, names_a_record: bool) -> bool:
    """True when the message asks for the person's (or team's) next actions."""
    lowered = re.sub(r"\bwon't\b", "will not", text.lower().replace("’", "'"))
    if names_a_record or DATA_WORDS.search(lowered) or HOW_TO.search(lowered) or DUE_LISTING.search(lowered):
        return False
    asking = bool(ASKING.search(lowered)) or bool(
        re.match(r"\s*(?:help me|give me|tell me|show me|name|list|pick|suggest)\b", lowered)
    )
    if AGENDA.search(lowered) and (asking or NOW.search(lowered)):
        return True
    return bool(DOING.search(lowered) and asking and (NOW.search(lowered) or MODAL.search(lowered)))
