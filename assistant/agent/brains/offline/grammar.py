"""Sentence shapes the embedding classifier misses: requests the assistant does not do, imperative writes,
and names in a message that link to no record the person can see.

Everything here reads the person's own words with quoted text removed: a quotation is what to look for,
never an instruction.
"""

import calendar
import re

from assistant.agent.brains.offline.linking import STOPWORDS, Mention
from assistant.agent.brains.offline.slots import QUOTED
from assistant.agent.brains.offline.understanding.agenda import asks_for_agenda
from assistant.agent.brains.offline.understanding.normalize import english
from assistant.agent.brains.offline.understanding.spelled import UNITS
from assistant.agent.brains.offline.understanding.words import NEXT_DUE

LEAD_IN = (
    r"^\s*(?:(?:hey|hi|ok|okay|so|please|pls|now|then|can you|could you|would you|will you|i want to|i'd like to|"
    r"i need to|let's|lets|go ahead and|help me|quickly)[\s,]+)*"
)

UNSUPPORTED: list[tuple[str, re.Pattern[str]]] = [
    (
        "delete",
        re.compile(
            r"\b(delete|erase|wipe|purge|destroy)\b|" + LEAD_IN + r"(remove|drop|get rid of)\s+(?!the\s+(amount|price))"
            r"(?!(?:the |that )?(?:smallest|biggest|largest|lowest|highest|top|bottom|last|first)\b)"
            r"(?!(?:the |those |these |any |all (?:the )?)?[\w-]+ ones\b)"
            r"(?!(?:the |that |this )?[\w-]+ (?:filter|bit|part|"
            r"restriction|limit)\b)(?!(?:anything|any|everything|all|the ones?|those|these|ones|the \w+ ones|deals?|"
            r"opps?|opportunities)\s+(?:that|which|who|under|below|over|above|at|with|without|less|more|smaller|"
            r"bigger|worth|in|from|closing|not|of)\b)",
            re.I,
        ),
    ),
    (
        "reassign",
        re.compile(
            r"\b(re-?assign|transfer|hand (it |them |this |that |the \w+ )?(over|off))\b|"
            r"\b(change|set|update|switch|swap|make)\b[^.?!]*\b(owner|ownership)\b|\bnew owner\b|"
            r"\bassign\b[^.?!]*\bto\s+[A-Z]|"
            r"\bgive\s+(?!me\b|us\b|on\b|in\b|at\b|for\b|with\b|away\b|up\b|out\b|back\b|off\b)\w+\s+(?:my|the|this|that|our)\b"
            r"[^.?!]*\b(deal|account|contact|lead)s?\b|"
            r"\bgive\b[^.?!]*\b(deal|account|contact|lead)s?\s+to\s+(?!me\b|us\b)\w",
            re.I,
        ),
    ),
    (
        "bulk",
        re.compile(
            LEAD_IN + r"(mark|move|set|close|update|change|push|bump|win|lose|reset|delete|cancel)\b[^.?!]*"
            r"\b(every|all(?: of)?(?: the| my| our| their)?|each)\s+(\w+\s+){0,2}(deals?|opportunit(?:y|ies)|accounts?|"
            r"contacts?|leads?|records?)\b|" + LEAD_IN + r"(close|mark|win|lose)\s+everything\b",
            re.I,
        ),
    ),
    (
        "users",
        re.compile(
            r"\b(passwords?|api (keys?|tokens?)|credentials?)\b|"
            r"\b(make|promote|demote|give|grant)\b[^.?!]*\b(admin|administrator|manager role|superuser|permissions?|"
            r"access rights?)\b|"
            r"\b(create|add|invite|deactivate|disable)\s+(a\s+|an\s+|new\s+)*(users?|accounts? for)\b",
            re.I,
        ),
    ),
    (
        "send",
        re.compile(
            LEAD_IN + r"(send|e-?mail|text|message)\b(?![^.?!]*\b(me|draft)\b)"
            r"[^.?!]*\b(email|mail|message|contacts?|"
            r"customers?|everyone|all)\b|(?<!did i )(?<!did we )(?<!did i ever )(?<!did we ever )(?<!have we )"
            r"(?<!when i )(?<!i can )(?<!i'll )(?<!i will )"
            r"(?<!me to )\bsend (it|this|that|the email|the draft)"
            r"( now)?\b|\bexport\b(?![- ](?:control|licen[cs]|restrict|regulat|compliance|ban|list))",
            re.I,
        ),
    ),
    (
        "message",
        re.compile(
            r"(?:^|[.!?]\s+|\b(?:please|can you|could you|and)\s+)(?:text|sms|whatsapp|imessage)\s+(?!me\b)\w+|"
            r"\bforward\b[^.?!]*\bto\s+(?:my|his|her|their)\b[^.?!]*\b(?:address|e-?mail|inbox|gmail|outlook)\b|"
            r"\b(?:block|book|put|add|hold|schedule|create)\b[^.?!]*\b(?:on|in|to|into) (?:my|the|his|her|our) "
            r"(?:google |outlook |work |personal )?calendar\b|\b(?:send|sent) (?:an? |the )?(?:calendar )?invite\b|"
            r"\bpost (?:it |this |that |a (?:note|message|shout-?out) )?(?:in|to|into|on) "
            r"(?:#[\w-]+|the [\w-]+ channel)|"
            r"\bset (?:an? |the |my )?(?:alarm|timer|phone reminder)\b|\b(?:alarm|timer) on my (?:phone|watch)\b",
            re.I,
        ),
    ),
]

