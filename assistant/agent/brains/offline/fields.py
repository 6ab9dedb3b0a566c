"""One tool input field's value from the message: owners, teams, stages, statuses, amounts, dates, texts.

Fields are filled by their conventional names, so a tool added later with the same field names
(owner_id, team_id, stage, status, amount_min, period, start/end, since, q, query, subject, body...)
is understood without new code here.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from assistant.agent.brains.offline import slots
from assistant.agent.brains.offline.grammar import DECISION_MAKER, MOST_DEALS, RANK_PEOPLE, quoted
from assistant.agent.brains.offline.linking import Entity, Mention, of_type
from assistant.crm.principal import Principal
from tools.periods import parse_period as tool_period

PRONOUN = re.compile(
    r"\b(it|that|them|they|its|that deal|this deal|the deal|same deal|that one|him|her|there|that account|their"
    r"|this(?!\s+(year|quarter|month|week)))\b",
    re.I,
)
MINE = re.compile(r"\b(my|mine|i|me|i've|i'm)\b", re.I)
TEAM = re.compile(r"\b(my team|our team|team's|the team|our)\b", re.I)
LEAD_STATUSES = ("new", "working", "qualified", "unqualified", "converted")
CLOSING = re.compile(r"\b(clos(e|es|ing)|due to close|set to close|expected to close|land(s|ing)?)\b", re.I)
TEXT_FIELDS = {"body", "next_step", "purpose", "query", "subject"}
"""fields read from the whole message; the others, in a write with a colon, only from the part before it"""


@dataclass
class Slots:
    message: str
    today: date
    principal: Principal
    mentions: list[Mention]
    focus: dict[str, dict[str, Any]]
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    teams: dict[str, int] = field(default_factory=dict)
    stages: list[str] = field(default_factory=list)
    """the CRM's stage names (from its pipelines)"""
    period: slots.Period | None = None
    amounts: slots.AmountRange | None = None

    def __post_init__(self) -> None:
        self.period = slots.parse_period(self.message, self.today)
        self.amounts = slots.parse_amount_range(self.message)

    @property
    def refers_back(self) -> bool:
        return bool(PRONOUN.search(self.message))

    def head(self) -> "Slots":
        """The same slots read from the part of the message before its first colon (a write's details)."""
        if ":" not in self.message:
            return self
        head = self.message.split(":", 1)[0]
        return Slots(
            head,
            self.today,
            self.principal,
            self.mentions,
            self.focus,
            self.industries,
            self.regions,
            self.teams,
            self.stages,
        )


def owner(s: Slots) -> int | None:
    users = [m.entity for m in of_type(s.mentions, "user") if m.entity.id != s.principal.user_id]
    if len(users) == 1:
        return users[0].id
    if TEAM.search(s.message) or named_team(s) is not None:
        return None
    if MINE.search(s.message) and not s.principal.is_manager and not s.principal.is_admin:
        return s.principal.user_id
    if re.search(r"\bmy own\b", s.message, re.I):
        return s.principal.user_id
    return None


def named_team(s: Slots) -> int | None:
    """A team the message names ("the East team", "team West")."""
    lowered = s.message.lower()
    for name, team_id in s.teams.items():
        if re.search(rf"\b{re.escape(name)}(?:'s)?\s+team\b|\bteam\s+{re.escape(name)}\b", lowered):
            return team_id
    return None


def team(s: Slots) -> int | None:
    if (named := named_team(s)) is not None:
        return named
    if TEAM.search(s.message) and s.principal.team_id is not None and not of_type(s.mentions, "user"):
        return s.principal.team_id
    return None


def deal_status(text: str, tool: str, period: slots.Period | None) -> str | None:
    lowered = text.lower()
    if re.search(r"\b(won|win|wins|closed won)\b", lowered):
        return "won"
    if re.search(r"\b(lost|lose|losses|closed lost)\b", lowered):
        return "lost"
    if re.search(r"\bopen\b|\bactive\b|\bin flight\b", lowered):
        return "open"
    if re.search(r"\bclosed\b", lowered):
        return "closed"
    if tool == "find_deals" and period is not None and CLOSING.search(lowered):
        return "open"
    return None


