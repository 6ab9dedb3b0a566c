"""The offline brain: no generative model. Classify the intent, link names, fill the tool's input,
run the same typed tool the LLM would, and render the answer from prompts/answers.yaml."""

import copy
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from assistant.agent.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.agent.brains.offline import grammar
from assistant.agent.brains.offline.clarify import Pending, pick, reply_completes
from assistant.agent.brains.offline.intents import IntentClassifier
from assistant.agent.brains.offline.linking import (
    OSA,
    STOPWORDS,
    Entity,
    Mention,
    Visible,
    contacts_first_named,
    deals_by_product,
    link,
    narrow_deals,
    of_type,
    pick_among,
    words_of,
)
from assistant.agent.brains.offline.names import NameIndex
from assistant.agent.brains.offline.one_deal import (
    CONTACT_ASKED,
    asks_field_of_one,
    deals_of_product,
    field_line,
    product_deal,
)
from assistant.agent.brains.offline.planner import DEAL_ID, Clarify, Missing, Slots, build_args
from assistant.agent.brains.offline.pronouns import person_in_place
from assistant.agent.brains.offline.queries import (
    AT_THAT_ACCOUNT,
    BARE_KIND_WORDS,
    CONTACT_POINTED_AT,
    ORDINALS,
    QUERY_TOOL,
    QueryPath,
    Understood,
)
from assistant.agent.brains.offline.queries import STATE_KEY as QUERY_STATE
from assistant.agent.brains.offline.ranked import ranked_deal
from assistant.agent.brains.offline.render import Renderer
from assistant.agent.brains.offline.slots import is_amount
from assistant.agent.brains.offline.understanding.answer import render_limits
from assistant.agent.brains.offline.understanding.followups import THE_CONTACTS_ON_THEM, THEIR_DETAILS, UNDO
from assistant.agent.brains.offline.understanding.normalize import (
    NEED,
    OWN_SUBJECT,
    QUESTION_CUE,
    RECORD_NOUNS,
    anyway_asked,
    asking_sentences,
    calendar_phrases,
    defers_to_forwarded,
    handed_over,
    meetings_named,
    normalize,
    sentences_of,
    without_dismissed,
    without_footer,
    without_forwarded,
    without_purpose,
    without_retracted,
    without_self_intro,
)
from assistant.agent.brains.offline.understanding.parts import LAST_WITH
from assistant.agent.brains.offline.understanding.periods import find_periods, in_the_past
from assistant.agent.brains.offline.understanding.questions import (
    BARE_WH,
    FALLBACK_CLAUSE,
    FALLBACK_LEAD,
    THEIR_STAT,
    WORTH_OF_IT,
    deals_of_accounts_asked,
    refines,
    separate_questions,
)
from assistant.agent.brains.offline.understanding.questions import TOPIC as HEADED_BY
from assistant.agent.brains.offline.understanding.reader import Reader
from assistant.agent.brains.offline.understanding.spelled import spelled_days
from assistant.agent.brains.offline.understanding.words import (
    ACCOUNT_SIZE,
    FILLERS,
    MY_OWN,
    NOT_HELD,
    TOLD,
    UNKNOWABLE,
    UNLOGGED,
)
from assistant.crm.access import scope_for
from assistant.crm.models import Deal, Stage
from tools.query.spec import QueryInput

THRESHOLD = 0.42
THEIR_DEALS = re.compile(r"\b(?:my|our|his|her|their|the)\b[^?.]{0,40}\b(?:deals|opps|opportunities)\b", re.I)
DEAL_FIELDS_TOO = re.compile(r"\b(?:stage|amount|amt|value|worth|close date|close dt|next step|probability)\b", re.I)
"""a deal's own fields asked beside its contact: the deal's card, which names the contact too"""
CHECKS = frozenset({"bant_check", "stage_fit", "deal_risk"})
"""judgements of one deal that "same check on …" asks again"""
SAME_ASKED_AGAIN = re.compile(
    r"^\W*(?:(?:and|ok|now)\W+)?(?:do |run |give me )?(?:the )?same (?:check|thing|analysis|question|read|breakdown|"
    r"summary|again|for|on|with)\b",
    re.I,
)
""""Same check on his Tyrell Biotech deal": the last tool again, on another record (never a change to it)"""
FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|only|just|same|now|ok and|also|but)\b", re.I)
SINGULAR_DEAL = re.compile(r"\b(deal|opportunity)\b|#\d+", re.I)
PLURAL_DEALS = re.compile(r"\b(deals|opportunities|how many|which|every|all|each)\b", re.I)
HISTORY = re.compile(r"\b(activities|activity|history|logged|touchpoints|interactions)\b", re.I)
TOPIC = re.compile(r"\b(about|regarding|mentioning|re:)\b.*$", re.I | re.S)
META = {"out_of_scope", "help", "greeting"}
RECORD_SLOTS = ("deal_id", "account_id", "contact_id", "record")
NAMED_RECORD_TOOLS = ("get_call_summary", "find_calls", "find_deals", "find_contacts", "list_tasks")
"""tools whose record is optional but is the point when the message names one"""
FALLBACKS = {"get_call_summary": "search_notes"}
"""when a tool finds nothing to report on (no call recorded), the tool that answers the same question from notes"""
PLACEHOLDERS = {"account": "Acme", "deal": "Acme deal", "contact": "Jane Smith", "user": "Sam"}
SET_INTENTS = frozenset({
    "find_deals", "find_accounts", "find_leads", "pipeline_summary", "won_lost_summary", "sales_cycle",
    "lead_conversion", "top_performers", "stale_deals", "deals_closing",
})  # fmt: skip
"""intents whose questions are about a set of records: the query path answers them"""
SET_RULES = frozenset({"pipeline_summary"})
FEW_UNKNOWN = 6
"""at most this many unknown words in a message, and its other asks are still answered beside a plain decline"""
PRODUCT_NOUNS = r"deals?|renewals?|expansions?|pilots?|licen[cs]es?|opps?|opportunit(?:y|ies)|account|contract|seats"
NAME_ENDS = re.compile(
    r"\s*(?:$|[?.!,;:)]|(?:this|last|next|in|for|and|or|since|during|so|deals?|accounts?|opportunit\w*|opps?|"
    r"pipeline|renewals?|right|yet|ytd|to date|over|before|after|at all|currently|now)\b)",
    re.I,
)
"""what may follow a record's name: the end, a period, another condition; not a noun it qualifies ("SaaStr booth")"""
LEANS_ON_MAIL = re.compile(r"\b(?:it|its|this|that|these|those|her|him|his|she|he|they|them|their|below|above)\b", re.I)
"""words that lean on the forwarded mail ("what's her title", "this one")"""
LISTED_DEALS = "listed_deals"
"""the deals the last tool listed, in order (a risk review, an agenda), for "the first one" after it"""
LISTED_KEPT = 10
NTH_DEAL = re.compile(r"\bthe (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|top|last) (?:one|deal)\b", re.I)
PERSON_DETAIL_ASKED = re.compile(
    r"\b(?P<name>[A-Za-z][a-z]+ [A-Za-z][a-z'-]+?)(?:'s|’s|(?<=s)'|(?<=s)’) "
    r"(?:direct (?:line|dial|number)|phone|number|mobile|cell|e-?mail|title|role|contact details)\b|"
    r"\b(?:direct (?:line|dial)|phone(?: number)?|number|mobile|cell|e-?mail(?: address)?|title|contact details) "
    r"(?:for|of) (?P<other>[A-Za-z][a-z]+ [A-Za-z][a-z'-]+)(?:,? (?:the|our|their|a|an) [\w ]{1,30}?)? "
    r"(?:at|from|over at|with)\b"
)
"""'Brandon Whitfield's direct line over at Oscorp': a person's details, by name"""
READ_RULES = frozenset({"get_deal", "deal_risk", "find_contacts", "get_call_summary"})
"""rules that only read one record: what no record holds is still declined beside them"""
RECORD_TOOLS = frozenset({"get_deal", "get_account_overview", "find_contacts"})
"""tools that show one record: a question about a detail no record holds gets the record and a plain note"""
RECORD_CARD_WORDS = frozenset(
    {"probability", "prob", "win probability", "main", "primary", "job title", "title", "name", "last touch",
     "last touched", "last work", "last worked", "last worked on"}
)  # fmt: skip
"""what a deal's card shows beyond the query's words: its stage probability, its primary contact's name and title"""


def masked(message: str, mentions: list[Mention]) -> str:
    """The message with linked names replaced by the stock names the intent examples use."""
    text = message
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in mention.text.split()) + r"\b"
        text = re.sub(pattern, PLACEHOLDERS.get(mention.entity.type, "Acme"), text, flags=re.I)
    return text


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in args.items()}


WINDOW_KEYS = {"months", "start", "end"}


def _mention_window(message: str, today: date) -> dict[str, Any]:
    """The competitor-mention window a question names: its period's own days ("since the start of August", "Q3",
    "the last six weeks"); the last 6 months when it names none."""
    found = [p for p in find_periods(Reader(normalize(message).text), today) if p.start is not None]
    period = in_the_past(found[0], today) if found else None
    if period is None or period.start is None or period.start >= today:
        return {"months": 6}
    window: dict[str, Any] = {"start": period.start.isoformat()}
    if period.end is not None and period.end < today:
        window["end"] = period.end.isoformat()
    return window


def _account_sized(understood: Understood, slots: Slots) -> int | None:
    """The one account whose headcount is asked ("how many employees does Hooli have?"): its card says it."""
    accounts = of_type(slots.mentions, "account")
    if len(accounts) != 1 or of_type(slots.mentions, "deal") or not ACCOUNT_SIZE.search(understood.normalized.text):
        return None
    return accounts[0].entity.id


def _record_kind(message: str) -> str:
    if SINGULAR_DEAL.search(message):
        return "deal"
    if re.search(r"\baccount\b", message, re.I):
        return "account"
    if re.search(r"\bcontact\b", message, re.I):
        return "contact"
    return ""


def _leads_people(principal: Any) -> bool:
    return bool(principal.is_manager or principal.is_admin)


def _names_a_record(slots: Slots) -> bool:
    """Whether the message names an account, deal or contact (a colleague's name is no record)."""
    return any(m.entity.type != "user" for m in slots.mentions)


def _substantive(reading: Any) -> bool:
    """A reading that asks for a figure, a filtered set or a grouping, not just "my customers"."""
    parts = reading.parts
    if parts is None:
        return False
    return bool(
        parts.measure or parts.status or parts.periods or parts.stages or parts.group_by or parts.compare
        or parts.amount_min or parts.amount_max or parts.pipeline_word or parts.overdue or parts.missing
    )  # fmt: skip


def _untracked(text: str) -> bool:
    """Whether a part of a message asks for something no record holds."""
    plain = normalize(text).text
    return bool(NOT_HELD.search(plain) or UNKNOWABLE.search(plain) or UNKNOWABLE.search(text.lower()))


OR_MORE = re.compile(r"^\W*or\b", re.I)
"""a piece that only adds another way of asking the piece before it"""


def _the_deal(record: Entity) -> re.Pattern[str]:
    """'that deal', and for a deal also what it sells ('the pilot', 'that renewal'): the words that point at it."""
    product = record.name.split(" - ", 1)[1] if record.type == "deal" and " - " in record.name else ""
    if not product:
        return THE_DEAL
    return re.compile(rf"\b(?:that|this|the) (?:{DEAL_NOUNS}|{re.escape(product.lower())})\b", re.I)


def _asks_untracked(text: str, declined: list[str]) -> bool:
    """Whether a part of a message asks for something no record holds, or holds a phrase already declined."""
    lowered = text.lower()
    return _untracked(text) or any(word.lower() in lowered for word in declined)


def _unheld_core(reply: Reply, known_words: frozenset[str]) -> list[str]:
    """The words an answer says it could not use, when they are the heart of the question and not a stray word
    beside it ("what's the Slack channel for the Wonka team" gave the account card and "I didn't use 'slack
    channel'"): one of several questions asked like that is declined, not answered with something else."""
    words = [phrase for phrase in reply.unused if any(w not in known_words for w in phrase.split())]
    return words if len(" ".join(words).split()) >= 2 or _says_little(reply) else []


def _says_little(reply: Reply) -> bool:
    """An answer that only shows a record's card or lists records by owner, with no measure, filter or grouping."""
    for run in reply.runs:
        if run.name != "query":
            return run.name in RECORD_TOOLS
        filters = {key for key, value in (run.args.get("filters") or {}).items() if value}
        measured = run.args.get("measure") not in (None, "list") or run.args.get("group_by")
        if measured or filters - {"owner", "owner_ids", "team_ids", "account_ids"}:
            return False
    return True


def _read_only(reply: Reply) -> bool:
    """Whether a reply read something and proposes no change."""
    return bool(reply.runs) and all(run.proposal is None and run.result is not None for run in reply.runs)


def _primary_contact_id(turn: Turn, deal_id: int) -> int | None:
    return turn.deps.session.scalar(select(Deal.primary_contact_id).where(Deal.id == deal_id))


def _last_query(reply: Reply) -> dict[str, Any]:
    """The arguments of the query an answer ended on ({} when it ended on another tool)."""
    last = reply.runs[-1] if reply.runs else None
    return last.args if last is not None and last.name == "query" else {}


def _ranked_accounts(reply: Reply) -> bool:
    """Whether an answer ranked accounts ("which acct has the most open $"): "there" after it is the top one."""
    return _last_query(reply).get("group_by") == "account"


CARD_FIELD_WORDS = frozenset({"stage", "amount", "amt", "close", "date", "dt", "contact", "next", "step", "owner"})


def _not_on_the_card(phrase: str, shown: str) -> str:
    """The words of a phrase that neither name the records shown (allowing a slip: "lisence") nor a card's field."""
    names = words_of(shown)
    kept = [
        word
        for word in phrase.split()
        if word.lower() not in RECORD_CARD_WORDS | CARD_FIELD_WORDS
        and not any(
            word.lower() == name or (len(name) >= 5 and OSA.distance(word.lower(), name) <= 2) for name in names
        )
    ]
    return " ".join(kept)


def _deal_fields_too(message: str, slots: Slots) -> bool:
    """One deal named, with its own fields asked beside its contact: the deal's card names the contact too."""
    return len(of_type(slots.mentions, "deal")) == 1 and DEAL_FIELDS_TOO.search(message) is not None


def _one_rep_named(slots: Slots, asker: int) -> int | None:
    """The one colleague the message names (not the asker), or None."""
    people = {m.entity.id for m in slots.mentions if m.entity.type == "user"} - {asker}
    return next(iter(people)) if len(people) == 1 else None


def _one_rep(reply: Reply) -> bool:
    """Whether an answer picked one rep from a ranking ("who's lowest there"): "his deals" after it are that rep's."""
    asked = _last_query(reply)
    return asked.get("group_by") == "owner" and asked.get("limit") == 1


def _picked_one(reply: Reply) -> bool:
    """Whether an answer picked one record ("which of those is the biggest"): "it" or "there" after it is that one."""
    return _last_query(reply).get("limit") == 1


def _has_twin(visible: Visible, deal: Entity) -> bool:
    """Whether another deal the person sees shares this one's name: a rewritten question then names it "deal #id"."""
    return len([e for e in visible.lookup(" ".join(words_of(deal.name))) if e.type == "deal"]) > 1


def _after_declining(
    turn: Turn, state: dict[str, Any], reply: Reply, words: list[str], unknowable: bool
) -> Reply | None:
    """The answer to what was left of a message once its untracked part was put aside, led by a plain line on what
    was left out; None when that answer read nothing or proposes a change. The conversation state becomes its."""
    if not _read_only(reply):
        return None
    turn.state.clear()
    turn.state.update(state)
    reply.answer = f"{_declined_line(words, unknowable).rstrip('.')}, so I left it out.\n{reply.answer}"
    return reply


