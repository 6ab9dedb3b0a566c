"""The parts of a follow-up email, each safe for the customer: what was agreed, the next step, the extra ask.

What was agreed comes from the interaction's recorded-call summary (action items and next steps, with who
does what by when); without one, only an explicit "Next step: ..." in the logged text. Every part passes the
InternalFilter or is left out whole; the request's own wording is never copied in.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Activity, CallRecording, Contact
from tools.internal_content import InternalFilter

NEXT_STEP_NOTE = re.compile(r"\bnext steps?\s*(?:is|:)\s*([^.!?\n]+)", re.IGNORECASE)
FIRST_PERSON = {"i": "I", "we": "we", "us": "we"}
CUSTOMER_SIDE = {"they": "your team", "you": "you"}
VERBS = {
    "send", "share", "schedule", "book", "confirm", "set", "arrange", "review", "discuss", "finalise", "finalize",
    "sign", "agree", "plan", "get", "prepare", "negotiate", "run", "start", "kick", "introduce", "walk", "meet",
    "call", "follow", "provide", "align", "draft", "update", "loop", "check", "decide", "present", "propose",
    "suggest", "offer", "invite", "pin", "nail", "lock", "clarify", "settle", "thank", "recap", "lay", "go",
}  # fmt: skip
THIRD_PERSON = re.compile(
    r"\b(sends|shares|confirms|proposes|suggests|invites|recaps|walks|lays|sets|introduces|asks|offers)\b",
    re.I,
)
"""'shares the rollout plan and suggests a date': said of the email, written as what the rep would like to do"""
BARE_VERB = {"asking": "ask", "proposing": "propose", "suggesting": "suggest", "offering": "offer",
             "inviting": "invite", "confirming": "confirm", "thanking": "thank"}  # fmt: skip
ING_AFTER_AND = re.compile(r"\band (" + "|".join(BARE_VERB) + r")\b", re.I)
GERUNDS = {**BARE_VERB, "recapping": "recap", "sharing": "share", "sending": "send", "sharing over": "share"}
REQUEST_WORDS = re.compile(
    r"\b(deals?|opportunit\w*|pipeline|follow[- ]?ups?|drafts?|e-?mails?|crm|biggest|largest|top|contacts?|prep|"
    r"recap(?! that)|(?<!introduce )(?<!connect )(?<!introducing )me|my|mine|dealwise|assistant|write|compose|note)\b",
    re.IGNORECASE,
)
"""words that make a `purpose` read as an instruction to the assistant rather than a message to the customer"""
ARTICLES = {"a", "an", "the", "our", "your", "my", "their", "this", "that", "some", "any"}
ASK_PATTERNS = (
    re.compile(
        r"\b(?:asking|to ask|ask(?:ing)? (?:them|him|her))\s+((?:about|for|whether|if|when|how|what)\b.+)$", re.I
    ),
    re.compile(r"\bto\s+((?:" + "|".join(sorted(VERBS)) + r")\b.+)$", re.I),
    re.compile(r"\b(?:about|regarding|re:?)\s+(.+)$", re.I),
)


@dataclass(frozen=True)
class AgreedItem:
    who: str
    what: str
    when: str | None
    source_activity_id: int

    @property
    def sentence(self) -> str:
        subject = self.who[0].upper() + self.who[1:]
        what = self.what.rstrip(" .")
        if self.when and self.when.lower() not in what.lower():
            what = f"{what} ({self.when})"
        return f"{subject} will {what}."


def _who(raw: str | None, recipient: Contact, others: list[Contact]) -> str | None:
    if not raw:
        return None
    word = raw.strip().lower()
    if word in FIRST_PERSON:
        return FIRST_PERSON[word]
    if word in CUSTOMER_SIDE:
        return CUSTOMER_SIDE[word]
    if word in {(recipient.first_name or "").lower(), (recipient.last_name or "").lower()}:
        return "you"
    for contact in others:
        if word in {(contact.first_name or "").lower(), (contact.last_name or "").lower()}:
            return contact.first_name or contact.name
    return raw.strip()


def _summary(session: Session, interaction: Activity) -> dict | None:
    query = select(CallRecording.summary).where(CallRecording.activity_id == interaction.id)
    summary = session.scalars(query.order_by(CallRecording.id.desc())).first()
    return summary if isinstance(summary, dict) and summary else None


def agreed_items(
    session: Session, interaction: Activity, recipient: Contact, others: list[Contact], guard: InternalFilter
) -> tuple[list[AgreedItem], int]:
    """(what was agreed in the interaction, how many statements were left out as internal)."""
    items: list[AgreedItem] = []
    left_out = 0
    summary = _summary(session, interaction)
    if summary is not None:
        for raw in summary.get("action_items") or []:
            who = _who(raw.get("who"), recipient, others)
            what = str(raw.get("what") or "").strip()
            if not who or not what:
                continue
            if guard.is_internal(what) or guard.is_internal(raw.get("quote")):
                left_out += 1
                continue
            items.append(AgreedItem(who, what, raw.get("when"), interaction.id))
        for raw in summary.get("next_steps") or []:
            quote = str(raw.get("quote") or "").strip()
            step = NEXT_STEP_NOTE.search(quote)
            if step is None:
                continue
            if guard.is_internal(quote):
                left_out += 1
                continue
            items.append(AgreedItem("we", _next_step_phrase(step.group(1)), None, interaction.id))
        return _unique(items), left_out
    for match in NEXT_STEP_NOTE.finditer(interaction.body or ""):
        step = match.group(1).strip()
        if guard.is_internal(step):
            left_out += 1
            continue
        items.append(AgreedItem("I", _lower_first(step), None, interaction.id))
    return _unique(items), left_out


def _unique(items: list[AgreedItem]) -> list[AgreedItem]:
    seen: set[str] = set()
    kept = []
    for item in items:
        key = item.what.lower()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _next_step_phrase(step: str) -> str:
    """A next step as something we do: 'a call with your security team on Tuesday' -> 'have a call with ...'."""
    step = _lower_first(step)
    first = step.split()[0].lower() if step.split() else ""
    if first in VERBS:
        return step
    if first in ("a", "an", "the"):
        return f"have {step}"
    return f"move ahead with {step}"


PARTICLES = {"off", "down", "up", "over", "out", "through", "back", "in"}
SAID_ALREADY = {"offer", "propose", "suggest", "invite", "send", "share", "confirm", "pin", "recap", "that", "ask"}
"""a purpose that starts with what the email does: a 'to …' inside it is part of that, not the ask"""
PRONOUNS = {"we", "you", "i", "they", "he", "she", "it", "us", "them", "him", "her", "what", "how", "when", "whether",
            "we'll", "we're", "i'll", "i'm", "you'll", "they'll", "it's", "it'll", "that's", "me"}  # fmt: skip


def _with_article(phrase: str) -> str:
    """'send proposal' -> 'send the proposal'; 'confirm budget with CFO' -> 'confirm the budget with your CFO'."""
    words = phrase.split()
    clause = len(words) > 1 and (words[1].lower() in CLAUSE_WORDS or words[1].lower() == "to")  # "offer to get …"
    if len(words) > 1 and words[0].lower() in VERBS and words[1].lower() not in ARTICLES and not clause:
        offset = 2 if words[1].lower() in PARTICLES else 1  # "kick off", "pin down", "send over"
        said = words[offset] if len(words) > offset else ""
        if said and said.lower() not in ARTICLES | PRONOUNS and not said[0].isdigit() and not said[0].isupper():
            words.insert(offset, "the")
    return re.sub(r"\bwith (CFO|CEO|CTO|COO|legal|procurement|finance)\b", r"with your \1", " ".join(words))


def next_step_sentence(next_step: str | None, guard: InternalFilter) -> str | None:
    """The deal's next step proposed to the customer, or None when there is none or it is internal."""
    if not next_step or guard.is_internal(next_step):
        return None
    step = re.sub(r"\bkick-off\b", "kick off", _lower_first(next_step), flags=re.IGNORECASE)
    first = step.split()[0].lower()
    phrase = _with_article(step) if first in VERBS else f"set up the {step}"
    return f"As a next step, I suggest we {phrase}. Would a time next week work for you?"