def _label(text: str, values: list[str]) -> str | None:
    """The first of `values` (industries, regions) the text names as a whole word, in its stored spelling."""
    lowered = text.lower()
    for value in values:
        if re.search(rf"(?<![\w-]){re.escape(value.lower())}(?![\w-])", lowered):
            return value
    return None


def _named(text: str) -> str | None:
    if found := quoted(text):
        return found
    if m := re.search(r"\b(?:named|called|at|from|for|with)\s+([A-Za-z][\w&.' -]{1,60})", text):
        return m[1].strip(" ?.!")
    return None


def _after_colon(text: str) -> str | None:
    if ":" in text:
        tail = text.split(":", 1)[1].strip()
        return tail or None
    return None


def _period_text(period: slots.Period, today: date) -> str | None:
    label = period.label.removeprefix("the ")
    parsed = tool_period(label, today)
    if parsed is not None and parsed.start == period.start and parsed.end == period.end:
        return label
    return None


def without_names(text: str, mentions: list[Mention]) -> str:
    """The text with the linked record names taken out (for free-text fields such as a search query)."""
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        words = [re.escape(w) for w in mention.text.split()]
        text = re.sub(r"\b" + r"\W+".join(words) + r"(?:'s|’s)?(?!\w)", " ", text, flags=re.I)
    return " ".join(text.split())


QUERY_STRONG = re.compile(
    r"\b(?:about|regarding|mentioning|mentions?|mentioned|talked about|talk about|say(?:s)? about|said about|"
    r"containing|that say|saying)\s+(.+)$",
    re.I,
)
QUERY_WEAK = re.compile(r"\b(?:for|on)\s+(.+)$", re.I)
CALL_PHRASE = re.compile(
    r"\b(?:on|in|from|during|of)?\s*(?:the|my|our|their|this|that)?\s*(?:last|latest|recent|previous|most recent)?"
    r"\s*(?:calls?|recordings?|transcripts?)\b",
    re.I,
)
QUERY_FILLER_TEXT = """
    a an the any anyone anybody what which who did does do was were is are there has have had came come up
    mentioned mention say said talk talked tell told search find look for notes note my our their team's all
    in on at of with from about last latest recent previous us me i we they it summarise summarize summary recap
    give show brief please what's she he him her them to talking speaking spoke speak on-the-call"""
QUERY_FILLER = frozenset(QUERY_FILLER_TEXT.split())


def search_query(s: Slots) -> str | None:
    """What to look for: a quoted passage, the words after about/mentioning/for, or the message's content words
    (its record names and any "on the last call" taken out)."""
    if found := quoted(s.message):
        return found
    text = CALL_PHRASE.sub(" ", without_names(s.message, s.mentions))
    for pattern in (QUERY_STRONG, QUERY_WEAK):
        if m := pattern.search(text):
            tail = _trim(m[1])
            if re.search(r"[a-z0-9]{2}", tail, re.I):
                return tail
    words = [w for w in re.findall(r"[\w@.$'-]+", text) if w.lower().strip(".") not in QUERY_FILLER]
    cleaned = " ".join(words).strip(" ?.!,:;")
    return cleaned or None


def _trim(query: str) -> str:
    """The query without the filler words at either end ("of pricing from them" is "pricing")."""
    words = query.strip(" ?.!,:;").split()
    while words and words[0].lower() in QUERY_FILLER:
        words.pop(0)
    while words and words[-1].lower().strip(" ?.!,:;") in QUERY_FILLER:
        words.pop()
    return " ".join(words).strip(" ?.!,:;")


def _subject(kind: str, link: dict[str, Entity]) -> str:
    target = link.get("contact") or link.get("deal") or link.get("account")
    noun = {"call": "Call", "email": "Email", "meeting": "Meeting", "note": "Note"}.get(kind, kind.title())
    if target and target.type == "contact":
        return f"{noun} with {target.name}"
    return f"{noun} on {target.name if target else 'record'}"