NOTE_WORDS = r"(?:thank[- ]you(?: (?:note|e-?mail|message))?|note|e-?mail|message|line|reply|follow[- ]?up|recap)"
EMAIL_ASKED = (
    r"(?<!did i )(?<!did we )(?<!last )(?<!have i )(?<!have we )(?<!ever )(?<!when i )"
    r"\b(?:e-?mail|shoot|send|drop|fire off|ping)\s+(?:[\w'-]+\s+){1,3}?(?:a|an)\s+(?:quick\s+|short\s+|brief\s+)?"
    rf"{NOTE_WORDS}\b(?! (?:task|reminder))|"
    r"\b(?:help me|can you|could you|please|i need to|i want to|i have to)\s+(?:reply|respond|write back)\s+to\b|"
    r"\b(?:compose|write|draft|prepare|put together|craft)\s+(?:a |an |the |my )?(?:quick |short |brief )?"
    r"(?:message|note|letter|thank[- ]you|recap|reply)\s+(?:to|for)\b|"
    r"\b(?:a|the)\s+(?:quick |short |brief )?follow[- ]?up (?:for|to) (?!(?:the |this |that |my )?(?:task|deal|call)\b)"
    r"(?:[A-Z][a-z]+|him|her|them)\b|"
    r"\bget (?:a|an|the) (?:quick |short )?(?:recap |follow[- ]?up |thank[- ]you )?(?:e-?mail|note|message) out\b|"
    r"\b(?:put|pull) (?:something|a note|an e-?mail|a message) together (?:for|to)\b|"
    r"\b(?:thank[- ]you|recap|follow[- ]?up) (?:e-?mail|note|message) (?:for|to)\b|"
    r"\bwhat should i (?:say|write) (?:to|in)\b|"
    r"\bwrite (?:him|her|them|back)\b(?: back)?|\bwrite [\w'-]+ back\b|"
    r"\bwrite (?:back )?to (?!(?:the )?(?:crm|database|log|file|system|disk)\b)|"
    r"\breply to (?:his|her|their|the) (?:last |latest )?(?:e-?mail|message|note)\b|"
    r"\b(?:get|send) (?:something|a (?:quick )?(?:note|line|message)) (?:out )?to\b|"
    r"\bsend (?:[\w'-]+ ){1,3}?something(?= on\b| about\b| re\b| regarding\b| after\b|\s*[-\u2013\u2014:])|"
    r"^\W*ping (?!me\b)(?:[\w'-]+ ){1,3}?(?:on|about|re)\b|"
    r"\b(?:i need to|i want to|i'd like to|help me|can you|could you|please) follow up with (?:[\w'-]+ ){1,3}?"
    r"(?:after|on|about|re|from|over)\b|"
    r"^\W*(?:[^.?!:]{0,80}[.:]\s*)?follow up with the (?:customer|client|buyer)\b|"
    r"\bwrite (?:the customer|the client|[\w'-]+(?: [\w'-]+)?) (?:a|an) (?:quick |short |brief )?"
    r"(?:note|line|message)\b|"
    r"\bfollow up with (?:[\w'-]+ ){1,4}(?:by|over|via) e-?mail\b|"
    r"^\s*(?:(?:can|could|would) you |please )?e-?mail (?:[A-Z][\w'-]+ ){1,2}(?:to |and )?"
    r"(?:thank|say|let|tell|ask|confirm|follow|check|see|propose|suggest|offer)\b"
)
"""a follow-up email asked for in other words: "shoot Tom a quick note", "help me reply to", "a follow-up for Tom\""""
INTERNAL_CALL = r"(?<!forecast )(?<!pipeline )(?<!team )(?<!internal )(?<!review )(?<!standup )(?<!sync )"
"""'last week's forecast call' is the team's own meeting, not a recorded call with a customer"""
STRETCH = r"(?:day|week|fortnight|month|quarter|year|few|couple|\d+|two|three|four|several)s?\b"
A_STRETCH = r"(?:last|past|next|previous|prior)\s+" + STRETCH
"""'in the last fortnight - no call': a stretch of time, not a call named by when it happened"""
RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "create_task",
        re.compile(
            LEAD_IN + r"(remind me(?! (?:what|when|who|how|which|whether|if|of)\b)|"
            r"set (?:me |myself )?(?:up )?(?:a |an )?(?:follow[- ]?up )?(?:reminder|task|to-?do)\b|"
            r"(?:create|add|make|new)\s+(?:a\s+|an\s+)?"
            r"(?:follow[- ]?up\s+)?(?:task|reminder|to-?do)|task:)",
            re.I,
        ),
    ),
    (
        "draft_followup_email",
        re.compile(
            r"\b(?![^.?!]*\b(?:in|to|as|into) (?:my |the |a )?notes?\b)(?:draft|write|compose|put together|craft|drop)"
            r"\s+(?:[\w'-]+\s+){0,3}?(?:an?\s+)?(?:quick\s+|short\s+|"
            r"brief\s+)?(?:thank[- ]you(?:\s+(?:note|e-?mail|message))?|something|a few lines|a line)\s+"
            r"(?:to|for|off|after|thanking|picking|following|about|on)\b|"
            + r"\b(?:i|we) (?:need|want|'d like|would like) (?:an?|the) (?:quick |short |brief )?(?:e-?mail|"
            r"follow[- ]?up(?: e-?mail)?|reply|message) (?:to|for|back to)\b(?![^.?!]*\?)|"
            + LEAD_IN
            + r"(draft|write|compose|prepare|put together|craft)\b[^.?!]*\b(e-?mail|follow[- ]?up|reply|"
            r"(?:note|message|letter) to (?:the |our )?(?:customer|client|buyer|them|him|her))\b|"
            r"(?:[:;,\u2013\u2014-]|\bright|\bok(?:ay)?|\bso)\s+(?:(?:please|pls|can you|could you|would you|now|then|"
            r"just)\s+)*(?:draft|write|compose|prepare|put together|craft)\s+(?:(?:him|her|them|me|us|the customer|"
            r"the client|[A-Z]\w+)\s+)?(?:a|an|the)\s+(?:quick\s+|short\s+|brief\s+)?(?:follow[- ]?up|e-?mail|reply)\b|"
            r"\b(?:need|want|like|get|have)\s+(?:me\s+)?(?:a|an)\s+(?:quick\s+|short\s+|brief\s+)?"
            r"follow[- ]?up\s+(?:e-?mail|mail|note|(?:to|for) (?:him|her|them|the customer|the client)\b)|"
            + LEAD_IN
            + r"e-?mail\s+(?!(?:address(?:es)?|addy|for|of|from|on|with|history|thread)\b)(?:[A-Za-z][\w'-]*\s+){1,4}?"
            r"(?:to (?!me\b)|about|re|regarding|asking|and (?:ask|tell|say|chase|remind|thank)|thanking)\b|"
            + EMAIL_ASKED,
            re.I,
        ),
    ),
    (
        "log_activity",
        re.compile(
            LEAD_IN + r"(log|record)\s+(?:(?:a|an|the|that|this|my|it|our|as)\s+)*(call|meeting|email|note|demo|"
            r"conversation|chat|visit|touchpoint)?\b|"
            + LEAD_IN
            + r"(add|attach|put|jot down|write down|leave)\s+(a|an|this|the|my)?\s*(quick\s+)?(note|comment)\b",
            re.I,
        ),
    ),
    ("update_deal", re.compile(r"\bnext step\b[^:?]{0,80}:\s*\w", re.I)),
    (
        "get_deal",
        re.compile(r"\b(?:main|primary|key) contact (?:on|for) [^?.!]{0,60}?\b(?:deal|opportunity|opp)\b(?!s)", re.I),
    ),
    (
        "deal_risk",
        re.compile(
            r"(?<!when )(?<!what date )(?<!which date )(?<!what day )"
            r"\b(?:is|are) (?:the|this|that|it|my|our)\b[^?.!,]{0,60}?\b(?:likely|on track|on course|set|going) to "
            r"(?:close|sign|land|slip|happen|come in)\b|\b(?:chances?|odds|likelihood) (?:of|that) "
            r"(?:(?:the|this|that|it|my|our)\b[^?.!,]{0,60}?\b)?(?:clos|sign|land|win)",
            re.I,
        ),
    ),
    (
        "list_activities",
        re.compile(
            r"^\s*(?:(?:my|our|the|all|recent|latest)\s+)*(emails|meetings|activities)\b"
            r"(?!.*\b(?:how many|count|number of|total|since|per|by)\b)",
            re.I,
        ),
    ),
    (
        "search_notes",
        re.compile(
            LEAD_IN + r"(?:search|grep)\b(?!\s+for\s+(?:an?\s+|the\s+)?(?:accounts?|contacts?|leads?|deals?|"
            r"compan(?:y|ies))\b)|"
            + LEAD_IN
            + r"(?:find|look for|look up|pull up|show)\s+(?:(?:any|all|my|the|our|team'?s|recent)\s+)*"
            r"(?:notes?|transcripts?|call notes)\s+(?:that\s+|which\s+)?(?:for|about|on|mention|mentions|mentioning|"
            r"with|containing|saying|says|say)\b",
            re.I,
        ),
    ),
    (
        "get_call_summary",
        re.compile(
            r"^\s*what\s+(?:did|has|have|do|does)\s+\S[^.?!]*\b(?:say|said|tell|told|think|thought)\b|"
            r"\b(?:on|from|in|during)\s+(?:the|my|our|their|this|that)\s+(?!"
            + A_STRETCH
            + r")(?!teams?\b)(?!(?:[\w&.'’-]+\s+){0,5}?(?:logged|made|placed|booked|scheduled|had|has|hasn'?t|"
            r"haven'?t|didn'?t|done)\s)(?:[\w&.'’-]+\s+){0,5}"
            + INTERNAL_CALL
            + r"call\b(?!\s+(?:with|on|at \d|at noon|later|tomorrow|this afternoon|this morning|today))|"
            r"(?<!did i )(?<!did we )(?<!have i )(?<!have we )(?<!i )"  # "when did I last call her": the verb
            r"(?<!when was my )(?<!when was our )(?<!when's my )(?<!whens my )(?<!date of my )(?<!when was the )"
            r"(?<!day was my )(?<!date was my )(?<!day was our )(?<!date was our )(?<!day of my )"
            r"\b(?:last|latest|recent|previous|most recent)\s+"
            r"(?!time\b|" + STRETCH + r")(?:[\w&.'’-]+\s+){0,4}" + INTERNAL_CALL + r"call\b",
            re.I,
        ),
    ),
]
CONTACT_PEOPLE = re.compile(
    r"^\s*(?:so\s+|and\s+|ok\s+)?(?:who|whom)\s+(?:should|do|can|could|would|shall|must|to)\s+(?:i|we)?\s*(?:call|ring|phone|"
    r"contact|e-?mail|reach out to|reach|talk to|speak to|speak with|get in touch with|meet with|meet|ask)\b"
    r"[^?]*\b(?:at|from|in)\s+\S|"
    r"^\s*(?:so\s+|and\s+|ok\s+)?who(?:'s|’s|\s+is|\s+are|\s+would be)\s+(?:my|our|the|their)\s+"
    r"(?:main\s+|primary\s+|key\s+|best\s+|usual\s+)?(?:contacts?|decision[- ]?makers?|champions?|buyers?|"
    r"economic buyer|point of contact|poc|sponsor|executive sponsor|signer|signatory)\s+(?:at|with|from)\b"
    r"(?![^?]*\b(?:deal|opportunity|opp|calls?|recordings?)\b)|"
    r"^\s*(?:so\s+|and\s+|ok\s+)?who\s+(?:do|did)\s+(?:we|i|you)\s+(?:know|have)\s+(?:(?:on file|in the crm|listed|"
    r"recorded|over)\s+)?(?:at|in|from|for)\s+\S"
    r"(?![^?]*\b(?:deal|opportunity|opp|calls?|recordings?)\b)|"
    r"^\s*(?:so\s+|and\s+|ok\s+)?(?:which|what)\s+people\s+(?:are|do we have|have we got)\b[^?]*\b(?:at|for|from)\s+\S"
    r"(?![^?]*\b(?:deal|opportunity|opp|calls?|recordings?)\b)",
    re.I,
)
"""asks which person to talk to at an account, or whom we know there: contacts, not recorded calls"""
DECISION_MAKER = re.compile(
    r"\b(?:decision[- ]?makers?|economic buyer|budget holder|signer|signatory|who signs|sign(?:s|ing)? off|"
    r"executive sponsor|most senior|highest[- ]ranking)\b",
    re.I,
)
RANK_PEOPLE = re.compile(
    r"^\s*(?:so\s+|and\s+|ok\s+)?(?:who|which\s+(?:reps?|sellers?|salespeople|salesperson|person|people|owners?|"
    r"members?|one)|what\s+reps?)\b"
    r"(?![^?]*\b(?:won|win|wins|closed|lost|sold|booked|stale|quiet|idle|neglected|overdue|tasks?|leads?)\b)"
    r"[^?]*\b(?:most|biggest|largest|highest|greatest|more|top)\b"
    r"[^?]*\b(?:pipeline|pipe|deals|opportunities|opps)\b",
    re.I,
)
"""ranks the people who own the pipeline ("who on my team has the biggest pipeline")"""
MOST_DEALS = re.compile(r"\b(?:most|fewest|more|number of|how many)\s+(?:open\s+)?(?:deals|opportunities|opps)\b", re.I)
QUESTION = re.compile(
    r"^\s*(what|what's|whats|when|where|which|who|whom|whose|why|how|is|are|does|do|did|has|have|was|were)\b", re.I
)
UPDATE_VERBS = re.compile(
    LEAD_IN + r"(move|bump|raise|lower|increase|decrease|reduce|(?:cut|drop)(?!\s+(?:anything|everything|those|these|"
    r"the ones|ones|any|(?:that|it|this|them|the list)(?: down)? to (?:the ones|ones|just|only|those|these))\b)|"
    r"push|pull(?! up\b)(?!\s+(?:every|each|all|any)\b)"
    r"(?!(?:[\s,]+[\w'-]+){0,5}?[\s,]+(?:deals|opps|opportunities|pipeline|list|numbers|figures|"
    r"report)\b)|"
    r"slip|change|update|set|"
    r"mark|close|adjust|bring)\b",
    re.I,
)
STAGE_WORDS = re.compile(
    r"\b(prospecting|qualification|qualified|proposal|negotiation|negotiating|closed won|closed lost|won|lost)\b", re.I
)
MONEY = re.compile(r"\$\s*\d|\b\d[\d,.]*\s*(k|m|mm|million|thousand)\b|\b\d{4,}\b", re.I)
DATE_WORDS = re.compile(
    r"\b(close date|next (week|month|quarter|year)|tomorrow|today|\d{4}-\d{2}-\d{2}|"
    + "|".join(m.lower() for m in calendar.month_name if m)
    + "|"
    + "|".join(d.lower() for d in calendar.day_name)
    + r")\b",
    re.I,
)