CLAUSE_WORDS = frozenset(
    {"whether", "if", "when", "how", "what", "that", "in", "on", "back", "up", "through", "over", "out", "ahead"}
)
"""words after a verb that start a clause or a particle, where no article goes ("check whether", "follow up")"""
READER = {"they've": "you've", "they're": "you're", "they'd": "you'd", "they'll": "you'll", "they": "you",
          "their": "your", "theirs": "yours", "them": "you", "themselves": "yourselves"}  # fmt: skip
"""the customer as the rep speaks of them, turned to the customer the email speaks to"""


OWNED_BY_THE_READER = (
    r"\b(?:his|her)(?= (?:own |whole |wider )?(?:team|company|people|data|side|group|org|colleagues|"
    r"boss|cfo|ceo|cto|legal|procurement|finance|users|staff)\b)"
)


STEP_SPLIT = re.compile(r",?\s+and\s+(?=(?:then\s+)?[a-z]+\b)|,\s*(?:then\s+)?(?=[a-z]+\b)|;\s*", re.IGNORECASE)
STEP_SAYINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^thank (?:you )?(for .+)$", re.I), "Thank you {0}."),
    (
        re.compile(
            r"^(?:(?:explain|say|mention|tell you|let you know|make (?:it )?clear|note)(?: that)?|confirm that) (.+)$",
            re.I,
        ),
        "{0}.",
    ),
    (
        re.compile(r"^(?:suggest|propose)(?: that)? (?:we )?(?:have |set up |book )?(an? .+|the .+)$", re.I),
        "Would {0} work for you?",
    ),
    (
        re.compile(r"^(?:ask|check)(?: you)? (whether|if|when|what|how|which|who)\b (.+)$", re.I),
        "Could you let me know {0} {1}?",
    ),
    (re.compile(r"^ask(?: you)? for (.+)$", re.I), "Could you send over {0}?"),
    (re.compile(r"^(?:offer|invite you to) (.+)$", re.I), "We'd be glad to offer {0}."),
    (re.compile(r"^(?:share|send)(?: you)? (.+)$", re.I), "I'll share {0}."),
)
"""the rep's instruction, clause by clause, as the email says it ("suggest a quick call on Tuesday")"""