def _task_subject(text: str, link: dict[str, Entity]) -> str:
    """What to do: the words after "remind me to" / "task to" / "task:", less any due date; else a follow-up on
    the record the task is for."""
    m = re.search(
        r"\b(?:remind me to|reminder to|task(?: to)?:?|to-?do:?)\s+(?!(?:for|on|about|with|due|by)\b)(.+)", text, re.I
    )
    subject = m[1] if m else ""
    subject = re.sub(
        r"[,;]?\s*\b(by|on|next|this|due|before)\s+(the\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"week|month|tomorrow|today|end of|\d{4}-\d{2}-\d{2}|[a-z]+ \d{1,2}\b).*$",
        "",
        subject,
        flags=re.I,
    )
    subject = re.sub(r"[,;]?\s*\b(due|by|on)\s*$", "", subject.strip(" .?!"), flags=re.I).strip(" .?!,")
    if subject:
        return subject[:300]
    target = link.get("deal") or link.get("account") or link.get("contact")
    return f"Follow up on {target.name}" if target else "Follow up"


PURPOSES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:draft|write|compose|prepare|put together)\s+(?:me\s+)?(?:a |an |the )?(?:quick |short |brief )?"
        r"(?:reply|response|e-?mail|note|follow-?up|message)\b[^:.?!]{0,40}:\s*(.{12,})$",
        "",  # "Draft a reply: thank him for the heads-up, explain we won't match on price …": what it says
    ),
    (
        r"\b(?:what|the (?:main |one |only )?thing) (?:i|we) (?:need|want) from them is\s+"
        r"((?:the|a|an|their|your)\b.+?)(?:,? so\b.*)?$",
        "for ",  # "the main thing I need from them is X": the email asks for X
    ),
    (
        r"(?:[:;,]\s*|\band\s+|^)say(?:ing)?\s+(?:that\s+)?((?:we|i|i'll|we'll|i'd|we'd|i'm|we're|our|the|their|it)\b.+)$",
        "that ",  # "… thank him for his note, say I'll send a one-page ROI summary this week, and ask if …"
    ),
    (r"\b(?:asking|to ask|ask(?:ing)? them)\s+((?:about|for|whether|if|when|what|how|which|who)\b.+)$", ""),
    (r"\bcheck(?:ing)?(?: in)?(?: that| on)?\s+((?:the|their|our|its)\b.+)$", "whether "),
    (
        r"\b(?:that|which)\s+(?:says|tells (?:him|her|them))\s+(?:that\s+)?((?:we|i|our|the|their|it)\b.+)$",
        "that ",  # "a follow-up that says we can keep their data in-region and offers a call"
    ),
    (
        r"\b(?:that|which)\s+((?:sends?|shares?|confirms?|proposes?|suggests?|invites?|recaps?|walks?|lays? out|"
        r"sets? out|introduces?|thanks?|asks?)\b.+)$",
        "",  # "an email that shares the rollout plan and suggests a date": what the email does
    ),
    (r"\bconfirming\s+(?:that\s+)?(.+)$", "confirm "),
    (r"\bthe (?:point|aim|goal|idea|ask) is to\s+(.+)$", ""),
    (r"\btelling (?:him|her|them)\s+(?:that\s+)?((?:we|i|our|the|their|it)\b.+)$", "that "),
    (r"\b(?:nudge|chase) (?:him|her|them) (for\s+.+)$", "ask "),
    (
        r"\bto (?:chase|nudge (?:them |him |her )?(?:on|about)|follow up on|check on|remind (?:them|him|her) "
        r"(?:about|of))\s+((?:the|our|their|a|an|his|her|its)\b[^,.;!?]+)",
        "check in about ",  # "email emma at vandelay to chase the proposal, keep it short"
    ),
    (r"\basks? (?:them |him |her )?(for\s+.+)$", "ask "),
    (
        r"(?:[:;]\s*|,\s*and\s+|\band\s+|,?\s*so\s+|^)(?:thank (?:him|her|them)(?: for [^,.;:]+)?,?\s*(?:and\s+)?)?"
        r"((?:introduce|propose|share|confirm|invite|offer)\s+(?!(?:him|her|them)\s*$).+)$",
        "",  # "…: thank her for renewing, and introduce Priya, our CSM", "… and propose the sponsor call"
    ),
    (r"\blet(?:ting)? (?:them|him|her) know\s+(?:that\s+)?(.+)$", "that "),
    (
        r"\bwith (?:the|our) ((?:[\w-]+ ){0,3}(?:schedule|plan|proposal|quote|deck|timeline|agenda|pricing|summary|"
        r"documentation|questionnaire|order form|contract)\b.*)$",
        "share the ",  # "write to the customer with the admin training schedule and a suggestion to …"
    ),
    (r"\bask (?:him|her|them)\s+(to\s+.+|whether\b.+|if\b.+|for\b.+)$", "ask you "),
    (r"\boffering\s+(?:them\s+|him\s+|her\s+)?(.+?)(?:\s+[-\u2013\u2014]\s+.*)?$", "offer "),
    (r"(?:^|[-\u2013\u2014,;:]\s*|\band\s+)offer(?:s)?\s+(?:them\s+|him\s+|her\s+)?(to\s+.+)$", "offer "),
    (r"\bproposing\s+(.+?)(?:\s+[-\u2013\u2014]\s+.*)?$", "propose "),
    (r"\bsuggesting\s+(.+?)(?:\s+[-\u2013\u2014]\s+.*)?$", "suggest "),
    (r"\bsaying\s+(?:that\s+)?((?:we|i|our|the|it|his|her|your)\b.+)$", "that "),
    (r"\bsaying (?:thanks|thank you),?\s+(?:and\s+)?(.+)$", ""),
    (
        r"\b(?:i|we)(?: want| need|'d like| would like) (?:it )?to\s+((?:check|see|find out|confirm|chase|nudge|"
        r"remind them|know|learn|propose|suggest|offer|invite them|set up|schedule|book)\b.+)$",
        "",
    ),
    (r"\b(?:to|so i can)\s+((?:check|see|find out|confirm)\s+(?:whether|if|when|how|that)\b.+)$", ""),
    (r"(?:^|[.!?;]\s+|\band\s+)(?:please\s+)?((?:check|see|find out|confirm|ask)\s+(?:whether|if|when|how)\b.+)$", ""),
    (
        r"(?:^|[.!?;,]\s*|\band\s+|\bso\s+)(?:please\s+)?"
        r"(?:say|tell (?:them|him|her)|let (?:them|him|her) know|mention)\s+"
        r"(?:that\s+)?((?:we|i|our|the|their|it)\b.+)$",
        "that ",  # "say we'll send the ROI numbers": a statement the email makes
    ),
    (r"\b(?:about|regarding|re:?|on)\s+(.+)$", ""),
)
"""where the email's extra ask or statement stands in a request, and the word that leads it into the email"""