COMMON_TEXT = """
    add adjust ask asked bring bump can't cancel change check close could delete did does done draft email
    find get give go going had help hey hi hello dear greetings morning afternoon evening cheers is it's just know
    let let's like list log look lower make mark
    may might move need note notes ok okay please pull push put raise recap record reduce remind set should
    show slip summarise summarize tell thanks update want what's where's who's will write yes you're
    prospecting qualification proposal negotiation closed won lost stage pipeline forecast risk renewal
    q1 q2 q3 q4 ytd i'm i've i'd crm ceo cfo cto vp bant
    same other first second third whole current old big biggest largest latest recent main everyone
"""
COMMON_WORDS = (
    STOPWORDS
    | frozenset(COMMON_TEXT.split())
    | frozenset(["not", "never", "no", "yes", "urgent", "asap", "fyi", "btw", "nb", "ps"])
)
MONTH_AND_DAY_WORDS = frozenset(
    [m.lower() for m in calendar.month_name if m]
    + [m.lower() for m in calendar.month_abbr if m]
    + [d.lower() for d in calendar.day_name]
)
NAME_RUN = re.compile(r"[A-Z][\w&.'’-]*(?:\s+(?:-\s+|&\s+|of\s+)?[A-Z][\w&.'’-]*)*")
LOWER_RECORD = re.compile(
    r"\b(?:the|on|for|at|about|with)\s+([a-z][\w&.'’-]+(?:\s+[a-z][\w&.'’-]+){0,2})\s+(?:deal|account|opportunity)\b"
)
AFTER_PREPOSITION = re.compile(r"\b(?:about|on|for|at|with)\s+([a-z][\w&.'’-]+(?:\s+[a-z][\w&.'’-]+)?)\s*[?.!:]?\s*$")