def _the_other_deal(visible: Visible, state: dict[str, Any], asking: str) -> int | None:
    """ "and the other one?" after one deal: the account's other deal, when it has exactly one other the person sees
    (an open one before closed ones)."""
    focus = (state.get("focus") or {}).get("deal")
    if not focus or not THE_OTHER_ONE.search(asking):
        return None
    saved = state.get(QUERY_STATE) or {}
    listed = list(dict.fromkeys(saved.get("ids") or []))
    picked_from = ((saved.get("input") or {}).get("filters") or {}).get("ids") or []
    listed = picked_from if len(listed) < 2 and len(picked_from) == 2 else listed  # "which cost me more?" picked one
    if len(listed) == 2 and focus["id"] in listed:  # "the other one" after a pick from two deals just listed
        return next(deal_id for deal_id in listed if deal_id != focus["id"])
    deal = visible.catalog.by_key.get(("deal", focus["id"]))
    if deal is None or deal.account_id is None:
        return None
    others = [
        d for d in visible.catalog.deals_by_account.get(deal.account_id, []) if d.id != deal.id and visible.sees(d)
    ]
    product = deal.name.split(" - ", 1)[1] if " - " in deal.name else ""
    same_product = [d for d in others if d.name == deal.name]
    if product and re.search(rf"\bother (?:[\w&'-]+ ){{0,3}}{re.escape(product.split()[0].lower())}", asking.lower()):
        others = same_product  # "the other evergreen pilot" after one Evergreen Schools pilot
    open_others = [d for d in others if d.is_open]
    chosen = open_others if len(open_others) == 1 else others
    return chosen[0].id if len(chosen) == 1 else None


THE_SIZED_ONE = re.compile(
    r"^\W*(?:(?:and|ok|so|now|what about|how about)\W+)*the (?:bigger|larger|biggest|largest|smaller|smallest)\b",
    re.I,
)
"""'the bigger pilot - when does it close?', 'and the smaller one?': one of an account's deals, by its size"""


def _the_sized_deal(visible: Visible, state: dict[str, Any], asking: str) -> int | None:
    """The deal of the account in view picked by size among those of the product named (or of the deal in view's
    product): "the bigger pilot" after an account overview, "and the smaller one?" after that pilot."""
    focus = state.get("focus") or {}
    if not THE_SIZED_ONE.search(asking):
        return None
    shown = visible.catalog.by_key.get(("deal", (focus.get("deal") or {}).get("id", -1)))
    account_id = (focus.get("account") or {}).get("id") or (shown.account_id if shown else None)
    if account_id is None:
        return None
    deals = visible.deals_of(account_id)
    named = deals_of_product(asking, deals)
    if not named and shown is not None and " - " in shown.name:
        named = [d for d in deals if d.name == shown.name]
    picked = pick_among(asking, named)
    return picked[0].id if len(picked) == 1 and len(named) > 1 else None


def _the_accounts_deal(visible: Visible, message: str, account: Mention) -> Mention | None:
    """The one open deal of an account named as a deal ("Sam's Weyland Mining deal"), when it has exactly one."""
    said = re.search(rf"{re.escape(account.text)}(?:'s)?\s+(?:deal|opportunity|opp)\b(?!s)", message, re.I)
    deals = visible.deals_of(account.entity.id)
    open_deals = [deal for deal in deals if deal.is_open]
    if said and len(open_deals) == 1:
        return Mention(open_deals[0], account.text, account.score)
    if said and len(deals) == 1:  # "why did we lose the Zorin Tech deal": its one deal, open or not
        return Mention(deals[0], account.text, account.score)
    return None


def the_account_named(text: str, account: str) -> str:
    """'the second one - who do we know there' -> 'who do we know at Wonka Confections'."""
    text = PICKED_LEAD.sub("", text)
    text = re.sub(r"\b(?:that account|that company|that customer|that client|that one's account)\b", account, text)
    text = re.sub(r"\b(with|at) them\b", rf"\1 {account}", text)
    named = re.sub(r"\bthere\b", f"at {account}", text)
    return named if account in named else f"{named.rstrip(' ?.')} at {account}?"


def _declined_line(words: list[str], unknowable: bool) -> str:
    """'I can't give “the margin”: it isn't something Dealwise tracks.'; for a name nothing in sight has, 'I can't
    find “Wayne Enterprises” among the records you can see.'"""
    names = [said[1] for word in words if (said := NAME_SAID.fullmatch(word.strip()))]
    if names and len(names) == len(words):
        return f"I can't find {', '.join(f'“{name}”' for name in names)} among the records you can see."
    declined = ", ".join(f"\u201c{word}\u201d" for word in words)
    why = (
        "Dealwise holds no contract documents"
        if any(CONTRACT_WORDS.search(word) for word in words)
        else "nobody can know that from the CRM"
        if unknowable or any(UNKNOWABLE.search(word) for word in words)
        else "it isn't something Dealwise tracks"
    )
    return f"I can't give {declined}: {why}."


def _focus_with(state: dict[str, Any], named: list[Mention]) -> dict[str, Any]:
    """The conversation's focus with the deals, accounts and contacts named beside a question (those already in
    focus stay); of two deals that share a name, the open one."""
    focus = dict(state.get("focus") or {})
    accounts = {m.entity.id for m in named if m.entity.type == "account"}
    elsewhere = [m for m in named if m.entity.type == "contact" and accounts and m.entity.account_id not in accounts]
    if len(elsewhere) < len(of_type(named, "contact")):  # "Ahmed Muller, the CEO at Falcon Security": that one
        named = [m for m in named if m not in elsewhere]
    for mention in sorted(named, key=lambda m: m.entity.type == "deal" and not m.entity.is_open):
        if mention.entity.type in ("deal", "account", "contact"):
            focus.setdefault(mention.entity.type, {"id": mention.entity.id, "name": mention.entity.name})
    return focus


def _the_fallback(message: str) -> str | None:
    """What a message asks for instead, when the first thing cannot be done ("…, and if you can't send files,
    just tell me how many open deals there are"): the words after the condition, or None."""
    for sentence in sentences_of(message):
        for clause in re.split(r"(?<=[.;])\s+|\.\s*$", sentence):
            lead = FALLBACK_LEAD.search(clause.strip())
            if lead is not None and len(clause.strip()[lead.end() :].split()) >= MIN_FALLBACK_WORDS:
                return re.sub(r",?\s*\binstead\b", "", clause.strip()[lead.end() :])  # "rank them by … instead"
    return None


MIN_FALLBACK_WORDS = 3
NAME_SAID = re.compile(r"(?:(?:at|for|with|from|on|about)\s+)?([A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+)+)")
"""a name said in capitals ('at Wayne Enterprises'): a record the person expects, not a field the CRM lacks"""
RECORD_KIND_WORD = (
    r"(deal|renewal|pilot|expansion|opp|opportunity|platform|license|licence|add-on|seats|account|company|customer)\b"
)
"""the kind of record a name is said with ("my Halcyon Dairy renewal")"""
DEAL_FIELDS_ASKED = re.compile(
    r"^(?=.*\b(?:what|when|which|how much|how big|confirm|tell me|give me|remind me|show me|let me know)\b)"
    r".*\b(?:amount|worth|value|close date|closing date|closed? (?:at|on|for)|next step|stage|how much|how big)\b",
    re.I,
)
"""one deal's fields, asked beside something the assistant cannot do"""
ONE_DEAL_FIELDS = re.compile(
    r"\b(?:what|when|how much)\b[^.?!]{0,20}\b(?:it|that deal|the deal)\b[^.?!]{0,20}\b(?:worth|amount|value|close|"
    r"closed|lost|won|marked|stage)\b|\b(?:it|its|the deal's) (?:amount|value|close date|stage|next step)\b",
    re.I,
)
"""fields asked of 'it', the one deal the message names ("when it was marked lost, what it was worth")"""
CONTACT_DETAIL_ASKED = re.compile(
    r"\b(?:what(?:'s| is| are)|give me|gimme|need|send me|get me|and|plus|also|with)\s+(?:his|her|their)\s+"
    r"(?:direct |mobile |cell |work |office )?(?:number|phone|mobile|cell|e-?mail|title|role|job title|details|"
    r"contact details)\b|\+\s*(?:his|her|their)\s+(?:number|phone|mobile|cell|e-?mail|title|role)\b",
    re.I,
)
"""a named person's number, email or title, asked beside something about them no record holds"""
CLOSE_PREDICTED = re.compile(r"\b(?:going to|gonna|will|likely to) (?:\w+ )?(?:close|land|sign)\b", re.I)
"""a prediction of closing, asked of deals whose expected close dates the CRM holds"""
ASKED_BESIDE = re.compile(
    r"^\W*(?:(?:also|and|but|then|plus|meanwhile|separately|in the meantime|at (?:the very )?least|at minimum)\W+)+"
    r"(?=(?:remind me|tell me|give me|show me|confirm|what|when|who|which|how|where|can you (?:tell|give|show|confirm)"
    r"|let me know)\b)",
    re.I,
)
"""'Also remind me of …', 'At least tell me here …': a question asked beside a request the assistant cannot do"""
ASKED_MIDWAY = re.compile(
    r",?\s+(?=(?:and|also|plus)\s+(?:remind me|tell me|give me|show me|send me|confirm|what|when|who|which|how)\b)",
    re.I,
)
"""'… for 8am Monday so I remember to ring John Young, and give me his number': where the ask beside it starts"""


ITS = re.compile(r"\b(?:it|its|it's|the deal|that deal)\b", re.I)


def _person_in_place(asked: str, message: str, visible: Visible) -> str:
    """'give me his number' with the one contact or lead the whole message names in place of 'his'."""
    people = {m.entity.id: m.entity for m in link(visible, message) if m.entity.type in ("contact", "lead")}
    if len(people) != 1 or link(visible, asked):
        return asked
    return person_in_place(asked, next(iter(people.values())).name)


def _asked_beside(message: str) -> str | None:
    """The question a message asks beside something the assistant never does ("Text Diego … Also remind me of the
    stage and next step on …", "Set an alarm … and give me his number"): the words from the first clause that asks,
    when none of them asks that again."""
    sentences = [part for sentence in sentences_of(message) for part in ASKED_MIDWAY.split(sentence) if part.strip()]
    for index, sentence in enumerate(sentences):
        lead = ASKED_BESIDE.search(sentence)
        if lead is None:
            continue
        rest = " ".join([sentence[lead.end() :], *sentences[index + 1 :]]).strip()
        if len(rest.split()) >= MIN_FALLBACK_WORDS and grammar.unsupported(rest) is None:
            return rest
    return None


def _offers_a_fallback(message: str) -> bool:
    """ "… hours on calls last month? If you can't do hours, give me the calls": the second ask replaces the first,
    so it keeps the first one's period."""
    return any(FALLBACK_CLAUSE.search(sentence) for sentence in sentences_of(message))


def _carried(
    question: str, named_before: list[Mention], turn: Turn, turn_visible: Visible, declined: str, earlier: str
) -> str:
    """A question after others, with the person they named in place of "he"/"she"/"his" ("Is Jack going to hit
    his target? And how many open deals does he have?") and the period they named in place of "that month";
    deals and accounts they named come into focus."""
    today = turn.deps.clock.today()
    phrases = _period_phrases(earlier, today) if THAT_PERIOD.search(question) else []
    if phrases and not find_periods(Reader(question.lower()), today):  # "how many calls did I log that month"
        named = " ".join(phrases)
        named = named if re.match(r"(?:in|during|over|for|since) ", named) else f"in {named}"
        question = THAT_PERIOD.sub(
            lambda said: named.split(" ", 1)[1] if _after_preposition(question, said) else named, question
        )
    kinds_before = re.findall(r"\b(tasks|deals|leads|contacts|accounts|calls|meetings|emails)\b", earlier.lower())
    if kinds_before and MORE_OF_THEM.match(question) and not RECORD_NOUNS.search(question):
        question = MORE_OF_THEM.sub(lambda said: f"{said[0]} open {kinds_before[-1]}", question, count=1)
        people = list(
            dict.fromkeys(m.entity.name.split()[0] for m in link(turn_visible, earlier) if m.entity.type == "user")
        )
        if len(people) == 2 and not link(turn_visible, question):  # "Jack or Erin? … how many more are due …"
            question = f"{question.rstrip(' ?.!')}, {people[0]} versus {people[1]}?"
    before_it = " ".join(
        s for s in sentences_of(earlier) if question.rstrip(" ?.!")[:24] not in s and s not in declined
    )
    other_side = CLOSED_SIDE.search(question) and CLOSED_SIDE.search(before_it) and not ALL_TIME_SAID.search(question)
    if other_side and not find_periods(Reader(question.lower()), today):  # "what did I win and what did I lose"
        question = " ".join([question.rstrip(" ?.!"), *_period_phrases(before_it, today)]) + "?"
    instead = declined and (_offers_a_fallback(turn.message) or _one_sentence(turn.message, declined, question))
    if instead and not find_periods(Reader(question.lower()), today):  # "… hours on calls last month? if you can't
        question = " ".join([question.rstrip(" ?.!"), *_period_phrases(declined, today)])  # do hours, the calls"
    if THEIR.search(question) and EACH_REP.search(declined) and not EACH_REP.search(question):
        question = _per_rep(question)  # "each of my reps' quota? … what each of them has won"
    accounts = {m.entity.id: m.entity.name for m in named_before if m.entity.type == "account"}
    if len(accounts) == 1 and not link(turn_visible, question):
        account = next(iter(accounts.values()))
        question = THEIR_OWN.sub(f"{account}'s", question, count=1)  # "their employee count"
        question = THEY_HAVE.sub(rf"does {account} \1", question, count=1)  # "how many employees do they have"
        question = WITH_THEM.sub(rf"\1 {account}", question, count=1)  # "our open pipeline with them"
        question = OVER_THERE.sub(f"at {account}", question, count=1)  # "which open deals does my team have there"
        question = THEIR_DEAL.sub(rf"the {account} \1\2", question, count=1)  # "what's the renewal deal worth"
        talked = LAST_WITH.search(question.lower()) and not re.search(r"\b(?:it|its|them|they|this|that)\b", question)
        if talked and account not in question:  # "globex - … and when did we last talk"
            question = f"{question.rstrip(' ?.!')} with {account}?"
        account_id = next(iter(accounts))
        products = {d.name.split(" - ", 1)[1] for d in turn_visible.deals_of(account_id) if " - " in d.name}
        for product in sorted(products, key=len, reverse=True):  # "what was the renewal worth"
            named = re.compile(rf"\b(?:the|that|this|their|its) {re.escape(product)}\b", re.I)
            if named.search(question) and account not in question:
                question = named.sub(f"the {account} {product}", question, count=1)
                break
    deals = {m.entity.id: m.entity.name for m in named_before if m.entity.type == "deal"}
    if len(deals) == 1 and not link(turn_visible, question) and (pointer := DEAL_POINTER.search(question)):
        name = next(iter(deals.values()))  # "… will the Weyland deal close? Give me the stage it's in": that deal
        named = f"{name}'s" if pointer[0].lower() == "its" else name
        question = question[: pointer.start()] + named + question[pointer.end() :]
    people = {m.entity.id: m for m in named_before if m.entity.type == "user"}
    people.pop(turn.deps.principal.user_id, None)
    contacts = {m.entity.id: m.entity.name for m in named_before if m.entity.type in ("contact", "lead")}
    if len(people) == 1:
        question = person_in_place(question, next(iter(people.values())).entity.name.split()[0])
    elif not people and len(contacts) == 1:  # "… tom berg … which of my open krusty deals is he the contact on"
        contact = next(iter(contacts.values()))
        question = person_in_place(question, contact)
        if contact not in question and LAST_WITH.search(question.lower()) and not link(turn_visible, question):
            question = f"{question.rstrip(' ?.!')} with {contact}?"  # "… and when was the last time we actually met?"
    focus = _focus_with(turn.state, named_before)
    if focus:
        turn.state["focus"] = focus
    return question