RECAP_OF = re.compile(
    r"\s*\b(?:from|after|on|about|recap(?:ping)?|summari[sz]ing|following(?: up on)?|re:?|of|in)\s+"
    r"(?:our|the|my|that|this|today's|yesterday's|their)\s+(?:(?:last|latest|recent|most recent)\s+)?"
    r"(?P<kind>phone call|call|meeting|on-?site|demo|qbr|e-?mail)\b(?!\s+(?:summar|notes?|recording|transcript))",
    re.I,
)
"""the conversation an email should recap ("about pricing from our last call", "recapping the last meeting")"""
CONVERSATION_KINDS = {
    "phone call": "call", "call": "call", "meeting": "meeting", "onsite": "meeting", "demo": "meeting",
    "qbr": "meeting", "email": "email",
}  # fmt: skip


TRAILING_ASIDE = re.compile(
    r"(?:(?<=[.!?])\s+(?:do not|don't|dont|never|please don't|no need to|under no circumstances)\b.*|"
    r"(?<=[.!?])?\s+(?:thanks|thank you|cheers|regards|best)\W*(?:\s+\w+)?\W*)$",
    re.I,
)
"""what follows the ask: a 'do not mention …' for the rep's draft, or a sign-off"""


DRAFT_ASKED_AGAIN = re.compile(
    r"\s*[-\u2013\u2014,]?\s*(?:can|could) you (?:draft|write|do) (?:something|one|it)\W*$", re.I
)
"""'… about the renewal - can you draft something?': the request, not what the email says"""
PURPOSE_FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "on",
        "to",
        "for",
        "of",
        "by",
        "via",
        "over",
        "email",
        "e-mail",
        "mail",
        "it",
        "this",
        "that",
        "with",
        "and",
        "in",
        "at",
        "can",
        "could",
        "you",
        "draft",
        "something",
        "write",
        "please",
        "him",
        "her",
        "them",
        "their",
        "his",
        "our",
        "my",
        "me",
        "deal",
        "renewal",
    ]
)
"""words that leave a purpose empty once the deal's name is taken out ("on the", "the by email")"""