def _said_steps(text: str) -> str | None:
    """Several instructions in one purpose ('thank him for X, explain Y, and suggest Z'): each said to the reader
    in its own sentence; None when the purpose is not a list of such steps."""
    clauses = [c.strip(" .") for c in STEP_SPLIT.split(text) if c.strip(" .")]
    if len(clauses) < 3 and not (len(clauses) == 2 and clauses[0].lower().startswith("thank ")):
        return None  # "share the whitepaper and suggest a workshop" reads well as one wish
    said: list[str] = []
    for clause in clauses:
        for pattern, sentence in STEP_SAYINGS:
            if match := pattern.match(clause):
                line = sentence.format(*(group.strip() for group in match.groups()))
                said.append(line[0].upper() + line[1:])
                break
        else:
            if not said:
                return None
            said[-1] = f"{said[-1].rstrip('.?')}, {clause}{said[-1][-1]}"  # "… on price but we can include …"
    return " ".join(said)


def _to_the_reader(text: str) -> str:
    """'whether they've had a chance to look at it' -> 'whether you've had a chance to look at it'; 'the contract
    will be with him by Wednesday' -> '… with you by Wednesday' (the email's reader is the one the rep meant)."""
    text = re.sub(r"\b(?:they've|they're|they'd|they'll|they|their|theirs|them|themselves)\b",
                  lambda m: READER[m[0].lower()], text, flags=re.IGNORECASE)  # fmt: skip
    text = re.sub(OWNED_BY_THE_READER, "your", text, flags=re.IGNORECASE)
    text = re.sub(r"\bhis\b", "your", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:she|he)(?='d|'ll| would| will| can| could| asked| wanted| mentioned| said)", "you", text)
    text = re.sub(
        r"\bher\b(?=\s+(?!(?:for|to|about|on|in|at|with|and|or|a|an|the|know|that|if|whether|up|back|"
        r"through|over)\b)[a-z][\w-]*)",
        "your",
        text,
        flags=re.IGNORECASE,
    )  # "her day-to-day contact"
    text = re.sub(r"\bi(?=(?:'ll|'m|'ve|'d)?\b)", "I", text)
    return re.sub(r"\b(?:him|her)\b", "you", text, flags=re.IGNORECASE)