_ACT_WHO = r"(?:i|we|the team|my team|the reps|my reps|our reps|reps|everyone|he|she|they)"
_ACT_MODAL = r"(?:should|do|must|can|could|shall|ought to|need to|have to|had better|'d better)"
_ACT_VERB = (
    r"(?:do|work on|focus on|tackle|prioriti[sz]e|jump on|look at|chase|pick up|start with|handle|deal with|"
    r"action|address|get (?:to|on|done)|"
    r"be (?:doing|working on|focusing on|chasing|calling|prioriti[sz]ing|following up|looking at|tackling|handling|"
    r"actioning|pushing|driving|moving))"
)
NEXT_ACTIONS = re.compile(
    rf"\bwhat (?:else |first )?{_ACT_MODAL} (?:{_ACT_WHO}|[a-z]+) {_ACT_VERB}\b|"
    rf"\bwhat (?:else |first )?{_ACT_WHO} {_ACT_MODAL} {_ACT_VERB}\b|"
    rf"\bthings? (?:that )?(?:{_ACT_WHO}|[a-z]+) {_ACT_MODAL} {_ACT_VERB}\b|"
    rf"\bwhat (?:{_ACT_MODAL}|does|do) (?:{_ACT_WHO}|[a-z]+) (?:make sure|need to make sure|have to make sure) "
    r"(?:\w+ )?(?:gets?|get|has|have|does|do|finishes|finish)\b|"
    r"\b(?:anything|something|what(?:'s| is)?|stuff)\b[\w\s']{0,20}\b(?:urgent|pressing|on fire|burning)\b|"
    r"\bto-?do(?: list)?\b.*\b(?:today|for the day|this morning|this week)\b|"
    r"\b(?:tackle|handle|do|chase) first\b|"
    rf"\bwhat (?:do|does|should|must) {_ACT_WHO} (?:need|have|ought) to {_ACT_VERB}\b|"
    r"\bprioriti[sz]e (?:my|our|the team's|my team's) (?:day|week|morning|work|time)\b|\bgame ?plan\b|"
    r"\bplan of attack\b|\bmost urgent\b|\bwhere do (?:i|we) (?:start|begin)\b|\b(?:dropping|dropped) the ball\b|"
    r"\bfallen (?:through|between) the cracks\b|"
    r"\bwhat(?:'s| is) (?:on )?my (?:plate|list|agenda)\b|"
    r"\bwho (?:should|do|must|can) (?:i|we) (?:call|ring|phone|e-?mail|contact|reach out to|follow up with|chase|"
    r"speak (?:to|with)|talk to)(?: (?:today|first|next|now|this morning|this week))?\s*[?.!]*$|"
    r"\bwhich (?:customers|accounts|contacts|clients|people|deals) should (?:i|we) (?:call|ring|phone|contact|chase|"
    r"follow up with|reach out to|prioriti[sz]e|focus on|work on)\b|\bwhat am i (?:behind on|missing|forgetting)\b|"
    r"\b(?:needs?|requires?|deserves?) (?:my|our|the team's|my team's|the reps'|their|urgent|immediate) attention\b|"
    r"\b(?:anything|something|what)\b[\w\s']{0,25}\b(?:follow(?:[- ]up)? on|chase(?: up)?|take care of|deal with|"
    r"act on|jump on)\b[\w\s']{0,15}\b(?:today|this morning|right now|first|before (?:lunch|eod|end of day))\b|"
    r"\bmy (?:priorities|to-?do(?: list)?|next (?:actions?|steps))\b|"
    r"\b(?:today'?s|todays|my|the|this week'?s) (?:hit ?list|to-?do(?: list)?|priority list|punch list|call list)\b|"
    r"\bmorning (?:brief|briefing|rundown)\b|\b(?:most important|top priority|first) thing\b|"
    r"\bwhat (?:\w+ ){0,4}(?:be )?(?:worr(?:y|ying|ied)|concerned|nervous|stressing) about\b"
    r"(?! (?:the|that|my|our|\w+'s) \w)|"
    r"\bkeeps? (?:me|you|us) up at night\b|"
    r"\bwhat(?:'s| is) slipping\b|\bletting (?:\w+ )?slip\b|"
    r"\b(?:fall|slipp?)(?:ing|en|ed)? (?:through|thru) the cracks\b|"
    r"\b(?:anything|what(?:'s| is)?) (?:that )?(?:i'?m|i am|we'?re|we are|i'?ve|i have) "
    r"(?:forgetting|missing|forgotten|dropping|dropped|overlooking|overlooked|behind on|neglecting)\b|"
    r"\b(?:need|needs)\s+(?:a\s+)?(?:nudge|push|poke|kick|chasing|chaser|follow[- ]?up)\b|"
    r"\b(?:most |really )?needs? (?:me )?to (?:call|ring|phone|chase|follow up|touch|get on the phone)\b|"
    r"\b(?:most |really )?needs? (?:a )?(?:call|touch|ring)(?: from me)?\b|"
    r"\bwhat needs (?:doing|to be done|attention)\b|"
    r"\bwhat(?:'s| is) (?:still )?left to (?:do|get done|sort out)\b|\bplan (?:for )?my day\b|"
    r"\bwhat (?:needs|wants|deserves) me\b|"
    r"\b(?:effort|time|energy|work) (?:would |will |might )?pay off\b|\bpay off (?:the )?most\b|"
    r"\bwhere should (?:the|my|our) team be (?:putting|spending|focusing) (?:its|their|our)? ?(?:effort|time|energy)\b|"
    r"\b(?:only|just) (?:get|have) (?:time for |to do )?one thing\b|\bone thing (?:done|to do)\b|"
    r"\bleav(?:e|ing) (?:\w+ ){0,2}hanging\b|\b(?:before|if) i (?:walk out|leave|head off|go on leave|go off)\b|"
    r"\b(?:what(?:'s| is)|anything|something) (?:\w+ )?(?:due|on) (?:from me |for me |on me )?"
    r"(?:today|this morning|right now)\b|"
    r"\bwho (?:should|do|must|can) (?:i|we|my reps|my team|the team|the reps|our reps|they|he|she) (?:be )?"
    r"(?:calling|ringing|phoning|chasing|e-?mailing)\b|"
    r"\b(?:let|allowed) (?:\w+ ){0,2}(?:go|slip|slide) past (?:its|their|the) due dates?\b|"
    r"\btop of (?:my|the|our) (?:list|pile)\b|"
    r"\bwhere should (?:it|that|the time|that time|my time|the hour|that hour) go\b|"
    r"\b(?:calls?|dials?|phone calls?|visits?|e-?mails?)\b[^.?!]{0,40}\b(?:who|which (?:ones?|people|accounts|contacts"
    r"|deals)) (?:should|would|could|must|do) (?:they|those|these|it|that|i (?:make|call|pick)|i) (?:be|go to)\b|"
    r"\bwho (?:should|would|could) (?:be )?(?:my|the) (?:first|next|top(?: \w+)?) (?:calls?|dials?)\b|"
    r"\bwhere should (?:i|we|my team|the team|the reps|my reps) (?:start|focus|put (?:my|our|their) (?:time|energy))\b",
    re.I,
)
TEAM_WIDE = re.compile(r"\b(?:team|we|our|org|company|everyone|across|reps)\b", re.I)