def _purpose(text: str) -> str | None:
    """What the email should ask or say: after "asking (about)" / "to ask", else after "about" / "regarding"."""
    text = " ".join(text.split())  # an email's wrapped lines
    for pattern, lead in PURPOSES:
        if m := re.search(pattern, text, re.I):
            said = TRAILING_ASIDE.sub("", " ".join(m[1].split()))  # "… a date. Do not mention a discount."
            said = re.sub(r"^\([^)]*\)\W*", "", said)  # "(the one in Negotiation)? Offer her team …"
            purpose = re.sub(r"^(the\s+)?(deal|opportunity|account)\b\s*", "", said.strip(" .?!"), flags=re.I)
            purpose = lead + re.sub(r"^(about|regarding)\s+", "", purpose, flags=re.I)
            purpose = DRAFT_ASKED_AGAIN.sub("", purpose)
            purpose = re.sub(r"\s+(?:on|for|about|of|in|at|with|to|re)?\s*(?:the|a|an|this|that)\s*$", "", purpose)
            purpose = re.sub(
                r",?\s*thanking (?:him|her|them) for (?:the|our|their) (?:call|meeting|time)\b", "", purpose
            )
            said = [w for w in re.findall(r"[a-z']+", purpose.lower()) if w not in PURPOSE_FILLER]
            if len(said) >= 2:
                return purpose
    return None


def _next_step(text: str) -> str | None:
    if m := re.search(r"\bnext step\b[^:?]{0,80}:\s*(.+)$", text, re.I):
        return m[1].strip(" .")
    if m := re.search(r"\bnext step\b(?:\s+(?:on|for|of)\s+.+?)?\s+(?:to|is|should be|as|=)\s+(.+)$", text, re.I):
        return m[1].strip(" .")
    return None