def _ask_in(purpose: str) -> str:
    """The ask inside a purpose that repeats the whole request: what follows 'asking about', 'to <verb>'..."""
    first = purpose.split()[0].lower() if purpose.split() else ""
    if first in SAID_ALREADY or first in GERUNDS:
        return purpose  # "offer a call to walk through …", "ask for 30 minutes to talk about …": said already
    for pattern in ASK_PATTERNS:
        if match := pattern.search(purpose):
            return match.group(1)
    return purpose


DOCUMENT_DRAFT = re.compile(
    r"\b(?:the |a |our |your )?(?:(contract|agreement|proposal|sow|msa|order form|quote|redline)s? draft|"
    r"draft (contract|agreement|proposal|sow|msa|order form|quote))\b",
    re.IGNORECASE,
)
""""the contract draft will be with him by Wednesday": a document for the customer, not a draft asked of me"""


def purpose_sentence(
    purpose: str | None, guard: InternalFilter, names: tuple[str, ...] = ()
) -> tuple[str | None, str | None]:
    """(the extra ask in the rep's words, a note for the rep when the purpose was left out). `names` are the
    deal's and account's names: a purpose that only names the deal adds nothing."""
    text = " ".join(THIRD_PERSON.sub(lambda said: said[1][:-1], purpose or "").split())
    text = _ask_in(text).strip(" .?!")
    if not text:
        return None, None
    text = re.sub(r"^(?:to|and)\s+", "", text, flags=re.IGNORECASE)
    first = text.split(" ", 1)
    if first[0].lower() in GERUNDS:  # "recapping that we'll size the seats together"
        text = " ".join([GERUNDS[first[0].lower()], *first[1:]])
    text = ING_AFTER_AND.sub(lambda said: "and " + BARE_VERB[said[1].lower()], text)
    text = DOCUMENT_DRAFT.sub(lambda said: f"the first version of the {said[1] or said[2]}", text)
    named = any(name and name.lower() in text.lower() for name in names)
    introduces = text.lower().startswith("introduce ")  # "introduce Priya, who will be your contact from now on"
    if named or (REQUEST_WORDS.search(text) and not introduces) or guard.is_internal(text):
        return None, "what you asked me to say reads as an instruction to me or as internal, so add it yourself"
    text = _to_the_reader(text)
    steps = _said_steps(text)
    if steps is not None:  # "thank him for the heads-up, explain we won't match on price, and suggest a call"
        return steps, None
    lead, _, rest = text.partition(" ")
    word = lead.lower()
    if word == "ask":
        return f"I also wanted to ask {rest}.", None
    if word in ("about", "regarding", "re", "re:"):
        return f"I also wanted to ask about {rest}.", None
    if word == "for":
        return f"I also wanted to ask for {rest}.", None
    if word == "that":
        return f"I also wanted to let you know {text}.", None
    if word in ("whether", "if", "when", "how", "what", "who", "which"):
        return f"I also wanted to ask {text}.", None
    if word in VERBS:
        return f"I'd also like to {_with_article(_lower_first(text))}.", None
    return f"I also wanted to check in about {text}.", None