INSIGHTS: list[tuple[str, re.Pattern[str]]] = [
    ("competitor_mentions", re.compile(
        r"\bcompetitors?\b.*\b(?:most|mentioned|mentions|comes? up|often|frequent|top|which|who|count|how many)\b|"
        r"\b(?:most|which|who|top)\b.*\b(?:competitor|rival)s?\b|"
        r"\b(?:whose|which|what) names?\b.*\b(?:keeps?|kept) (?:coming|popping|cropping|showing) up\b|"
        r"\b(?:who|which vendors?) (?:are|do|did) (?:we|i) (?:keep )?(?:bump(?:ing)? into|run(?:ning)? into|"
        r"up against|losing to|facing)\b.*\bmost\b", re.I)),
    ("bant_check", re.compile(
        r"\bbant\b|(?<!or )(?<!, )(?<!and )\bqualif(?:y|ies|ied)\b(?!\s*\))"
        r".*\b(?:budget|authority|need(?=\s*(?:,|and\b|or\b|\)|\?|$))|timeline|"
        r"calls?)\b|"
        r"\bbudget\b(?=.*\bauthority\b)(?=.*\bneeds?\b)", re.I)),
    ("stage_fit", re.compile(
        r"\bstage\b.*\b(?:match|matches|consistent|fit|fits|line up|lines up|align|aligned|right|justified|reflect|"
        r"supported|back(?:ed)? up|make sense|believable|credible|realistic|plausible|accurate|honest|hold up|"
        r"holds up|earned|deserved|warranted)\b|\b(?:match|consistent|fit|align)\w*\b.*\bstage\b|"
        r"\b(?:activity|activities|engagement)\b.*\bback (?:that|the|this|its|their) stage up\b|"
        r"\b(?:activity|activities|engagement)\b.*\b(?:backs?(?: (?:that|it|this))? up|support|justif\w*|match\w*|"
        r"consistent|line up|lines up|square)\b.*(?:\bstage\b|\b(?:prospecting|qualification|proposal|negotiation)\b)|"
        r"\b(?:prospecting|qualification|proposal|negotiation)\b.*\b(?:believable|credible|realistic|plausible|"
        r"accurate|right|justified|legit|fair|true)\b.*\b(?:activity|activities|engagement)\b|"
        r"\b(?:is|are|still)\s+(?:it\s+)?(?:in\s+)?(?:prospecting|qualification|proposal|negotiation)\s+(?:still\s+)?"
        r"(?:the\s+)?(?:right|correct|proper|best)\s+(?:stage|place)\b|"
        r"\b(?:prospecting|qualification|proposal|negotiation)\b.*\b(?:activity|activities|engagement)\b.*"
        r"\b(?:backs?(?: (?:that|it|this))? up|support|justif\w*|match\w*|consistent|line up|square)\b", re.I)),
]  # fmt: skip