MORE_OF_THEM = re.compile(r"^\W*(?:(?:and|so|plus)\W+)?how many more\b", re.I)
"""'… how many open tasks are overdue, and how many more are due by Friday': more of the same records"""
CLOSED_SIDE = re.compile(r"\b(?:win|won|wins|lose|lost|losses|closed)\b", re.I)
ALL_TIME_SAID = re.compile(r"\b(?:ever|all[- ]time|of all time|in total|so far|to date)\b", re.I)
"""'Between June and August, what did my team win and what did we lose?': the losses of the same stretch"""
HELD_NOW = re.compile(r"\b(?:open|pipeline|pipe|right now|currently|at the moment|today)\b", re.I)
"""what is held now ("our open pipeline with them"): no period said beside an untracked ask goes with it"""
FIRST_NAME_DETAIL = re.compile(
    r"\b([a-z]{3,})(?:'s|\u2019s|s)\s+(?:direct\s+|mobile\s+|cell\s+|work\s+|office\s+|phone\s+)?"
    r"(?:number|phone|e-?mail(?: address)?|title|role|mobile|cell|line|details|contact (?:info|details))\b",
    re.I,
)


def _first_name_asked(message: str, visible: Visible) -> str | Reply | None:
    """ "whats lenas number": the message with the full name of the one contact of that first name the person may
    see, a question back when there are several, None when the message links a record or names no one so."""
    said = FIRST_NAME_DETAIL.search(message)
    if said is None or link(visible, message):
        return None
    people = sorted(contacts_first_named(visible, said[1].lower()), key=lambda e: e.name)
    if len(people) == 1:
        possessive = re.compile(rf"\b{re.escape(said[1])}(?:'s|\u2019s|s)(?=\s)", re.I)
        return possessive.sub(f"{people[0].name}'s", message, count=1)
    if len(people) > 1:
        accounts = [visible.find("account", p.account_id) if p.account_id else None for p in people]
        named = [f"{p.name}" + (f" ({a.name})" if a is not None else "") for p, a in zip(people, accounts, strict=True)]
        return Reply(answer=f"Which {said[1].title()} do you mean: {', '.join(named[:-1])} or {named[-1]}?")
    return None


OWNER_SAID = re.compile(
    r"(?!(?:rep|reps|owner|seller|person|manager|team|customer|client|account|company|deal|everyone|somebody|"
    r"someone|nobody|anyone|each|month|week|quarter|year|today)(?:'s|\u2019s|s')$)([a-z]{3,})(?:'s|\u2019s|s')"
)
LATEST_OF_THEM = re.compile(
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:when|what|which)(?:'s| is| was| were)? (?:the )?(?:most recent|latest|last)"
    r"(?: one| of (?:them|those|these))?(?: then)?\W*$",
    re.I,
)
""""When was the most recent one?" after a list of activities: the newest of them"""


def _one_sentence(message: str, declined: str, question: str) -> bool:
    """Whether the declined ask and this question were said in one sentence ("what's my quota attainment this
    quarter and how much have I closed won?"): a period said once goes with both."""
    first, second = (" ".join(part.lower().strip(" ?.!").split()) for part in (declined, question))
    sentences = (" ".join(sentence.lower().split()) for sentence in sentences_of(message))
    return not HELD_NOW.search(question) and any(first in said and second in said for said in sentences)


def _per_rep(question: str) -> str:
    """The question asked for each rep: the reps were named beside the part that was declined."""
    return f"{question.rstrip(' ?.!')} per rep?"


def _after_preposition(text: str, said: re.Match[str]) -> bool:
    return re.search(r"\b(?:in|during|over|for|since|from)\s+$", text[: said.start()], re.I) is not None


def _already_answered(earlier: Reply, later: Reply) -> bool:
    """Whether a later question's answer only repeats the earlier one: the same tool on the same records, stating
    no figure the earlier answer did not ("how many open deals do I have, and what's their total?")."""

    def over(run: ToolRun) -> tuple[str, Any, Any, Any]:
        filters = {key: value for key, value in (run.args.get("filters") or {}).items() if key != "ids"}
        ranked = run.args.get("measure") in ("avg", "median", "min", "max") or run.args.get("sort") is not None
        shape = [run.args.get(key) for key in ("measure", "field", "sort", "order")] if ranked else None
        return run.name, filters if run.name == "query" else run.args, shape, run.args.get("group_by")

    if [over(run) for run in earlier.runs] != [over(run) for run in later.runs]:
        return False
    if LIMITS_SAID.search(later.answer):
        return False
    headline = later.answer.split("\n", 1)[0]
    return all(figure in earlier.answer for figure in FIGURE.findall(headline))


NOT_FOUND_NAME = re.compile(r"^I can't find (?:a|an) [\w ]+ named \"([^\"]+)\"")
NARROWING = re.compile(
    r"^\W*(?:(?:and|also|so)\s+)?(?:how many|which(?: ones?)?|what share|what percentage|what %)\b", re.I
)
""""… and how many of them were in person?": a question that keeps some of the records just counted"""
RECORDS_OF_THE_SET = ("ids", "deal_ids", "account_ids", "contact_ids")


LIST_THEM_BACK = re.compile(
    r"^\W*(?:(?:then|and|now|also|ok|so)\W+)*(?:list|show(?: me)?|name|give me|pull up) (?:all )?(?:of )?"
    r"(?:those|these|them)\b",
    re.I,
)
""""… past their close date in each stage? Then list those deals with their owners.": the records just counted"""


def _narrowed_nothing(earlier: Reply, later: Reply) -> bool:
    """Whether a question that narrows the answer before it ("how many of them were in person") came back with
    the same figures, or over other records than those: the condition it narrows by was not understood."""
    before, after = _last_query(earlier), _last_query(later)
    if not before:
        return False
    kept_to_them = any((after.get("filters") or {}).get(key) for key in RECORDS_OF_THE_SET)
    elsewhere = not after or (after.get("object") != before.get("object") and not kept_to_them)
    return elsewhere or _already_answered(earlier, later)


THE_CONDITION = re.compile(
    r"^\W*(?:and\s+|also\s+)?(?:how many|how much|which(?: ones?)?|what share|what %|what percentage)?\s*"
    r"(?:(?:of|among|out of)\s+(?:them|those|these|that)\s*)?,?\s*"
    r"(?:(?:were|are|was|is|had|have|did|does|do|got)\b)?\s*",
    re.I,
)


def _the_condition(question: str) -> str:
    """What a narrowing question narrows by ("in person" in "how many of them were in person?")."""
    return THE_CONDITION.sub("", question).strip(" ?.!") or question.strip(" ?.!")


def _pieces(sentence: str) -> list[tuple[str, bool]]:
    """The sentence's parts between conjunctions, each with whether an untracked ask spans into it ("is Hooli going
    to sign before the end of the year, yes or no" is one unknowable ask over two parts)."""
    lowered = sentence.lower().replace("\u2019", "'")
    spans = [m.span() for pattern in (NOT_HELD, UNKNOWABLE) for m in pattern.finditer(lowered)]
    pieces, start = [], 0
    for separator in [*CONJUNCTS.finditer(sentence), None]:
        end = separator.start() if separator else len(sentence)
        piece = sentence[start:end]
        if piece.strip():
            demand = BARE_VERDICT.fullmatch(piece.strip(" .?!"))  # "I need a yes or no": the unknowable ask's own
            pieces.append((piece, bool(demand) or any(a < end and b > start for a, b in spans)))
        start = separator.end() if separator else end
    return pieces


def _period_phrases(text: str, today: date) -> list[str]:
    """The words of ``text`` that name a period ("this quarter", "in Q3 2026"), each run as one phrase."""
    text = calendar_phrases(spelled_days(text.lower()), today)  # "monday the 23rd", "11/3"
    reader = Reader(text)
    periods = find_periods(reader, today)
    phrases = reader.claimed_by("period")
    if len(periods) == 1 and "(" in text:  # "next week (the 23rd through the 27th)": the days in brackets
        bracketed = text.split("(", 1)[1].split(")", 1)[0]
        if [(p.start, p.end) for p in find_periods(Reader(bracketed), today)] == [(periods[0].start, periods[0].end)]:
            return [bracketed.strip()]
    return phrases


ASKS_A_FIGURE = re.compile(r"\b(?:how much|how many)\b", re.I)


def _asking(text: str) -> str:
    """The sentences that ask (the whole text when none does): a preamble's aside is not the question."""
    sentences = sentences_of(without_forwarded(text))
    asking = asking_sentences(sentences)
    asking = [
        s for s in sentences if s in asking or NEED.search(s) or INDIRECT_ASK.search(s) or ASKS_A_FIGURE.search(s)
    ]  # "I'd love …", "exactly how much am I going to close, no hedging."
    wanted = [  # "Finance wants the purchase order number … What is it?": what "it" stands for is asked too
        before
        for before, after in zip(sentences, sentences[1:], strict=False)
        if after in asking and WHAT_IS_IT.match(after) and before not in asking and WANTS.search(before)
    ]
    return " ".join(wanted + asking) if asking else text