def field_value(tool: str, name: str, s: Slots, link: dict[str, Entity]) -> Any:
    text = s.message
    period = s.period
    if name == "owner_id":
        return owner(s)
    if name == "team_id":
        return team(s)
    if name == "stage":
        stage = slots.parse_stage(text, s.stages)
        if tool in ("find_deals", "deals_closing") and stage in ("Closed Won", "Closed Lost"):
            return stage if re.search(r"closed (won|lost)", text, re.I) else None
        return stage
    if name == "status":
        if tool == "find_leads":
            return next((st for st in LEAD_STATUSES if re.search(rf"\b{st}\b", text, re.I)), None)
        return deal_status(text, tool, period)
    if name == "industry":
        return _label(text, s.industries)
    if name == "region":
        return _label(text, s.regions)
    if name == "amount_min":
        return s.amounts.minimum if s.amounts else None
    if name == "amount_max":
        return s.amounts.maximum if s.amounts else None
    if name in ("start", "end") and period is not None and _period_text(period, s.today) is not None:
        return None
    if name in ("close_from", "start") and period is not None:
        return period.start
    if name in ("close_to", "end") and period is not None:
        return period.end
    if name == "period" and period is not None:
        return _period_text(period, s.today)
    if name == "since" and period is not None:
        return period.start
    if name == "due_date" and period is not None:
        return period.end
    if name == "close_date" and period is not None:
        return period.end if period.start != period.end else period.start
    if name == "occurred_at" and period is not None and period.direction == "past":
        return datetime.combine(period.start, time(12, 0))
    if name == "overdue_only":
        return True if re.search(r"\b(overdue|past due|late)\b", text, re.I) else None
    if name == "days":
        return slots.parse_days(text)
    if name == "limit":
        return slots.parse_limit(text)
    if name == "type":
        kind = slots.parse_activity_kind(text)
        return kind if not (tool == "log_activity" and kind == "task") else None
    if name == "amount":
        return slots.parse_money(text)
    if name == "next_step":
        return _next_step(text)
    if name == "metric":
        return "won_count" if re.search(r"\b(count|number|most deals|how many)\b", text, re.I) else None
    if name == "group_by":
        by = re.search(
            r"\b(?:by|per|each|every)\s+(?:close[- ]?(?:date\s+)?)?(stage|owner|rep|person|month)s?\b", text, re.I
        )
        if by is None and re.search(r"\bmonthly\b|\bmonth by month\b", text, re.I):
            return "month"
        if by is None and RANK_PEOPLE.search(text):
            return "owner"
        return {"rep": "owner", "person": "owner"}.get(by[1].lower(), by[1].lower()) if by else None
    if name == "rank_by" and RANK_PEOPLE.search(text):
        return "count" if MOST_DEALS.search(text) else "amount"
    if name == "decision_makers_first":
        return True if DECISION_MAKER.search(text) else None
    if name == "contact_ids" and tool == "find_contacts":
        named = [m.entity.id for m in of_type(s.mentions, "contact")]
        return named if len(named) >= 2 else None  # "the emails of Marco Chen and Carlos Cohen"
    if name == "q" and tool in ("find_accounts", "find_contacts", "find_leads"):
        own = {"find_accounts": "account", "find_contacts": "contact"}.get(tool)
        named = [m.entity for m in of_type(s.mentions, own)] if own else []
        if len(named) == 1:
            return named[0].name
        entity = link.get("account") or link.get("contact")
        return None if entity or named else _named(text)
    if name == "q" and tool == "find_deals" and not link:
        m = re.search(r"\b(?:named|called)\s+([A-Za-z][\w&.' -]{1,60})", text)
        return quoted(text) or (m[1].strip(" ?.!") if m else None)
    if name == "query":
        return search_query(s) or (text if tool == "search_notes" else None)
    if name == "purpose":
        return _purpose(RECAP_OF.sub("", without_names(text, s.mentions)))
    if name == "based_on":
        recap = RECAP_OF.search(text)
        return CONVERSATION_KINDS[recap["kind"].lower().replace("-", "")] if recap else None  # "e-mail", "on-site"
    if name == "subject":
        if tool == "create_task":
            return _task_subject(text, link)
        return _subject(str(field_value(tool, "type", s.head(), link) or "note"), link)
    if name == "body":
        return _after_colon(text)
    if name == "source":
        m = re.search(r"\bfrom (webinar|referral|website|trade show|outbound|partner|event)s?\b", text, re.I)
        return m[1].title() if m else None
    return None


def missing_question(tool: str, name: str) -> str:
    asks = {
        "type": "Was it a call, an email, a meeting or a note?",
        "due_date": "When is it due? (e.g. Friday, next Tuesday, 2026-12-01)",
        "subject": "What should it say?",
        "query": "What should I look for?",
        "account_id": "Which account do you mean?",
        "contact_id": "Which contact do you mean?",
    }
    return asks.get(name, f"I need the {name.replace('_', ' ')} for {tool.replace('_', ' ')}.")