SPECIALISED = re.compile(
    r"\b(?:at risk|risky|riskiest|risk (?:summary|brief|report|scores?|levels?|of)|risk-weighted|worry|worried|"
    r"in trouble|in danger|jeopardy|likely to (?:lose|slip|fall through)|red flags?|weekly (?:risk )?brief|"
    r"recorded (?:calls?|meetings?|conversations?)|(?:calls?|meetings?) (?:we |i |that were )?recorded|"
    r"recordings?|transcripts?|what did .* say|call summar(?:y|ies))\b",
    re.I,
)
"""questions for the risk, call and brief tools, not for the query over records"""


def specialised(message: str) -> bool:
    return bool(SPECIALISED.search(strip_quoted(message)))


def insight_intent(message: str) -> str | None:
    """competitor_mentions, bant_check or stage_fit when the message asks for one of those judgements."""
    text = strip_quoted(message)
    return next((tool for tool, pattern in INSIGHTS if pattern.search(text)), None)


RECORDS_ASKED = re.compile(
    r"\b(?:deals|opps|opportunities|tasks|leads)\b[^.?!]{0,60}\b(?:past (?:their|the) close dates?|close dates? "
    r"(?:has |have )?(?:already )?(?:gone by|passed)|biggest first|largest first|by (?:size|amount|score)|"
    r"with (?:the|their) owners?|without (?:a|any) next step|no next step|(?:gone|been|sat) (?:the )?longest)\b|"
    r"\btasks\b[^.?!]{0,40}\b(?:past (?:their|the|its) due dates?|overdue|past due)\b|"
    r"^\W*which (?:of )?(?:my|our|the team's|\w+'s) (?:open |active |live )?(?:deals|opps|opportunities|accounts)\b"
    r"[^.?!]{0,80}\b(?:nobody|no one|untouched|touched|quiet|cold|stale|no (?:calls?|e-?mails?|meetings?|activity|"
    r"contact))\b|"
    r"^\W*which (?:of )?(?:my|our|the team's|\w+'s) (?:open |active |live )?leads\b"
    r"(?![^.?!]*\b(?:should|needs?|ought to|must|focus|prioriti[sz]e|chase first|call first|work on)\b)|"
    r"\b(?:i'?m|i am|we'?re|we are) (?:after|looking for|hunting for)\s+(?:the |all |any |every )?"
    r"(?:open |active |live )?(?:deals|opps|opportunities|leads|tasks|accounts)\b[^.?!]{0,80}"
    r"\b(?:worth|over|above|more than|nobody|no one|without|with no|not|never|closing|due|past|in)\b",
    re.I,
)
"""records asked for with a filter or an order: a list, whatever agenda word the message also uses"""