WHAT_IS_IT = re.compile(r"^\s*(?:so |and )?(?:what|which|who)(?:'s| is| are| was)? (?:it|that|they|those)\b", re.I)
WANTS = re.compile(r"\b(?:wants?|needs?|asked for|asking for|is after|are after|would like)\b", re.I)
PLEASE = re.compile(
    r"\b(?:please|pls|confirm|remind me|let me know|send me|give me|tell me|show me|get me|"
    r"put (?:that|it|this|those) (?:next to|beside|alongside|against))\b",
    re.I,
)
INDIRECT_ASK = re.compile(
    r"\b(?:asked|asking|wants? to know|wondering|find out|check(?:ing)?|know)\b[^.?!]*\b(?:whether|if)\b"
    r"|\b(?:is|are|was|were|been|keeps?) (?:asking|wondering)(?: me| us)? (?:what|which|who|how|when|whether|if)\b"
    r"|\b(?:ask(?:s|ed|ing)?|wants?|needs?|request(?:s|ed|ing)?) (?:me |us |you )?(?:for|about)\b"
    r"|\b(?:wants?|needs?|asked for|asking for) (?:two|three|four|a couple of|a few) things\b",
    re.I,
)
"""'Finance asked me whether they have settled the invoice': a question put through someone else"""
CONJUNCTS = re.compile(r"\s*(?:[,;]|\band also\b|\bas well as\b|\balong with\b|\bplus\b|\band\b|\balso\b)\s*", re.I)
BESIDE_THE_UNTRACKED = re.compile(r"\b(?:next to|beside|alongside|compared (?:to|with)|versus|vs\.?|against)\s+what\b")
"""'what each committed at the start of the quarter next to what they actually won': the second half is held"""
GROUPED_BY_NOT_HELD = re.compile(
    r"\b(?:(?:broken|split|grouped|bucketed|segmented) (?:down |out )?by|by|per|for each|for every|across)\s+"
    r"(?:the |their |its |each |every )?(?:[\w-]+ ){0,2}?(?:" + NOT_HELD.pattern + r")"
)
"""a split by something no record holds: the figure can still be given whole"""
ONE_FIELD = re.compile(r"\b(?:contact|owner|account|company|customer|client)\b(?! (?:list|records))")
"""'the contact on it': one field of the deal in focus, not a list of contacts"""
LIMITS_SAID = re.compile(r"\bI (?:didn't use|can't|couldn't)\b|\bNote:")
FIGURE = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?")
SEPARATE = "answering_one_of_several"
"""state flag while each question of a message that asks several is answered on its own"""
DECLINING = "declining_untracked"
"""state flag while the answerable rest of a partly untracked message is answered (it is never declined twice)"""
CONTRACT_WORDS = re.compile(r"\b(?:clauses?|contract|notice periods?|terms|provisions?)\b", re.I)
LEANS_ON_DECLINED = re.compile(r"\b(?:those|these|them|they|that (?:quarter|month|year|week|period))\b", re.I)
"""the answerable rest leans on the declined part ("… won this quarter? And what do those total?")"""
EACH_REP = re.compile(
    r"\b(?:each|every|all) (?:of )?(?:my |our |the )?(?:reps?|owners?|sellers?|team members?)\b|"
    r"\b(?:my|our|the) (?:reps|sellers)\b(?=.*\beach of (?:them|their)\b)|"
    r"\b(?:per|by) (?:rep|owner|seller)\b",
    re.I,
)
GROUP_CARRIED = re.compile(
    r"\b(?:per|by|for each|for every|in each|each) (region|industry|stage|source|team|month|quarter|account)s?\b", re.I
)
THE_ACCOUNT = re.compile(r"\b(?:on|at|with|for|in) (?:that|this|the same) (?:account|customer|client|company)\b", re.I)
THEIR = re.compile(r"\b(?:their|they|them)\b", re.I)
THERE = re.compile(r"\s(?:over )?there\W*$", re.I)
THAT_PERIOD = re.compile(
    r"\b(?:that|the same|this|same) (?:month|quarter|year|week|period|stretch|day|window|range|time ?frame|span)\b|"
    r"\bthen\b|"
    r"\b(?:those|these) \w+ (?:months|weeks|days|quarters)\b|\bthose (?:months|weeks|days|quarters)\b|"
    r"\bthese (?:months|weeks|quarters)\b",
    re.I,
)
"""'how many calls did I log that month': the period the declined question named"""
THE_OTHER_ONE = re.compile(
    r"^\W*(?:(?:and|ok|so|now|what about|how about)\W+)*(?:the )?other (?:one|deal|opp|opportunity)\b(?: there)?\W*$|"
    r"\bthe other (?:one|deal|opp|opportunity)\b(?! (?:at|with|for|on) [a-z])|"
    r"\bthe other (?:[a-z][\w&'-]* ){0,3}(?:one|deal|opp|opportunity|pilot|renewal|expansion|license|licence|platform|"
    r"suite|seats)\b(?! (?:at|with|for|on) [a-z])",
    re.I,
)
PIECES = "pieces"
"""state key: the queries of the last message answered in pieces, in order"""
SAME_FIGURES = re.compile(
    r"\b(?:same|those|these|both|the two|all three|the three) (?:two |three |2 |3 )?(?:numbers|figures|counts|stats|"
    r"metrics|totals)\b|\b(?:same|those|these) (?:two|three|2|3) (?:things|questions|again)\b|"
    r"\bboth of (?:those|these)\b",
    re.I,
)
"""'the same two numbers', 'both figures': every piece of the answer before, asked again"""
GO_BACK_TO_ONE = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|right)\W+)?(?:go(?:ing)? back to|back to|return to) the (?:biggest|largest|smallest|"
    r"first|last|top|oldest|newest|earlier|previous|other|one before) (?:one|deal)\b[.,:;!\u2013\u2014-]*\s*",
    re.I,
)
"""'Go back to the biggest one. What's its close date?': the one deal the answer before the last one picked"""
THOSE_TWO_TOGETHER = re.compile(
    r"\b(?:those|these|the) two\b(?: \w+)?[^.?!]{0,30}\b(?:together|combined|in total|altogether|add up|come to|sum)\b|"
    r"\b(?:together|combined|total of|sum of)\b[^.?!]{0,20}\b(?:those|these|the|both) (?:two|deals|pilots|ones)\b",
    re.I,
)
"""'what do those two pilots come to together': the two deals just shown, one after the other"""
THE_OTHER_NAMED = re.compile(
    r"\bthe other (?:[a-z][\w&'-]* ){1,3}(?:pilot|renewal|expansion|license|licence|platform|suite|seats)\b"
    r"(?! (?:at|with|for|on) [a-z])",
    re.I,
)
"""'the other evergreen pilot': the one other deal of that account and product than the one shown"""
THAT_DESCRIBED_ONE = re.compile(
    r"\b(?:that|this) (?:older|newer|bigger|larger|smaller|earlier|later|cheaper|pricier|first|second|same) one\b", re.I
)
"""'that older one' after a deal's card: the deal just shown, as the earlier message described it"""
THE_OTHER_ONE_LEAD = re.compile(
    r"^\W*(?:(?:and|ok|so|now)\W+)*(?:for |what about |how about |on |with )?the other (?:one|deal|opp|opportunity)"
    r"\W*",
    re.I,
)
"""'and for the other one, ' before a question about that deal's account"""
THEIR_OWN = re.compile(
    r"\b(?:their|its)\b(?= (?:\w+ )?(?:count|headcount|employees|industry|region|owner|contacts?|ceo|cfo|cto|coo|"
    r"vp|head of \w+)\b)",
    re.I,
)
"""'their employee count' after a question that named one account"""
THEY_HAVE = re.compile(r"\b(?:do|does|did) (?:they|it) (have|employ|own|use|sell|do)\b", re.I)
WITH_THEM = re.compile(r"\b(with|to|at|for|from|about|on) (?:them|it|their account|the account|that account)\b", re.I)
OVER_THERE = re.compile(
    r"(?<!is )(?<!are )(?<!was )(?<!were )\b(?:over )?there\b(?! (?:is|are|was|were)\b)|(?<=deals )there\b|"
    r"(?<=opps )there\b|(?<=ones )there\b",
    re.I,
)
THEIR_DEAL = re.compile(r"\b(?:the|their|its) ((?:[\w-]+ ){0,2}?)(deals?|opportunit(?:y|ies)|opps?)\b", re.I)
BARE_VERDICT = re.compile(
    r"(?:(?:i|we) (?:just )?(?:need|want)|give me|just|only)?\s*(?:an? )?(?:straight |simple |clear )?"
    r"(?:yes or no|yes/no|yes-or-no)(?: answer)?(?: (?:please|pls))?",
    re.I,
)
RECORD_ASK = re.compile(
    r"\b(?:amount|worth|value|stage|close date|closing|closed|won|lost|deals?|pipeline|opportunit(?:y|ies)|opps?|"
    r"contacts?|e-?mail address(?:es)?|phone|title|next step|owner|tasks?|leads?|activities|calls|meetings|"
    r"how much|how many|totals?|what date|when did|when does|when is)\b",
    re.I,
)
"""words of an ask about what the CRM's records hold"""
ASKS_FOR = re.compile(r"\b(?:what|how|when|which|who|where|list|show|give|tell|send me|remind me)\b", re.I)
CONTACT_DETAIL = (
    r"(?:direct |work |office |mobile |cell |desk )?(?:phone(?: number)?|number|line|dial|e-?mail(?: address)?|"
    r"mobile|cell|"
    r"(?:job )?title|role|contact details|details)"
)
THEIR_DETAIL = re.compile(
    r"^\W*(?:(?:and|so|ok|also|plus)\W+)?(?:(?:what(?:'s| is| are|s)?|got|do (?:we|i|you) have|give me|need)\s+)?"
    r"(?:her|his|their|the (?:primary |main )?contact(?:'s| person's)?|(?:that|this) (?:person|contact)'?s?)\s+"
    rf"{CONTACT_DETAIL}(?:(?:,|,? and|,? &|,? plus)\s+(?:(?:her|his|their|the)\s+)?{CONTACT_DETAIL})*"
    r"(?: again)?(?:,? (?:please|pls|thanks|thx))?\W*$",
    re.I,
)
"""a detail of the contact just shown ("her phone?", "and the contact's email?"): that contact's line"""
DETAIL_FOR_THEM = re.compile(
    rf"^\W*(?:(?:and|so|ok|also|plus)\W+)?(?:what|which)(?:'s| is| are)?\s+(?:the\s+)?{CONTACT_DETAIL}\s+"
    r"(?:do|did|have)\s+(?:we|i|you)\s+(?:got\s+|have\s+)?(?:on file\s+)?(?:for|on)\s+(?:him|her|them)"
    r"(?: on file)?\W*$",
    re.I,
)
""""what phone number do we have for him?": the same, asked the long way"""
PRONOUN_DETAIL = re.compile(
    r"\b(?:her|his)\b[^?.!]{0,40}\b(?:title|role|position|phone|number(?! of)|e-?mail|mobile|cell)\b|"
    r"\b(?:title|role|phone|number|e-?mail|mobile|cell)\b[^?.!]{0,30}\b(?:for|of|on) (?:her|him)\b",
    re.I,
)
"""'what's her title, and have we got a phone number for her?' after a deal card: its primary contact's line"""
CHANGE_ASKED = re.compile(
    r"\b(?:move|bump|raise|lower|increase|decrease|reduce|cut|drop|push|pull|slip|change|update|set|mark|adjust|"
    r"bring|make it|put it)\b",
    re.I,
)
"""words that ask for a change to a deal, anywhere in the message"""
ADDED_ASK = re.compile(r"\s*(?:and|also|plus|oh,? and|as well as|then)\b", re.I)
"""a sentence that adds an ask to the question before it"""
PEOPLE_TOOLS = ("find_contacts", "get_account_overview", "meeting_prep")
"""tools whose answer shows the people of one account"""
DEAL_POINTER = re.compile(r"\b(?:its|it|that deal|this deal|the deal)\b(?!'s)", re.I)
"""the one deal a question before named, pointed at"""
BACK_TO_DEAL = re.compile(r"\b(?:it|its|that one)\b", re.I)
RECORD_FIELDS = re.compile(
    r"\b(?:amount|value|worth|stage|close date|closing date|next step|owner|probability|primary contact)\b", re.I
)
"""what a question asks of one deal ("remind me of the amount and the stage")"""
DEAL_NOUNS = r"deal|opportunity|opp"
THE_DEAL = re.compile(rf"\b(?:that|this|the) (?:{DEAL_NOUNS})\b", re.I)
HER = re.compile(r"\b(?:her|his|their)\b", re.I)
ON_IT = re.compile(r"\b(?:on|with|for) (?:it|that one|this one)\b", re.I)
"""'what's left to do on it': the one record the message named before"""
ANY_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him|her|his)\b", re.I)
"""'… a one-to-one with Rita. What should I be pushing her to act on?': the person named before"""
PICKED_LEAD = re.compile(
    r"^\W*(?:(?:and|ok|so)\W+)?(?:what about |how about )?the (?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|"
    r"5th|top|last|bottom)(?: one)?\s*(?:[-\u2013\u2014:,]\s*)?",
    re.I,
)
"""'the second one - ' before a question about what it picks"""
SIGNS = re.compile(r"\b(?:he|she|they)(?:'s| is| are)?\b[^.?!]{0,30}\b(?:sign|close|commit|buy)\b", re.I)
"""'when is he expected to sign' after a deal card: that deal's close date"""
MENTIONS_AGAIN = re.compile(
    r"^\W*(?:(?:and|ok|so|now|what about|how about)\W+)*(?:if you |just |only )?(?:only )?"
    r"(?:look(?:ing)? at |over |in |for |since |during )?(?:the )?(?:last|past|previous) \w+ (?:weeks?|months?|days?)"
    r"\W*$|"
    r"^\W*(?:and |ok |so )?(?:how many|what(?:'s| are) the) (?:mentions|times|counts?)(?: (?:each|for each|per (?:one|"
    r"competitor)|of each))?\W*$|\bif you only look at\b",
    re.I,
)
"""a follow-up on the competitor mentions just shown: another window, or the counts"""
MENTIONS_AGAIN_COUNTS = re.compile(r"\b(?:how many|counts?|mentions|times)\b", re.I)
MORE_THAN_ONE = re.compile(r"\b(?:two|both|deals|opps|opportunities|they|them|combined|together)\b")
"""words saying a name shared by several deals means all of them"""
THIS_ONE = re.compile(r"\b(?:this one|this deal|this opportunity|this opp|on this|about this)\b", re.I)
ONE_RECORD_BACK = re.compile(
    r"\b(?:it|its|it's|that deal|this deal|the deal|that one|this one|same deal|(?<=contact )there|"
    r"that (?:loss|win|sale|opportunity|opp))\b",
    re.I,
)


def _about_focused_deal(understood: Understood, slots: Slots) -> bool:
    """ "when is it supposed to close?" after one deal was shown: a question about that deal, not a set."""
    parts = understood.reading.parts
    pointed = ONE_RECORD_BACK.search(understood.normalized.text) or SIGNS.search(understood.normalized.text)
    if parts is None or not slots.focus.get("deal") or not pointed:
        return False
    text = understood.normalized.text
    plural = [
        w for w in parts.object_words if w != "deals" and not (w in ("contacts", "accounts") and ONE_FIELD.search(text))
    ]
    plural = plural or re.search(r"\bdeals\b", text)
    its_field = parts.group_by in ("source", "stage", "owner", "account", "contact") and ONE_RECORD_BACK.search(text)
    grouped = parts.group_by and not its_field  # "where did that one come from, lead source wise": its own source
    aggregate = parts.measure not in (None, "sum") or grouped or parts.compare or parts.periods
    return not plural and not aggregate and not parts.mentions


def _twin_deals(understood: Understood) -> QueryInput | None:
    """ "when are my two Umbrella Health platform deals set to close, and what are they worth combined?": every
    deal of the one name the message gives, when it says it means more than one, as one set."""
    parts = understood.reading.parts
    if parts is None or not MORE_THAN_ONE.search(understood.normalized.text):
        return None
    deals = of_type(parts.mentions, "deal")
    names = {m.entity.name for m in deals}
    if len(names) != 1 or len({m.entity.id for m in deals}) < 2 or len(parts.mentions) != len(deals):
        return None
    measure = parts.measure if parts.measure in ("sum", "count", "avg") else "list"
    return QueryInput.model_validate(
        {
            "measure": measure,
            "field": "amount" if measure in ("sum", "avg") else None,
            "filters": {"deal_ids": sorted({m.entity.id for m in deals})},
            "sort": "close_date" if measure == "list" else None,
            "order": "asc" if measure == "list" else None,
        }
    )


def _on_the_focused_deal(understood: Understood, slots: Slots) -> None:
    """ "How many calls have been logged on it?" after one deal was shown: the activities of that deal."""
    query, parts = understood.reading.query, understood.reading.parts
    deal = slots.focus.get("deal")
    if query is None or parts is None or not deal or query.object not in ("activities", "tasks"):
        return
    if ONE_RECORD_BACK.search(understood.normalized.text) and not parts.mentions and not query.filters.deal_ids:
        query.filters.deal_ids = [deal["id"]]
        query.filters.owner, query.filters.owner_ids, query.filters.team_ids = None, [], []


def _one_deal_pointed_at(visible: Visible, message: str, asking: str) -> int | None:
    """The deal a question points at with "this one" / "it" when the message (a forwarded mail, a pasted thread)
    names exactly one deal in full and the question itself names none."""
    if not THIS_ONE.search(asking) or of_type(link(visible, asking), "deal"):
        return None
    lowered = message.lower()
    linked = link(visible, message)
    named = {m.entity.id for m in of_type(linked, "deal") if m.entity.name.lower() in lowered}
    if not named:  # "… the figure we discussed for the Spacely Sprockets renewal": the account's renewal deal
        accounts = {m.entity.id for m in of_type(linked, "account")}
        by_product = [product_deal(message, visible.deals_of(account)) for account in accounts]
        named = {deal.id for deal in by_product if deal is not None}
    return named.pop() if len(named) == 1 else None