def next_actions(message: str, names_a_record: bool = False) -> dict[str, str] | None:
    """The next_actions arguments when the message asks what to do today (or whom to call), else None."""
    text = strip_quoted(message)
    if not NEXT_ACTIONS.search(text) and not asks_for_agenda(text, names_a_record):
        return None
    if RECORDS_ASKED.search(text):  # "What's slipping? Open deals already past their close date, biggest first"
        return None
    if NEXT_DUE.search(text.lower()):  # "what's the next task coming up on my list": one task, not the agenda
        return None
    if names_a_record and DETAIL_ASKED.search(text):  # "I need to ring Lucas at Acme, what's his number?"
        return None
    if names_a_record and re.search(r"\b(?:to-?dos?|to-?do list|tasks?)\b", text, re.I):
        return None  # "what's on my to-do list for Tyrell Biotech": that account's tasks, not the whole agenda
    if ONLY_DUE_TODAY.search(text) or AMOUNT_BOUND.search(text):
        return None  # "only what's due today", "just my open deals over $50k": those records, not the agenda
    asked: dict[str, str | int] = {"owner": "my_team" if TEAM_WIDE.search(text) else "me"}
    if (howmany := HOW_MANY_ACTIONS.search(text.lower())) is not None:
        said = next(group for group in howmany.groups() if group)
        asked["limit"] = max(1, min(int(said) if said.isdigit() else UNITS[said], 50))
    return asked


ONLY_DUE_TODAY = re.compile(r"\b(?:only|just)\b[^.?!]{0,20}\bdue today\b|\bdue today only\b", re.I)
AMOUNT_BOUND = re.compile(r"\b(?:over|above|more than|at least|bigger than|under|below|less than)\s+\$?\d", re.I)
HOW_MANY_ACTIONS = re.compile(
    rf"\b(?:top|only|just|first|best) (?:(\d{{1,2}})|({'|'.join(UNITS)})) (?:\w+ )?(?:calls?|dials?|people|"
    r"things|actions|accounts|contacts|deals|priorities|tasks|moves|items)\b|"
    rf"\b(?:get|have|make|do) (?:time for )?(?:(\d{{1,2}})|({'|'.join(UNITS)})) (?:calls?|dials?|things)\b|"
    rf"\b(?:a|my|the) top (?:(\d{{1,2}})|({'|'.join(UNITS)}))\b(?! (?:deals|accounts|opps|leads|reps|customers)\b)"
)
"""how many next actions the person asked for: 'my top 3 priorities', 'if I only get three calls in today'"""


DETAIL_ASKED = re.compile(
    r"\b(?:(?:phone )?number|phone|mobile|cell|e-?mail address|title|role)\b\W*(?:again\W*)?$|#|"
    r"\b(?:what(?:'s| is)|give me|get me|send me|need)\b[^.?!]{0,20}\b(?:phone number|number|mobile|cell|"
    r"e-?mail address|direct line)\b",
    re.I,
)
"""a contact detail asked of the person named, beside a call or visit the asker plans"""


def strip_quoted(message: str) -> str:
    """The message with quoted passages blanked out (apostrophes inside words are not quotes)."""
    return QUOTED.sub(" ", message)


def quoted(message: str) -> str | None:
    """The first quoted passage in the message, if any."""
    m = QUOTED.search(message)
    return m[1].strip() if m else None


def unsupported(message: str) -> str | None:
    """What the message asks for that the assistant never does (delete, reassign, bulk change, manage users,
    send): the key of its answer template, or None."""
    text = strip_quoted(message)
    return next((key for key, pattern in UNSUPPORTED if pattern.search(text)), None)


def is_question(message: str) -> bool:
    """Whether the message asks something (rather than tells the assistant to change something)."""
    text = strip_quoted(message)
    return bool(QUESTION.search(text) or REMIND_WHAT.search(text) or CAN_YOU_SEE.search(text))


CAN_YOU_SEE = re.compile(
    r"(?:^|[.!?]\s+)(?:can|could) you (?:see|tell|check|find out|look up|confirm|show)\b"
    r"(?![^?]*\b(?:log|record|note down|jot|save|add|create|update|set|mark|move|change|schedule)\b)[^?]*\?",
    re.I,
)
"""'… Can you see whether she has opened the envelope yet?': a question after the news it is about, not a log"""