class OfflineBrain:
    def __init__(self, classifier: IntentClassifier, runner: ToolRunner, names: NameIndex, renderer: Renderer) -> None:
        self.classifier = classifier
        self.runner = runner
        self.names = names
        self.renderer = renderer
        self.queries = QueryPath(runner)
        examples = (example for spec in classifier.specs.values() for example in spec.examples)
        self.known_words = FILLERS | frozenset(t.word for e in examples for t in Reader(e.lower()).tokens)

    def _first_name_shown(self, turn: Turn, visible: Visible) -> str | None:
        """The message with a person's full name in place of a first name, when the list just shown holds exactly
        one contact or lead of that first name and the message names no record itself; None otherwise."""
        saved = turn.state.get(QUERY_STATE) or {}
        kind = {"contacts": "contact", "leads": "lead"}.get((saved.get("input") or {}).get("object", ""))
        account = (turn.state.get("focus") or {}).get("account")
        people_shown = turn.state.get("last_tool") in PEOPLE_TOOLS and account
        if (kind is None and not people_shown) or link(visible, turn.message):
            return None
        if people_shown:  # "who do we have at Acme?" then "lucas's direct line?"
            shown = visible.contacts_of(account["id"])
        else:
            shown = [e for i in saved.get("ids") or [] if (e := visible.find(kind or "contact", i)) is not None]
        for word in dict.fromkeys(words_of(turn.message)):
            first = word.removesuffix("'s")
            people = [e for e in shown if e.name.lower().split()[0] == first]
            if len(people) == 1 and len(first) > 2:
                said = re.compile(rf"\b{re.escape(first)}\b", re.I)
                return said.sub(people[0].name, turn.message, count=1)
        return None

    def _last_touch_named(self, turn: Turn, visible: Visible, contact: dict[str, Any] | None) -> str | None:
        """ "when did I last email her?" with the person in view (the contact just shown, or the primary contact of
        the one deal in view): the message with that contact's name in place of the pronoun; None otherwise."""
        lowered = turn.message.lower()
        pointed = CONTACT_POINTED_AT.search(lowered)
        if pointed is None or not LAST_WITH.search(lowered) or of_type(link(visible, turn.message), "contact"):
            return None
        if contact is None:
            deal = (turn.state.get("focus") or {}).get("deal")
            primary = _primary_contact_id(turn, deal["id"]) if deal else None
            entity = visible.find("contact", primary) if primary is not None else None
            contact = {"id": entity.id, "name": entity.name} if entity is not None else None
        if contact is None:
            return None
        return turn.message[: pointed.start(1)] + str(contact["name"]) + turn.message[pointed.end(1) :]

    def _stands_alone(self, own: str, visible: Visible) -> bool:
        """Whether the person's own words above or below a forwarded mail can be answered without it: they name a
        record themselves, or point at nothing ("what's her title" leans on the mail)."""
        if not LEANS_ON_MAIL.search(own):
            return True
        return any(m.entity.type in ("account", "deal", "contact") for m in link(visible, own))

    def _nth_deal_listed(self, turn: Turn, visible: Visible) -> str | None:
        """ "why is the first one at risk?" after a tool listed several deals: the message with that deal in focus
        and "that deal" in place of "the first one"; None when the last answer was no such list."""
        listed = turn.state.get(LISTED_DEALS) or []
        said = NTH_DEAL.search(turn.message)
        if not listed or said is None or turn.state.get("last_tool") in (QUERY_TOOL, None):
            return None
        index = ORDINALS[said[1].lower()]
        deal = visible.find("deal", listed[index]) if index < len(listed) else None
        if deal is None:
            return None
        turn.state[LISTED_DEALS] = []
        turn.state["focus"] = {**(turn.state.get("focus") or {}), "deal": {"id": deal.id, "name": deal.name}}
        return turn.message[: said.start()] + "that deal" + turn.message[said.end() :]

    def _one_deal_named(self, asking: str, named: list[Mention], visible: Visible) -> int | None:
        """The one deal a message names, directly or as an account's product or only open deal, else None."""
        deals = {m.entity.id for m in named if m.entity.type == "deal"}
        accounts = [m for m in named if m.entity.type == "account"]
        if len(deals) == 1:
            return next(iter(deals))
        if deals or len(accounts) != 1:
            return None
        by_product = product_deal(asking, visible.deals_of(accounts[0].entity.id))
        if by_product is not None:
            return by_product.id
        only_open = _the_accounts_deal(visible, asking, accounts[0])
        return only_open.entity.id if only_open is not None else None

    def _slots(self, turn: Turn, visible: Visible, message: str, mentions: list[Mention] | None = None) -> Slots:
        if mentions is None:
            mentions = link(visible, message)
            if not of_type(mentions, "deal"):  # "the northstar platform": that account's one Platform deal
                mentions = mentions + deals_by_product(visible, message, mentions)
        return Slots(
            message,
            turn.deps.clock.today(),
            turn.deps.principal,
            mentions,
            dict(turn.state.get("focus") or {}),
            visible.catalog.industries,
            visible.catalog.regions,
            visible.catalog.teams,
            visible.catalog.stages,
        )

    def reply(self, turn: Turn) -> Reply:
        deps, state, message = turn.deps, turn.state, turn.message
        rewrites: tuple[Callable[[str], str], ...] = (
            without_footer,  # "-- \nErin Chen … CONFIDENTIALITY NOTICE: … delete it"
            meetings_named,  # "how many meetings …, and how long were they"
            without_dismissed,  # "forget the forecast accuracy stuff - just …"
            without_retracted,  # "the Summit platform deal - scratch that, I mean the Summit expansion - …"
            without_purpose,  # "… I want to size the enterprise license properly. How many employees …"
            anyway_asked,  # "… he might push it to Q2, anyway what's the close date"
            lambda text: without_self_intro(text, deps.principal.name),  # "David here - what stage …"
        )
        for rewrite in rewrites:
            if (rewritten := rewrite(message)) != message:
                return self.reply(Turn(deps, rewritten, state, turn.history))
        visible = self.names.visible(deps.session, deps.principal)
        own = without_forwarded(message).strip()
        forwarded_asked = own != message.strip() and len(own.split()) >= 4
        if forwarded_asked and (defers_to_forwarded(message) or self._stands_alone(own, visible)):
            return self.reply(Turn(deps, own, state, turn.history))  # the person's own question, not the mail below
        handed = handed_over(message)
        if handed is not None and not LEANS_ON_MAIL.search(handed):  # "… notes from the oscorp call lol. quick q - …"
            return self.reply(Turn(deps, handed, state, turn.history))
        if (pointed := self._nth_deal_listed(turn, visible)) is not None:  # "why is the first one at risk?"
            return self.reply(Turn(deps, pointed, state, turn.history))
        pieces = state.pop(PIECES, None)
        if pieces and pieces[-1] == state.get(QUERY_STATE) and SAME_FIGURES.search(message):
            again = self._each_piece_again(turn, visible, pieces)
            if again is not None:  # "and the same two numbers for the whole team?" after meetings, then calls
                return again
        back = GO_BACK_TO_ONE.match(message)
        saved = state.get(QUERY_STATE) or {}
        earlier = saved.get("before_ids") or []
        if back and len(earlier) == 1 and (deal := visible.find("deal", int(earlier[0]))) is not None:
            state["focus"] = {**(state.get("focus") or {}), "deal": {"id": deal.id, "name": deal.name}}
            state[QUERY_STATE] = {"input": saved.get("before"), "ids": earlier}  # "go back to the biggest one. …"
            rest = message[back.end() :].strip()
            return self.reply(Turn(deps, rest if len(rest.split()) >= 2 else deal.name, state, turn.history))
        pair = self._the_two_shown(turn) if THOSE_TWO_TOGETHER.search(message) else None
        if pair is not None:  # "what do those two pilots come to together?" after one listed and the other's card
            return self.queries.answer(turn, pair, None)
        other_named = THE_OTHER_NAMED.search(message) if (state.get("focus") or {}).get("deal") else None
        other_id = _the_other_deal(visible, state, message) if other_named else None
        other = visible.find("deal", other_id) if other_id is not None else None
        if other_named is not None and other is not None:  # "ok and the other evergreen pilot, same info?"
            called = f"deal #{other.id}" if _has_twin(visible, other) else f"the {other.name} deal"
            return self.reply(Turn(deps, THE_OTHER_NAMED.sub(called, message, count=1), state, turn.history))
        described = THAT_DESCRIBED_ONE.search(message) if (state.get("focus") or {}).get("deal") else None
        if described is not None:  # "when did I last log anything on that older one?" after that deal's card
            return self.reply(Turn(deps, THAT_DESCRIBED_ONE.sub("that one", message), state, turn.history))
        slots = self._slots(turn, visible, message)
        pending = state.pop("clarify", None)
        if pending and pending.get("message"):
            resumed = self._resume(turn, Pending.model_validate(pending), slots, visible)
            if resumed is not None:
                return resumed
        focus_contact = (state.get("focus") or {}).get("contact")
        by_first_name = self._first_name_shown(turn, visible)
        asked_of = _first_name_asked(turn.message, visible) if by_first_name is None else None
        if isinstance(asked_of, Reply):  # "whats lenas number" with two Lenas in sight: which one
            return asked_of
        by_first_name = by_first_name or asked_of
        if by_first_name is not None:  # "marco's direct line?" after a list of contacts: that Marco
            return self.reply(Turn(deps, by_first_name, state, turn.history))
        last_args = state.get("last_args") or {}
        if state.get("last_tool") == "list_activities" and LATEST_OF_THEM.match(message) and last_args:
            return self._run(turn, "list_activities", {**last_args, "limit": 1}, slots, visible)  # "… most recent one?"
        named_back = self._last_touch_named(turn, visible, focus_contact)
        if named_back is not None:  # "when did I last email her?" after a deal and its contact: that contact, by name
            return self.reply(Turn(deps, named_back, state, turn.history))
        their_detail = THEIR_DETAIL.search(message) or DETAIL_FOR_THEM.search(message)
        card_deal = (state.get("focus") or {}).get("deal") if state.get("last_tool") == "get_deal" else None
        more_asked = re.search(r"\b(?:when|last|how many|how much|which|why)\b", message, re.I)
        if (
            (focus_contact or card_deal)
            and PRONOUN_DETAIL.search(message)
            and not more_asked
            and not link(visible, message)
        ):
            primary = focus_contact["id"] if focus_contact else _primary_contact_id(turn, card_deal["id"])  # type: ignore[index]
            if primary is not None and "find_contacts" in self.runner.specs:  # "what's her title" after a deal card
                return self._run(turn, "find_contacts", {"contact_ids": [primary]}, slots, visible)
        if focus_contact and their_detail and "find_contacts" in self.runner.specs:
            return self._run(turn, "find_contacts", {"contact_ids": [focus_contact["id"]]}, slots, visible)
        shown_account = (state.get("focus") or {}).get("account")
        people_shown = state.get("last_tool") in ("get_account_overview", "find_contacts")
        if shown_account and people_shown and THEIR_DETAILS.search(message):
            return self._run(turn, "find_contacts", {"account_id": shown_account["id"]}, slots, visible)
        not_on_file = self._someone_not_on_file(turn, visible, slots) if not state.get(DECLINING) else None
        if not_on_file is not None:  # "I need a direct line for Raj Mehta, the CTO at Umbrella Health"
            return not_on_file
        refused = grammar.unsupported(message)
        declining = refused is not None and not state.get(DECLINING)
        fallback = (_the_fallback(message) or _asked_beside(message)) if declining else None
        named = self._fields_of_the_named_deal(turn, visible, message) if fallback is not None else None
        cannot = self.renderer.text("unsupported", what=refused).split(chr(10))[0] if refused is not None else ""
        if named is not None and ITS.search(fallback or ""):  # "post in #wins. and remind me what it closed at"
            named.answer = f"{cannot}\n{named.answer}"
            return named
        if fallback is not None:  # "export it to a csv … if you can't, just tell me how many"
            fallback = _person_in_place(fallback, message, visible)  # "… ring John Young, and give me his number"
            instead = self.reply(Turn(deps, fallback, {**state, DECLINING: True}, turn.history))
            if _read_only(instead):
                instead.answer = f"{cannot}\n{instead.answer}"
                return instead
        if named is not None:  # "forward it to my gmail … at least tell me its next step"
            named.answer = f"{cannot}\n{named.answer}"
            return named
        if refused is not None:
            return Reply(answer=self.renderer.text("unsupported", what=refused))
        ruled = grammar.rule_intent(message)
        ranks_rivals = re.search(r"\b(?:most|how many times|how often|keeps?|top)\b", message, re.I) is not None
        if ruled == "get_call_summary" and grammar.insight_intent(message) == "competitor_mentions" and ranks_rivals:
            ruled = None  # "which competitor shows up most in my deals and call recordings": the rival count
        unquoted = grammar.strip_quoted(message)
        asked = (_asking(normalize(unquoted).text), _asking(unquoted.lower().replace("\u2019", "'")))
        not_held = [m[0] for text in asked for m in NOT_HELD.finditer(text)]
        unknowable = [m[0] for text in asked for m in UNKNOWABLE.finditer(text)]
        if UNLOGGED.search(unquoted.lower()):  # "had dinner with Tom but never logged it: what did he tell me?"
            unknowable += [m[0] for m in TOLD.finditer(asked[1])]
        if unknowable:
            declined = list(dict.fromkeys([*not_held, *unknowable]))
            return self._not_held(turn, visible, message, declined, unknowable=True)
        judged = ruled == "get_call_summary" and grammar.insight_intent(message) is not None  # BANT from a call
        if not_held and (ruled is None or ruled in READ_RULES) and not judged:  # no record holds it: say so first
            return self._not_held(turn, visible, message, list(dict.fromkeys(not_held)))
        if not (state.get(SEPARATE) or state.get(DECLINING)) and (ruled is None or ruled in READ_RULES | SET_RULES):
            declined = list(dict.fromkeys(not_held))
            questions = separate_questions(unquoted, lambda question: _asks_untracked(question, declined))
            several = self._each_question(turn, visible, questions, declined)
            if several is not None:
                return several
            taken_back = UNDO.search(unquoted.lower().replace(questions[0].lower(), " ")) if questions else None
            if len(questions) == 1 and questions[0] != unquoted and not taken_back:  # "… no next step? And when …"
                return self.reply(Turn(deps, questions[0], state, turn.history))
        asking = normalize(_asking(message), vocabulary=visible.catalog.products).text  # "northstr platfrom"
        asked_records = [m for m in link(visible, asking) if m.entity.type != "user"]
        in_view = state.get("focus") or {}
        one_deal = (in_view.get("deal") or {}).get("id")
        if in_view.get("account") and (by_product := product_deal(asking, visible.deals_of(in_view["account"]["id"]))):
            one_deal = by_product.id
        if one_deal and not asked_records and asks_field_of_one(asking) and "get_deal" in self.runner.specs:
            card = self._run(turn, "get_deal", {"deal_id": one_deal}, slots, visible)
            detail = card.runs[0].result if card.runs else None
            answered = field_line(asking, detail) if detail is not None else ""
            if detail is not None and detail.primary_contact is not None and CONTACT_ASKED.search(asking):
                contact = detail.primary_contact
                state["focus"] = {**state["focus"], "contact": {"id": contact.id, "name": contact.name}}
            card.answer = f"{answered}\n{card.answer}" if answered else card.answer
            return card
        agenda = grammar.next_actions(asking, names_a_record=bool(asked_records)) if ruled is None else None
        only_some = grammar.RECORDS_ASKED.search(message) or grammar.ONLY_DUE_TODAY.search(message)
        agenda = None if self.queries.picks_from_last(asking, turn) or only_some else agenda
        one_named = self._one_deal_named(asking, asked_records, visible) if agenda is not None else None
        if agenda is not None and one_named is None and not asked_records and ON_IT.search(asking):
            one_named = self._one_deal_named(message, link(visible, message), visible)  # "The Atlas pilot … on it"
            one_named = one_named or one_deal  # "have I got a to-do sitting on it" after one deal: that deal's card
        if one_named is not None and "get_deal" in self.runner.specs:  # "what should I do next on the krusty renewal"
            return self._run(turn, "get_deal", {"deal_id": one_named}, slots, visible)
        if agenda is not None and "next_actions" in self.runner.specs:
            person = next((m.entity.id for m in link(visible, asking) if m.entity.type == "user"), None)
            if person is None and ANY_PERSON_PRONOUN.search(asking):  # "… with Omar on Monday. What should he chase?"
                named = {m.entity.id for m in link(visible, message) if m.entity.type == "user"}
                named.discard(deps.principal.user_id)
                person = next(iter(named)) if len(named) == 1 else None
            if person is not None and person != deps.principal.user_id:
                agenda["owner_id"] = person  # "what should Sam be working on next?"
            elif _leads_people(deps.principal) and not MY_OWN.search(asking):
                agenda["owner"] = "my_team"  # a manager's "what's on fire" is the team's
            run = self.runner.run(deps, "next_actions", agenda)
            return Reply(answer=self.renderer.run(run), runs=[run], needs_grounding=True)
        insight = grammar.insight_intent(message)
        if insight is None and state.get("last_tool") == "competitor_mentions" and MENTIONS_AGAIN.search(asking):
            window = _mention_window(message, deps.clock.today())  # "and if you only look at the last 2 months?"
            carried = {k: v for k, v in (state.get("last_args") or {}).items() if k not in ("months", "start", "end")}
            named = window if window != {"months": 6} or MENTIONS_AGAIN_COUNTS.search(asking) is None else {}
            previous = {k: v for k, v in (state.get("last_args") or {}).items() if k in ("months", "start", "end")}
            return self._plan(turn, "competitor_mentions", {**carried, **(named or previous)}, slots, visible)
        rep = _one_rep_named(slots, deps.principal.user_id)
        if insight is None and state.get("last_tool") == "competitor_mentions" and rep and FOLLOW_UP.match(asking):
            carried = {k: v for k, v in (state.get("last_args") or {}).items() if k != "owner_id"}
            return self._plan(turn, "competitor_mentions", {**carried, "owner_id": rep}, slots, visible)  # "jack's?"
        reads_calls = ruled in ("get_call_summary", "find_calls", "search_notes")
        insight = insight if ruled is None or (reads_calls and insight in ("bant_check", "stage_fit")) else None
        if insight == "stage_fit" and not (_names_a_record(slots) or slots.focus.get("deal")):
            insight = None  # "is he right about negotiation-stage deals" is no question about one deal's stage
        if insight in self.runner.specs:
            base = _mention_window(message, deps.clock.today()) if insight == "competitor_mentions" else {}
            if insight == "competitor_mentions" and rep:
                base["owner_id"] = rep  # "which competitor comes up most on Jack's deals"
            return self._plan(turn, insight, base, slots, visible)
        account = self.queries.account_pointed_at(asking, turn, visible) if ruled is None else None
        if account is not None:  # "the second one - who do we know there": asked again with the account named
            named = the_account_named(asking, account.name)
            state.pop(QUERY_STATE, None)  # a question of its own now: not a refinement of the list it picked from
            return self.reply(Turn(deps, named, state, turn.history))
        use_query = self.queries.available() and not grammar.specialised(message)
        understood = self.queries.understand(message, visible, turn) if use_query else None
        picked = (
            self.queries.picked_deal(understood, turn, visible) if understood is not None and ruled is None else None
        )
        picked = picked if picked is not None or ruled is not None else _the_other_deal(visible, state, asking)
        picked = picked if picked is not None or ruled is not None else _the_sized_deal(visible, state, asking)
        if picked is None and understood is not None and ruled is None:
            picked = self.queries.deal_named_in_last(understood, turn, visible) or self.queries.next_one_down(
                asking, turn
            )
        lead_shown = (
            self.queries.about_the_lead_shown(asking, turn) if understood is not None and ruled is None else None
        )
        if lead_shown is not None:
            return self.queries.answer(turn, lead_shown, None)
        other = visible.find("deal", picked) if picked is not None and THE_OTHER_ONE.search(asking) else None
        account = visible.find("account", other.account_id) if other and other.account_id else None
        if account is not None and AT_THAT_ACCOUNT.search(asking):  # "for the other one, anything open at that account"
            named = the_account_named(THE_OTHER_ONE_LEAD.sub("", asking), account.name)
            state.pop(QUERY_STATE, None)
            return self.reply(Turn(deps, named, state, turn.history))
        if picked is not None and "get_deal" in self.runner.specs:
            return self._run(turn, "get_deal", {"deal_id": picked}, slots, visible)
        asks_about = ruled is None or (ruled == "update_deal" and asking.rstrip().endswith("?"))
        forwarded = _one_deal_pointed_at(visible, message, asking) if asks_about else None
        if forwarded is not None:  # "what amount and stage have we got on this one?" above a forwarded mail about it
            return self._run(turn, "get_deal", {"deal_id": forwarded}, slots, visible)
        by_product = understood.deal_by_product if understood is not None and ruled is None else None
        if by_product is not None and not understood.reading.is_set:  # type: ignore[union-attr]
            return self._run(turn, "get_deal", {"deal_id": by_product}, slots, visible)  # "the renewal deal"
        sized = _account_sized(understood, slots) if understood is not None and ruled is None else None
        if sized is not None and "get_account_overview" in self.runner.specs:
            return self._run(turn, "get_account_overview", {"account_id": sized}, slots, visible)
        twins = _twin_deals(understood) if understood is not None and ruled is None else None
        if twins is not None:
            return self.queries.answer(turn, twins, understood)
        focused = understood is not None and ruled is None and _about_focused_deal(understood, slots)
        if focused and "get_deal" in self.runner.specs:
            return self._plan(turn, "get_deal", {}, slots, visible)
        if understood is not None and ruled is None:
            _on_the_focused_deal(understood, slots)
        if understood is not None and ruled == "list_activities" and len(message.split()) <= BARE_KIND_WORDS:
            changed = self.queries.follow_up(understood, turn, visible)  # "emails?" after a count of calls
            if changed is not None and changed.object == "activities":
                return self.queries.answer(turn, changed, understood)
        if understood is not None and (ruled is None or ruled in SET_RULES):
            changed = self.queries.follow_up(understood, turn, visible)
            if changed is not None:
                return self.queries.answer(turn, changed, understood)
            if understood.reading.is_set:
                stranger = self._unknown_owner(understood, slots)
                if stranger is not None:  # "how's priya's pipeline looking" with no Priya among the reps
                    return self._not_found("rep or record", stranger)
                unseen = self._unseen_in_set(understood, slots, visible, message)
                if unseen is not None:  # "any deals with Hooli?" where no Hooli is in sight: not every deal instead
                    return self._not_found(_record_kind(message), unseen)
                share = self.queries.share(turn, understood)
                return share or self.queries.answer(turn, understood.reading.query, understood)
            unknown = self._unknown_words(understood)
            plain = understood.normalized.text if understood.normalized.shouted else message
            named = grammar.unlinked_name(plain, slots.mentions, visible.catalog.vocabulary, loose=False)
            if unknown and ruled is None and named is None:
                rest = self._answer_the_rest(turn, visible, message, unknown) if len(unknown) <= FEW_UNKNOWN else None
                return rest or Reply(answer=self.renderer.text("not_tracked", words=unknown))
        if understood is not None and understood.normalized.shouted:
            message = understood.normalized.text
            slots = self._slots(turn, visible, message)
        normalised = masked(message, slots.mentions)
        tool, base_args, unsure = self._choose(message, slots, state, normalised)
        last_said = (sentences_of(message) or [message])[-1]  # "he said they might push it out. What's the date?"
        if tool == "update_deal" and message.rstrip().endswith("?") and not CHANGE_ASKED.search(last_said):
            tool, base_args = "get_deal", {}  # "close date and next step on deal #120?": a question, not a change
        focused_deal = (state.get("focus") or {}).get("deal")
        if tool == "find_contacts" and focused_deal and not slots.mentions and CONTACT_ASKED.search(message):
            primary = _primary_contact_id(turn, focused_deal["id"])  # "who's the contact there?" after one deal
            if primary is not None:
                return self._run(turn, "find_contacts", {"contact_ids": [primary]}, slots, visible)
        if tool in SET_INTENTS and (ruled is None or tool not in self.runner.specs) and self.queries.available():
            understood = understood or self.queries.understand(message, visible, turn)
            return self.queries.answer(turn, understood.reading.query, understood)
        unseen = grammar.unlinked_name(normalised, [], visible.catalog.vocabulary, loose=False)
        if unseen and unseen not in PLACEHOLDERS.values() and unsure:
            stock = normalised.replace(unseen, "Acme deal" if " - " in unseen else "Acme")
            tool, base_args, _ = self._choose(message, slots, state, stock)
        stand_ins = {word for value in PLACEHOLDERS.values() for word in value.split()}
        fresh = unseen is not None and not set(unseen.split()) & stand_ins  # "Sam Acme deal" is Sam's deal, named
        fresh = fresh and unseen[:1].isupper() and unseen.lower() not in STOPWORDS  # said as a name, not "that deal"
        kind = re.search(rf"{re.escape(unseen)}(?:'s)?\s+{RECORD_KIND_WORD}", normalised, re.I) if fresh else None
        if kind is not None and unseen and tool not in grammar.WRITE_RULES:
            record = "account" if kind[1].lower() in ("account", "company", "customer") else "deal"
            return Reply(answer=self.renderer.text("not_found", kind=record, record_name=unseen))  # "my Halcyon Dairy"
        if tool is None:
            return Reply(answer=self.renderer.text("out_of_scope"))
        reply = self._plan(turn, tool, base_args, slots, visible)
        unknown = self._unknown_words(understood, about_records=True) if understood is not None else []
        if unknown:
            refs = (ref for run in reply.runs for ref in getattr(run.result, "records", None) or [])
            shown = " ".join(ref.name.lower() for ref in refs)
            unknown = [word for word in unknown if word.lower() not in RECORD_CARD_WORDS and word.lower() not in shown]
            unknown = [rest for phrase in unknown if (rest := _not_on_the_card(phrase, shown))]
            unknown = [word for word in unknown if not is_amount(word.lower())]  # "the 43k one": it picked the deal
        if unknown and tool in RECORD_TOOLS and reply.runs and reply.runs[-1].proposal is None:
            reply.answer += "\n" + render_limits(unknown, None, [])
            reply.unused = unknown
        return reply

    def _each_question(
        self,
        turn: Turn,
        visible: Visible,
        questions: list[str],
        declined: list[str] | None = None,
        unknowable: bool = False,
    ) -> Reply | None:
        """A message that asks several things gets each answered on its own, in order, under its question (one that
        asks for what no record holds, among ``declined``, gets a plain line saying so); None (and the conversation
        as it was) when it asks one thing, or when a question finds no answer or would change a record."""
        if len(questions) < 2:
            return None
        before = copy.deepcopy(turn.state)
        checked: str | None = None
        answered: list[tuple[str, Reply]] = []
        left_out: list[str] = []
        untracked_asks: list[str] = []
        asked_text = " ".join(questions)
        preamble = [s for s in sentences_of(turn.message) if s.strip(" ?.!") not in asked_text]
        named_before: list[Mention] = [  # "I'm flying out to see Summit Healthcare. Which of my deals there …"
            m
            for m in link(visible, " ".join(preamble))
            if (m.entity.type in ("account", "contact", "lead") and m.text.lower() == m.entity.name.lower())
            or m.entity.type == "user"  # "Jack's deals feel slow. How many days does it take him …"
        ]
        if topic := HEADED_BY.match(questions[0]):  # "globex - who do we know there and when did we last talk"
            named_before += [m for m in link(visible, topic[0]) if m.entity.type in ("account", "deal", "contact")]
        if of_type(named_before, "account") and not of_type(named_before, "deal"):  # "Atlas … on the pilot. …"
            named_before += deals_by_product(visible, " ".join(preamble), named_before)
        accounts_named = of_type(named_before, "account")
        if len(accounts_named) == 1 and not of_type(named_before, "deal"):  # "Why did we lose the Zorin Tech
            deal = _the_accounts_deal(visible, " ".join(preamble), accounts_named[0])  # deal? … who my contact on it"
            named_before += [deal] if deal is not None else []
        covered = 0
        asked_earlier: list[str] = []
        pieces: list[dict[str, Any] | None] = []
        for question in questions:
            heading = question
            asked_earlier.append(question)
            untracked = _asks_untracked(question, declined or [])
            unknown: list[str] = []
            reply = None
            if not untracked:
                leans = (
                    refines(question)
                    or (answered and self._ranks_groups(turn, visible, question, answered[-1][1]))
                    or (answered and deals_of_accounts_asked(answered[-1][0], question))
                    or (answered and AT_THAT_ACCOUNT.search(question) is not None and _ranked_accounts(answered[-1][1]))
                    or (answered and ONE_RECORD_BACK.search(question) is not None and _picked_one(answered[-1][1]))
                    or (answered and THE_CONTACTS_ON_THEM.search(question.lower()) is not None)
                    or (answered and THEIR_STAT.search(question) is not None)
                    or (answered and LIST_THEM_BACK.match(question) is not None)
                    or (answered and ANY_PERSON_PRONOUN.search(question) is not None and _one_rep(answered[-1][1]))
                )
                if answered and not leans:
                    turn.state.clear()
                    turn.state.update(copy.deepcopy(before))
                question = _carried(
                    question,
                    named_before,
                    turn,
                    visible,
                    " ".join(untracked_asks),
                    " ".join([*preamble, *asked_earlier[:-1]]),
                )
                asked_before = copy.deepcopy(turn.state)
                turn.state[SEPARATE] = True
                reply = self.reply(Turn(turn.deps, question, turn.state, turn.history))
                turn.state.pop(SEPARATE, None)
                checked = turn.state.get("last_check") or checked
                unknown = _unheld_core(reply, self.known_words) or self._unheld_beside_a_card(
                    turn, visible, question, reply
                )
                missing = NOT_FOUND_NAME.search(reply.answer) if not reply.runs else None
                if not unknown and missing is not None:  # "… what's contoso cloud's win rate …": no such record
                    said = re.search(rf"(?:\b[\w-]+\s+)?\b{re.escape(missing[1])}(?:'s|\u2019s)?", question, re.I)
                    unknown = [said[0] if said else missing[1]]
                narrows = answered and NARROWING.match(question) and refines(question)
                narrows = narrows and not WORTH_OF_IT.search(question)  # "and how many dollars": a figure, no filter
                if not unknown and narrows and _narrowed_nothing(answered[-1][1], reply):
                    unknown = [_the_condition(question)]  # "… and how many of them were in person?"
                if unknown:
                    turn.state.clear()
                    turn.state.update(asked_before)
            if reply is None or unknown:
                declined = [*(declined or []), *unknown]
                plain = normalize(question).text
                words = [word for word in declined or [] if word.lower() in question.lower()] or [
                    m[0] for pattern in (NOT_HELD, UNKNOWABLE) for m in pattern.finditer(plain)
                ]
                left_out += words or declined or []
                unknowable = unknowable or bool(UNKNOWABLE.search(plain))
                untracked_asks.append(question)
                named_before += link(visible, question)
                continue
            named_before += [m for m in link(visible, question) if m.entity.type != "user"]
            if not _read_only(reply):
                turn.state.clear()
                turn.state.update(before)
                return None
            if not answered or not _already_answered(answered[-1][1], reply):
                answered.append((heading, reply))
                pieces.append(copy.deepcopy(turn.state.get(QUERY_STATE)))
            else:
                covered += 1  # "which deals were they and what's the total": the list gave the total too
        if not answered or len(answered) + covered + bool(left_out) < 2:
            turn.state.clear()
            turn.state.update(before)
            return None  # nothing more than one answer: the message is read whole
        if checked:
            turn.state["last_check"] = checked  # "same check on his Tyrell deal" after a BANT check and a search
        if len(pieces) >= 2 and all(pieces) and pieces[-1] == turn.state.get(QUERY_STATE):
            turn.state[PIECES] = pieces  # "… the same two numbers for the whole team" asks each of them again
        lines = [f"{_declined_line(list(dict.fromkeys(left_out)), unknowable).rstrip('.')}, so I left it out."]
        answers = (
            [answered[0][1].answer]
            if len(answered) == 1
            else [f"**{question}**\n{reply.answer}" for question, reply in answered]
        )
        return Reply(
            answer="\n".join(lines[: bool(left_out)] + ["\n\n".join(answers)]),
            runs=[run for _, reply in answered for run in reply.runs],
            grounded=all(reply.grounded for _, reply in answered),
            needs_grounding=any(reply.needs_grounding for _, reply in answered),
        )

    def _the_two_shown(self, turn: Turn) -> QueryInput | None:
        """The one deal the last list showed and the other deal whose card came after it, as one set to total."""
        listed = (turn.state.get(QUERY_STATE) or {}).get("ids") or []
        focus = (turn.state.get("focus") or {}).get("deal") or {}
        if len(listed) != 1 or not focus or focus.get("id") == listed[0] or not self.queries.available():
            return None
        if turn.state.get("last_tool") == QUERY_TOOL:
            return None  # the list came last: "those two" are not a list and a card
        ids = [int(listed[0]), int(focus["id"])]
        return QueryInput.model_validate({"measure": "sum", "field": "amount", "filters": {"ids": ids}})

    def _each_piece_again(self, turn: Turn, visible: Visible, pieces: list[dict[str, Any]]) -> Reply | None:
        """Each query of a message answered in pieces, changed by this message the same way (None when one of
        them is no refinement of it); the pieces are kept for the next message."""
        if not self.queries.available():
            return None
        replies: list[Reply] = []
        states: list[dict[str, Any] | None] = []
        for piece in pieces:
            turn.state[QUERY_STATE] = copy.deepcopy(piece)
            understood = self.queries.understand(turn.message, visible, turn)
            changed = self.queries.follow_up(understood, turn, visible)
            if changed is None:
                turn.state[QUERY_STATE] = pieces[-1]
                return None
            replies.append(self.queries.answer(turn, changed, understood))
            states.append(copy.deepcopy(turn.state.get(QUERY_STATE)))
        turn.state[PIECES] = states
        return Reply(
            answer="\n\n".join(reply.answer for reply in replies),
            runs=[run for reply in replies for run in reply.runs],
            needs_grounding=True,
            unused=[word for reply in replies for word in reply.unused],
        )

    def _not_held(
        self, turn: Turn, visible: Visible, message: str, words: list[str], unknowable: bool = False
    ) -> Reply:
        """A message that also asks something answerable ("my open pipeline and the margin on it") gets that
        part answered and the rest declined; otherwise the whole message is declined. The answer always says
        what was left out, even when the untracked ask was a statement ("Finance wants the PO number. What is
        it?")."""
        reply = self._answer_not_held(turn, visible, message, words, unknowable)
        said = reply.answer.lower()
        if reply.runs and _read_only(reply) and not any(word.lower() in said for word in words):
            reply.answer = f"{_declined_line(words, unknowable).rstrip('.')}, so I left it out.\n{reply.answer}"
        return reply

    def _answer_not_held(
        self, turn: Turn, visible: Visible, message: str, words: list[str], unknowable: bool = False
    ) -> Reply:
        several = None
        if self.queries.available() and not turn.state.get(SEPARATE) and not turn.state.get(DECLINING):
            questions = separate_questions(grammar.strip_quoted(message), lambda q: _asks_untracked(q, words))
            answerable = [question for question in questions if not _asks_untracked(question, words)]
            several = questions if len(questions) > 1 and answerable else None
        if several and len(answerable) > 1:  # "First, … Second, <untracked> Last thing, …": each answered apart
            reply = self._each_question(turn, visible, several, words, unknowable)
            if reply is not None:
                return reply
        named = self._fields_of_the_named_deal(turn, visible, message) if ONE_DEAL_FIELDS.search(message) else None
        if named is not None:  # "why did we lose the Zorin Tech deal? … when it was marked lost, what it was worth"
            return _after_declining(turn, copy.deepcopy(turn.state), named, words, unknowable) or named
        if self.queries.available():
            carried = self._answer_the_rest(turn, visible, message, words, unknowable, carrying=True)
            if carried is not None:
                return carried
        if several:
            reply = self._each_question(turn, visible, several, words, unknowable)
            if reply is not None:
                return reply
        if self.queries.available():
            asks = [part for part in CONJUNCTS.split(message) if part.strip()]
            other_asks = " and ".join(part for part in asks if not _untracked(part))
            today = turn.deps.clock.today()
            dated = other_asks and not HELD_NOW.search(other_asks)
            if dated and not find_periods(Reader(other_asks.lower()), today):  # "my quota this quarter and
                said = _period_phrases(" ".join(part for part in asks if _untracked(part)), today)  # what I've won"
                other_asks = " ".join([other_asks.rstrip(" ?.!"), *said]) if said else other_asks
            ungrouped = GROUPED_BY_NOT_HELD.sub(" ", normalize(message).text)
            ungrouped = "" if _untracked(ungrouped) else ungrouped
            for rest in dict.fromkeys(r for r in (other_asks if len(asks) > 1 else "", ungrouped) if r.strip()):
                if THEIR.search(rest) and EACH_REP.search(message) and not EACH_REP.search(rest):
                    rest += " per rep"  # "each of my reps' quota? … just give me what each of them has won"
                understood = self.queries.understand(rest, visible, turn)
                reading = understood.reading
                if reading.is_set and not reading.leftovers and reading.unknown_group is None and _substantive(reading):
                    reply = self.queries.answer(turn, reading.query, understood)
                    declined = ", ".join(f"\u201c{word}\u201d" for word in words)
                    limit = (
                        f"I can't split the figures by {declined}: it isn't something Dealwise tracks, "
                        "so here they are whole."
                        if rest == ungrouped
                        else f"I can't give {declined}: it isn't something Dealwise tracks, so I left it out."
                    )
                    reply.answer = f"{limit}\n{reply.answer}"
                    return reply
            rest = self._answer_the_rest(turn, visible, message, words, unknowable)
            if rest is not None:
                return rest
            rest = self._answer_without(turn, message, words, unknowable)
            if rest is not None:
                return rest
        person = self._details_of_the_named_contact(turn, visible, message)
        if person is not None:  # "does Tom Berg like golf? and give me his email": nothing else asked could be read
            return _after_declining(turn, copy.deepcopy(turn.state), person, words, unknowable) or person
        named = self._fields_of_the_named_deal(turn, visible, message)
        if named is not None:  # "my commission on the Bluth Company Expansion? Also confirm the amount and close date"
            named.answer = f"{_declined_line(words, unknowable).rstrip('.')}, so I left it out.\n{named.answer}"
            return named
        shown = self.queries.deals_shown(turn) if CLOSE_PREDICTED.search(message) else None
        if shown is not None:  # "are either of those going to close before the year is out?": their close dates
            reply = self.queries.answer(turn, shown, None)
            declined = _declined_line(words, unknowable)
            reply.answer = f"{declined} Here is when each is expected to close.\n{reply.answer}"
            return reply
        return Reply(answer=self.renderer.text("not_tracked", words=words))

    def _details_of_the_named_contact(self, turn: Turn, visible: Visible, message: str) -> Reply | None:
        """The one contact a message names, when beside what no record holds it asks their number, email or title."""
        people = {m.entity.id for m in link(visible, message) if m.entity.type == "contact"}
        if len(people) != 1 or not CONTACT_DETAIL_ASKED.search(message) or "find_contacts" not in self.runner.specs:
            return None
        slots = self._slots(turn, visible, message)
        return self._run(turn, "find_contacts", {"contact_ids": [next(iter(people))]}, slots, visible)

    def _fields_of_the_named_deal(self, turn: Turn, visible: Visible, message: str) -> Reply | None:
        """The card of the one deal a message names, when beside what cannot be done it asks that deal's amount,
        close date, stage or next step; None otherwise."""
        if "get_deal" not in self.runner.specs or not any(DEAL_FIELDS_ASKED.search(s) for s in sentences_of(message)):
            return None
        named = [m for m in link(visible, message) if m.entity.type != "user"]
        deal = self._one_deal_named(message, named, visible)
        if deal is None:
            by_product = deals_by_product(visible, message, named)
            deal = by_product[0].entity.id if len(by_product) == 1 else None
        accounts = [m.entity.id for m in named if m.entity.type == "account"]
        if deal is None and len(accounts) == 1 and len(only := visible.deals_of(accounts[0])) == 1:
            deal = only[0].id  # "the Zorin Tech deal": the one deal there, open or closed
        if deal is None:
            return None
        return self._run(turn, "get_deal", {"deal_id": deal}, self._slots(turn, visible, message), visible)

    def _answer_without(self, turn: Turn, message: str, words: list[str], unknowable: bool) -> Reply | None:
        """The message read once more with the untracked words taken out, when what is left still asks for
        something a record holds ("what did he tell me at dinner, and what stage is the pilot at?"); None when
        nothing of that kind is left or it finds no answer."""
        if turn.state.get(DECLINING):
            return None
        clean = [sentence for sentence in sentences_of(message) if not _asks_untracked(sentence, words)]
        left = message.lower().replace("\u2019", "'")
        for word in sorted(words, key=len, reverse=True):
            left = re.sub(re.escape(word.lower()), " ", left)
        left = UNKNOWABLE.sub(" ", NOT_HELD.sub(" ", left))
        beside = BESIDE_THE_UNTRACKED.search(left)
        asked_beside = beside is not None and RECORD_ASK.search(left[beside.end() :])
        if not asked_beside and not any(RECORD_ASK.search(s) and ASKS_FOR.search(s) for s in clean):
            return None  # "what commission will I earn on my pipeline?" asks nothing apart from the commission
        if EACH_REP.search(message.lower()) and not GROUP_CARRIED.search(left):
            left = _per_rep(left)
        state = {**turn.state, DECLINING: True}
        reply = self.reply(Turn(turn.deps, left, state, turn.history))
        state.pop(DECLINING, None)
        return _after_declining(turn, state, reply, words, unknowable)

    def _answer_the_rest(
        self,
        turn: Turn,
        visible: Visible,
        message: str,
        words: list[str],
        unknowable: bool = False,
        carrying: bool = False,
    ) -> Reply | None:
        """ "What's the margin on the Hooli deal, and what's its amount?": the asks that hold nothing untracked are
        answered as a message of their own (records and people named only beside the untracked part are carried
        over), after saying plainly what was left out; None when nothing answerable is left or it finds no answer,
        and with ``carrying`` also when nothing needs carrying over."""
        if turn.state.get(DECLINING):
            return None
        sentences = [FALLBACK_CLAUSE.sub("", s) for s in sentences_of(message)]
        cues = (QUESTION_CUE, NEED, PLEASE, INDIRECT_ASK)
        asked = [
            s for s in sentences if s.endswith("?") or any(cue.search(s) for cue in cues) or ADDED_ASK.match(s)
        ] or sentences  # "… the PO number on it? and its amount and close date"
        split = [piece for sentence in asked for piece in _pieces(sentence)]
        pieces = [piece for piece, _ in split]
        untracked = [piece for piece, spanned in split if spanned or _asks_untracked(piece, words)]
        untracked += [
            p
            for p, after in zip(pieces[1:], pieces, strict=False)
            if (BARE_WH.match(p) or OR_MORE.match(p)) and after in untracked  # "… opened the envelope, or signed it"
        ]
        untracked += [p for p in pieces if WHAT_IS_IT.match(p) and len(p.split()) <= 4]  # "… PO number. What is it?"
        kept = [p.strip(" ?.!") for p in pieces if p not in untracked]
        kept = [p for p in kept if len(p.split()) >= 2]
        if grammar.a_gift(message):  # "… her birthday? I'd like to send something to her": no email asked
            kept = [p for p in kept if not grammar.DRAFT_RULE.search(p)]
        if not kept or len(kept) == len(pieces):
            return None
        rest = " and ".join(kept)
        today = turn.deps.clock.today()
        in_rest = {(m.entity.type, m.entity.id) for m in link(visible, rest)}
        beside = [m for m in link(visible, message) if (m.entity.type, m.entity.id) not in in_rest]
        beside += deals_by_product(visible, message, beside)
        named_deals = [m for m in beside if m.entity.type == "deal"]
        if len(named_deals) > 1:  # "the bigger Ironclad Storage - Expansion deal", "the 43k one"
            narrowed = narrow_deals(visible, message, [m.entity for m in named_deals])
            named_deals = [m for m in named_deals if m.entity in narrowed] if len(narrowed) == 1 else named_deals
        records = named_deals + [m for m in beside if m.entity.type == "account"]
        if (
            records
            and records[0].entity.type == "account"
            and (deal := _the_accounts_deal(visible, message, records[0]))
        ):
            records.insert(0, deal)  # "Sam's Weyland Mining deal … its stage and close date": that one open deal
        pointing = LEANS_ON_DECLINED.search(rest)
        named_first = pointing is not None and OWN_SUBJECT.search(rest[: pointing.start()]) is not None
        instead = _offers_a_fallback(message)  # "if you can't do hours, give me …"
        leans = (pointing and not named_first) or instead
        if leans and not records and not find_periods(Reader(rest.lower()), today):
            # "… won this quarter? And what do those total?": the period goes with "those"
            rest = " ".join([rest, *_period_phrases(" ".join(untracked), today)])
        if THEIR.search(rest) and not EACH_REP.search(rest) and any(EACH_REP.search(p) for p in untracked):
            rest += " per rep"  # "each of my reps' % to quota? … just give me their closed won"
        group = next((m for p in untracked for m in [GROUP_CARRIED.search(p)] if m), None)
        if group and not GROUP_CARRIED.search(rest):
            rest += f" per {group[1]}"  # "two things per region: the NPS, and the closed-won we booked there"
        rest += "?"
        if carrying and not beside:
            return None
        state = dict(turn.state)
        focus = _focus_with(state, beside)
        one_deal_back = records and records[0].entity.type == "deal" and ONE_RECORD_BACK.search(rest)
        pointer = _the_deal(records[0].entity) if records else THE_DEAL
        fields_of_it = one_deal_back and RECORD_FIELDS.search(rest) and pointer.search(rest)  # "… of the renewal"
        if records and not in_rest and (not one_deal_back or fields_of_it):  # "… when did it close": in focus
            deal = records[0].entity
            called = f"deal #{deal.id}" if _has_twin(visible, deal) else f"the {deal.name} deal"
            rest = _the_deal(deal).sub(called, rest, count=1)
        accounts = [m for m in beside if m.entity.type == "account"]
        if accounts and not in_rest:
            rest = THE_ACCOUNT.sub(f"at {accounts[0].entity.name}", rest, count=1)  # "… on that account"
            if not (records and records[0].entity.type == "deal"):  # "my biggest deal there", no deal named
                rest = OVER_THERE.sub(f"at {accounts[0].entity.name}", rest, count=1)
        record = records[0] if records else None
        if record is not None and not in_rest and not link(visible, rest):
            if record.entity.type == "deal":  # "it" is the deal in focus already
                named = RECORD_FIELDS.search(rest) and not BACK_TO_DEAL.search(rest)
            else:  # "what have I won with them", not "I want to come in under them"
                named = RECORD_FIELDS.search(rest) or (THEIR.search(rest) and ASKS_FOR.search(rest))
                there = THERE.search(rest)
                if there:  # "… for Acme, and what open deals are there": at Acme
                    rest, named = f"{rest[: there.start()].rstrip()}?", True
            if named:
                where = "on" if record.entity.type == "deal" else "at"
                twin = record.entity.type == "deal" and _has_twin(visible, record.entity)
                called = f"deal #{record.entity.id}" if twin else record.entity.name
                rest = f"{rest.rstrip('?')} {where} {called}?"  # "… sign by December? And the amount?"
        people = [m for m in beside if m.entity.type == "user" and m.entity.id != turn.deps.principal.user_id]
        contacts = [m for m in beside if m.entity.type == "contact"]
        at_account = [c for c in contacts if c.entity.account_id in {a.entity.id for a in accounts}]
        namesakes = len({c.entity.name for c in contacts}) == 1 and len(at_account) == 1 and len(contacts) > 1
        if namesakes:  # "Ahmed Muller, the CEO at Falcon Security": the one of that name there
            contacts = at_account
        if not people and len(contacts) == 1:  # "When is her birthday? Also, can you confirm her job title"
            rest = HER.sub(f"{contacts[0].entity.name}'s", person_in_place(rest, contacts[0].entity.name))
            if namesakes:
                rest = f"{rest.rstrip('?')} at {accounts[0].entity.name}?"
        if len(people) >= 2 and THEIR.search(rest):  # "is Jack on a higher OTE than Nina? … each of them closed"
            rest = f"{rest.rstrip('?')} for {' and '.join(p.entity.name.split()[0] for p in people)}?"
        if len(people) == 1:
            first = people[0].entity.name.split()[0]
            named = person_in_place(rest, first)
            rest = named if named != rest else f"{rest.rstrip('?')} for {first}?"
        state["focus"], state[DECLINING] = focus, True
        reply = self.reply(Turn(turn.deps, rest, state, turn.history))
        state.pop(DECLINING, None)
        return _after_declining(turn, state, reply, words, unknowable)

    def _read_alone(self, turn: Turn, visible: Visible, question: str) -> Understood:
        """One question of a message read on its own, without the conversation before it."""
        return self.queries.understand(question, visible, Turn(turn.deps, question, {}, turn.history))

    def _ranks_groups(self, turn: Turn, visible: Visible, question: str, earlier: Reply) -> bool:
        """Whether a question ranks the groups of the answer before it ("… how many dollars did each lead source
        account for, and which source cost us the most?"): then it reads that answer, not the whole CRM."""
        last = earlier.runs[-1] if earlier.runs else None
        grouped = last.args.get("group_by") if last is not None and last.name == "query" else None
        if grouped is None or not self.queries.available():
            return False
        reading = self._read_alone(turn, visible, question).reading
        ranked = reading.parts is not None and (reading.parts.superlative or reading.parts.count_rank)
        return reading.query.group_by == grouped and bool(ranked)

    def _unheld_beside_a_card(self, turn: Turn, visible: Visible, question: str, reply: Reply) -> list[str]:
        """A question answered only with a record's card although its words ask for something no record holds
        ("did Lumen ever ask for a refund on the renewal?"): the words to decline it by."""
        if not self.queries.available() or not reply.runs or not _says_little(reply):
            return []
        unknown = self._unknown_words(self._read_alone(turn, visible, question), about_records=True)
        return unknown if len(" ".join(unknown).split()) >= 2 else []

    def _unknown_words(self, understood: Understood, about_records: bool = False) -> list[str]:
        """Words of a question that nothing here knows (not a filler, not in any example); for a question about
        a named record only when ``about_records``."""
        reading = understood.reading
        names_record = reading.record is not None or (reading.parts is not None and reading.parts.mentions)
        if names_record and not about_records:
            return []
        return [
            phrase for phrase in reading.leftovers if any(w.lower() not in self.known_words for w in phrase.split())
        ]

    def _plan(self, turn: Turn, tool: str, base_args: dict[str, Any], slots: Slots, visible: Visible) -> Reply:
        spec = self.runner.specs[tool]
        if "deal_id" in spec.input_model.model_fields and not of_type(slots.mentions, "deal"):
            accounts = [m.entity.id for m in of_type(slots.mentions, "account")]
            ranked = ranked_deal(slots.message, turn.deps.session, turn.deps.principal, accounts)
            if ranked is not None:
                slots.mentions = [*slots.mentions, ranked]
        planned = build_args(tool, spec.input_model, slots, visible, turn.state)
        if isinstance(planned, Missing):
            return self._not_found(planned.kind, planned.name)
        unseen = self._unseen_name(tool, planned, slots, visible)
        if unseen is not None:
            needs_deal = isinstance(planned, Clarify) and planned.slot == "deal_id"
            return self._not_found("deal" if needs_deal or " - " in unseen else _record_kind(slots.message), unseen)
        if isinstance(planned, Clarify):
            turn.state["clarify"] = Pending(
                tool=tool,
                message=slots.message,
                base_args=_jsonable(base_args),
                slot=planned.slot,
                candidates=[{"type": c.type, "id": c.id, "name": c.name} for c in planned.candidates],
            ).model_dump()
            return Reply(answer=self._question(turn, planned))
        window_given = WINDOW_KEYS & base_args.keys()  # a window read already (past days for past mentions) stands
        planned = {k: v for k, v in planned.items() if v is not None and not (window_given and k in WINDOW_KEYS)}
        args = {**base_args, **planned}
        return self._run(turn, tool, args, slots, visible)

    def _unseen_in_set(self, understood: Understood, slots: Slots, visible: Visible, message: str) -> str | None:
        """A capitalised record name that links to nothing the person can see and that the query left unused, in a
        message that names no record it can see ("spend with AWS" beside Krusty Foods names a vendor), after a
        preposition that places records ("deals with Hooli"): the set it would answer is not the one asked about."""
        unknown = {word.lower() for phrase in understood.reading.leftovers for word in phrase.split()}
        if not unknown or any(m.entity.type in ("account", "deal", "contact", "lead") for m in slots.mentions):
            return None
        plain = understood.normalized.text if understood.normalized.shouted else message
        name = grammar.unlinked_name(plain, slots.mentions, visible.catalog.vocabulary, loose=False)
        if name is None or name in PLACEHOLDERS.values():
            return None
        words = {word.lower().strip(".,'’") for word in name.split() if word not in ("-", "&")}
        placed = re.search(rf"\b(?:with|at|from|for|on|about|to|of)\s+(?:the\s+)?{re.escape(name)}\b", plain, re.I)
        ends = placed is not None and NAME_ENDS.match(plain[placed.end() :]) is not None  # not "the SaaStr booth"
        owned = re.search(rf"\b(?:my|our|his|her|their)\s+{re.escape(name)}\s+(?:{PRODUCT_NOUNS})\b", plain, re.I)
        ends = ends or owned is not None  # "my Pemberton Logistics renewal"
        first_unknown = owned is not None and name.split()[0].lower().strip(".,'’") in unknown
        return name if words and (words <= unknown or first_unknown) and ends else None

    def _someone_not_on_file(self, turn: Turn, visible: Visible, slots: Slots) -> Reply | None:
        """'Brandon Whitfield's direct line at Oscorp' where no one of that name is on file there: said so, with the
        people who are."""
        stranger = self._stranger_at_account(turn.message, slots)
        if stranger is None or "find_contacts" not in self.runner.specs:
            return None
        name, account = stranger
        shown = self._run(turn, "find_contacts", {"account_id": account.id}, slots, visible)
        missing = self.renderer.text("not_found", kind="contact", record_name=name).split(". ")[0]
        people = shown.runs[0].result.contacts if shown.runs and shown.runs[0].result is not None else []
        named = "; ".join(f"{p.name}{f' ({p.title})' if p.title else ''}" for p in people)  # not their numbers
        have = f"The contacts I have at {account.name}: {named}."
        there = have if named else f"I have no contacts at {account.name}."
        shown.answer = f"{missing} at {account.name}. {there}"
        return shown

    def _stranger_at_account(self, message: str, slots: Slots) -> tuple[str, Entity] | None:
        """A person's details asked at an account ("Brandon Whitfield's direct line over at Oscorp") where no contact,
        lead or user of that name is in sight: (the name, the account)."""
        accounts = of_type(slots.mentions, "account")
        if len(accounts) != 1 or any(m.entity.type in ("contact", "lead", "user", "deal") for m in slots.mentions):
            return None
        asked = PERSON_DETAIL_ASKED.search(message)
        if asked is None:
            return None
        name = asked["name"] or asked["other"]
        words = [word.lower() for word in name.split()]
        linked = {word for m in slots.mentions for word in m.text.lower().split()}
        if any(word in self.known_words or word in linked for word in words):
            return None
        return name.title() if name.islower() else name, accounts[0].entity

    def _unknown_owner(self, understood: Understood, slots: Slots) -> str | None:
        """A name said as an owner ("priya's pipeline") that the query left unused, is no word any example knows,
        and names no one the message links to: whose records to count is not known, so none are counted."""
        if any(m.entity.type == "user" for m in slots.mentions):
            return None
        for phrase in understood.reading.leftovers:
            for word in phrase.lower().split():
                owner = OWNER_SAID.fullmatch(word)
                if owner is not None and owner[1] not in self.known_words:
                    return owner[1].title()
        return None

    def _unseen_name(self, tool: str, planned: dict[str, Any] | Clarify, slots: Slots, visible: Visible) -> str | None:
        """A record name in the message that links to nothing visible, where the tool needed that record."""
        if isinstance(planned, Clarify):
            if planned.candidates or planned.slot not in RECORD_SLOTS:
                return None
            return grammar.unlinked_name(slots.message, slots.mentions, visible.catalog.vocabulary)
        if tool in NAMED_RECORD_TOOLS and not any(planned.get(f) for f in RECORD_SLOTS):
            subject = TOPIC.sub("", slots.message)
            return grammar.unlinked_name(subject, slots.mentions, visible.catalog.vocabulary, loose=False)
        return None

    def _not_found(self, kind: str, name: str) -> Reply:
        return Reply(answer=self.renderer.text("not_found", kind=kind, record_name=name))

    def _question(self, turn: Turn, clarify: Clarify) -> str:
        if not clarify.candidates:
            return self.renderer.text("clarify", question=clarify.question)
        details: dict[int, dict[str, Any]] = {}
        if clarify.label == "deal":
            ids = [c.id for c in clarify.candidates]
            query = (
                select(Deal.id, Stage.name, Deal.amount, Deal.close_date)
                .join(Stage, Stage.id == Deal.stage_id)
                .where(Deal.id.in_(ids), scope_for(turn.deps.principal, Deal))
            )
            details = {
                i: {"stage": stage, "amount": amount, "close_date": close}
                for i, stage, amount, close in turn.deps.session.execute(query)
            }
        candidates = [{"id": c.id, "name": c.name, **details.get(c.id, {})} for c in clarify.candidates]
        return self.renderer.text("clarify_records", label=clarify.label or "one", candidates=candidates)

    def _resume(self, turn: Turn, pending: Pending, slots: Slots, visible: Visible) -> Reply | None:
        """The reply to a clarifying question: the original request again, with the choice or the missing piece."""
        if pending.tool not in self.runner.specs:
            return None
        candidates = [Entity(c["type"], int(c["id"]), c["name"]) for c in pending.candidates]
        if candidates:
            chosen = pick(candidates, turn.message)
            if chosen is None:
                return None
            kept = [m for m in link(visible, pending.message) if m.entity.type != chosen.type]
            mentions = [*kept, Mention(chosen, chosen.name.lower(), 100.0)]
            return self._plan(
                turn, pending.tool, pending.base_args, self._slots(turn, visible, pending.message, mentions), visible
            )
        if grammar.unsupported(turn.message) or grammar.rule_intent(turn.message):
            return None
        combined = reply_completes(pending, turn.message, slots)
        if combined is None:
            return None
        mentions = link(visible, combined)
        return self._plan(
            turn, pending.tool, pending.base_args, self._slots(turn, visible, combined, mentions), visible
        )

    def _choose(
        self, message: str, slots: Slots, state: dict[str, Any], normalised: str
    ) -> tuple[str | None, dict[str, Any], bool]:
        """(tool, arguments carried over from the last turn, whether the classifier was unsure)"""
        ruled = grammar.rule_intent(message)
        if ruled == "find_contacts" and _deal_fields_too(message, slots) and "get_deal" in self.runner.specs:
            return "get_deal", {}, False  # "nimbus retail enterprise license - stage, amt and whos the contact?"
        if ruled in self.runner.specs:
            return ruled, {}, False
        known = {*self.runner.specs, *META, *SET_INTENTS}
        ranked = [s for s in self.classifier.rank(normalised) if s.intent in known]
        if grammar.is_question(message):
            ranked = [s for s in ranked if s.intent not in self.runner.specs or not self.runner.specs[s.intent].writes]
        top = ranked[0] if ranked else None
        last_tool = state.get("last_tool")
        if SAME_ASKED_AGAIN.match(message) and state.get("last_check") in self.runner.specs:
            last_tool = state["last_check"]
        follow_up = bool(FOLLOW_UP.match(message)) and last_tool in self.runner.specs and last_tool != "query"
        writes = top is not None and top.intent in self.runner.specs and self.runner.specs[top.intent].writes
        writes = writes and not (follow_up and SAME_ASKED_AGAIN.match(message))  # "same check on his Tyrell deal"
        if follow_up and not writes and (top is None or top.intent not in META):
            previous = dict(state.get("last_args") or {})
            for key in ("close_from", "close_to", "start", "end", "period", "since"):
                if slots.period is not None:
                    previous.pop(key, None)
            return last_tool, previous, False
        if top is None or top.score < THRESHOLD:
            return None, {}, True
        if top.intent in META:
            return None, {}, False
        return self._prefer(message, ranked, slots), {}, False

    def _prefer(self, message: str, ranked: list[Any], slots: Slots) -> str:
        """Grammar the embedding misses: one deal (singular) is get_deal; an account named without a deal is
        its overview; the history of a deal is its activities; "who ..." asks about people."""
        top = ranked[0]
        if top.intent == "find_contacts" and _deal_fields_too(message, slots) and "get_deal" in self.runner.specs:
            return "get_deal"
        accounts_deals = of_type(slots.mentions, "account") and not of_type(slots.mentions, "deal")
        if top.intent in ("get_deal", "find_deals") and accounts_deals and THEIR_DEALS.search(message):
            return "find_deals"  # "who's the primary contact on my soylent green energy deals": each of them
        close = [s.intent for s in ranked[1:4] if top.score - s.score < 0.08]
        singular = SINGULAR_DEAL.search(message) and not PLURAL_DEALS.search(message)
        names_deal = bool(of_type(slots.mentions, "deal") or DEAL_ID.search(message) or SINGULAR_DEAL.search(message))
        if top.intent == "find_deals" and singular and "get_deal" in close:
            return "get_deal"
        fields_asked = RECORD_FIELDS.search(message) is not None  # "what next step have I got logged on it"
        if (
            top.intent == "get_deal"
            and HISTORY.search(message)
            and not fields_asked
            and "list_activities" in self.runner.specs
        ):
            return "list_activities"
        if top.intent == "list_activities" and fields_asked and names_deal and "get_deal" in self.runner.specs:
            return "get_deal"  # "what next step and close date have I got logged on my Sterling Cooper renewal?"
        if top.intent == "get_deal" and not names_deal and of_type(slots.mentions, "account"):
            return "get_account_overview"
        deals_named = of_type(slots.mentions, "deal")
        their_accounts = {m.entity.account_id for m in deals_named}
        other_accounts = [m for m in of_type(slots.mentions, "account") if m.entity.id not in their_accounts]
        deal_only = deals_named and not other_accounts  # "the northstar platform": the account only names the deal
        if top.intent == "get_account_overview" and deal_only and "get_deal" in self.runner.specs:
            return "get_deal"
        if top.intent == "get_deal" and not names_deal and "get_account_overview" in close:
            return "get_account_overview"
        if (
            top.intent == "get_call_summary"
            and re.search(r"\b(calls|recordings)\b", message, re.I)
            and ("find_calls" in [s.intent for s in ranked[1:4]])
        ):
            return "find_calls"
        if top.intent == "find_deals" and re.match(r"\s*who\b", message, re.I) and close:
            return close[0]
        return top.intent

    def _run(self, turn: Turn, tool: str, args: dict[str, Any], slots: Slots, visible: Visible) -> Reply:
        run = self.runner.run(turn.deps, tool, args)
        run.args = _jsonable(run.args)
        fallback = FALLBACKS.get(tool)
        if run.error is not None and fallback in self.runner.specs:
            planned = build_args(fallback, self.runner.specs[fallback].input_model, slots, visible, turn.state)
            if isinstance(planned, dict):
                return self._run(turn, fallback, planned, slots, visible)
        if run.result is not None and run.proposal is None:
            turn.state["last_tool"] = tool
            if tool in CHECKS:
                turn.state["last_check"] = tool  # "same check on his Tyrell deal", after a note search beside it
            turn.state["last_args"] = run.args
        self._focus(turn.state, run)
        return Reply(answer=self.renderer.run(run), runs=[run], needs_grounding=True)

    def _focus(self, state: dict[str, Any], run: ToolRun) -> None:
        focus = dict(state.get("focus") or {})
        refs = list(getattr(run.result, "records", None) or [])
        for kind in ("deal", "account", "contact"):
            if f"{kind}_id" in run.args and run.args[f"{kind}_id"] is not None:
                ref = next((r for r in refs if r.type == kind and r.id == run.args[f"{kind}_id"]), None)
                focus[kind] = {"id": run.args[f"{kind}_id"], "name": ref.name if ref else ""}
                continue
            of_kind = [r for r in refs if r.type == kind]
            if len(of_kind) == 1:
                focus[kind] = {"id": of_kind[0].id, "name": of_kind[0].name}
        deals = list(dict.fromkeys(r.id for r in refs if r.type == "deal"))
        if len(deals) > 1:
            state[LISTED_DEALS] = deals[:LISTED_KEPT]  # "why is the first one at risk?" after a list of risky deals
        elif deals:
            state.pop(LISTED_DEALS, None)
        state["focus"] = focus