FIGURE_QUESTION = re.compile(
    r"\b(?:totals?|beside|versus|vs|compared?|against|side by side|so (?:i|we) can see|who'?s ahead|how much|"
    r"how many)\b",
    re.I,
)
"""words of a question about figures: "set my won total beside Jack's" compares, it changes nothing"""
TELL_ME_WHAT = re.compile(
    r"\b(?:remind me|tell me|let me know|show me|confirm|check)(?: again)? (?:what|when|which|who|how|of|whether|if)\b|"
    r"\bwhat(?:'s| is| are| was| were)\b",
    re.I,
)
"""a question about what a deal holds ("remind me what the next step and the close date are"), not a change"""
REMIND_WHAT = re.compile(
    r"^\W*(?:(?:and|also|ok|so|please|pls|can you|could you)\W+)*(?:remind me|tell me|let me know|show me)(?: again)? "
    r"(?:what|when|which|who|how|of|whether|if)\b",
    re.I,
)


DRAFT_RULE = dict(RULES)["draft_followup_email"]
WRITE_RULES = frozenset({"create_task", "draft_followup_email", "log_activity", "update_deal"})
"""rules that ask for a change or a draft themselves: a draft asked later does not override them"""
"""a draft asked for in a sentence of its own, after a greeting or an explanation"""


GIFT = re.compile(r"\b(?:birthday|gift|card|flowers|present|hamper|swag|bottle of)\b", re.I)
EMAIL_WORD = re.compile(
    r"\b(?:draft|compose|reply|follow[- ]?up (?:note|e-?mail)|(?:an?|the) (?:e-?mail|message|note)|"
    r"e-?mail (?:him|her|them|to))\b",
    re.I,
)


def a_gift(message: str) -> bool:
    """Whether 'send something' in the message is a gift or a card rather than an email."""
    return bool(GIFT.search(message)) and not EMAIL_WORD.search(message)


def rule_intent(message: str) -> str | None:
    """The tool an unmistakable sentence shape asks for ("log a call...", "remind me...", "search notes..."),
    or None to let the classifier decide."""
    text = strip_quoted(message)
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", text)]  # wrapped lines rejoined
    gift = a_gift(text)  # "I'd like to send something to her"
    drafted_later = any(DRAFT_RULE.search(sentence) for sentence in sentences[1:]) and not gift
    for intent, pattern in RULES:
        if pattern.search(text):
            if intent == "draft_followup_email" and gift:
                continue
            if drafted_later and intent not in WRITE_RULES:  # "… on our last call. write the follow-up …"
                return "draft_followup_email"
            return intent
    if drafted_later:
        return "draft_followup_email"  # "Hi, Nina's out today. Can you draft a follow-up email for …
    if CONTACT_PEOPLE.search(text):
        return "find_contacts"
    if RANK_PEOPLE.search(text):
        return "pipeline_summary"
    if not UPDATE_VERBS.search(text) or re.search(r"\b(remind|reminder|task|to-?do)\b", text, re.I):
        return None
    if FIGURE_QUESTION.search(text) or TELL_ME_WHAT.search(text):
        return None
    if MONEY.search(text) or STAGE_WORDS.search(text) or DATE_WORDS.search(text) or "next step" in text.lower():
        return "update_deal"
    return None


def _blank_mentions(text: str, mentions: list[Mention]) -> str:
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        words = [re.escape(w) for w in mention.text.split()]
        text = re.sub(r"\b" + r"\W+".join(words) + r"(?:'s|’s)?(?!\w)", " ; ", text, flags=re.I)
    return text


def _is_common(words: list[str], vocabulary: frozenset[str]) -> bool:
    return all(
        w in COMMON_WORDS or w in MONTH_AND_DAY_WORDS or w in vocabulary or w.isdigit() or len(w) < 2 for w in words
    )


def _word(token: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", token.lower().strip(".,'’"))


def _clean(phrase: str) -> str:
    phrase = re.sub(r"(?:'s|’s)$", "", phrase.strip(" .,:;?!"))
    return phrase.strip(" .,:;?!-")


def unlinked_name(
    message: str, mentions: list[Mention], vocabulary: frozenset[str] = frozenset(), loose: bool = True
) -> str | None:
    """A name the message gives for a record that linked to nothing the person can see, or None.

    Read from the message alone, so the answer is the same whether such a record exists out of sight or not.
    `vocabulary` holds lower-case words that are not record names here (regions, industries, team names).
    `loose` also takes an uncapitalised phrase at the end of the message ("tell me about globex"): right when
    the request needs a record, too eager when the record is optional ("what's on my plate").
    """
    text = _blank_mentions(strip_quoted(message), mentions)
    for match in NAME_RUN.finditer(text):
        tokens = match[0].split()
        opens_sentence = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1:] in ".?!:\n"
        if opens_sentence and len(tokens) == 1 and _word(tokens[0]) in english():
            continue  # "… every overdue task. Assuming that's right, …": a word that starts a sentence
        while tokens and (tokens[0] in ("-", "&") or _is_common([_word(tokens[0])], vocabulary)):
            tokens = tokens[1:]
        if tokens and not _is_common([_word(t) for t in tokens if t not in ("-", "&")], vocabulary):
            return _clean(" ".join(tokens))
    for pattern in (LOWER_RECORD, AFTER_PREPOSITION) if loose else (LOWER_RECORD,):
        m = pattern.search(text)
        if m and not _is_common([_word(w) for w in m[1].split()], vocabulary):
            return _clean(m[1])
    return None
