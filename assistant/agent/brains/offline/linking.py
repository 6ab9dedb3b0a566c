"""Linking names in a message to records the person may see: accounts, deals, contacts, teammates.

Names come from the access-scoped queries (assistant.crm.access), so a record outside someone's
scope can never be linked, suggested or listed as a candidate. Aliases (an account's distinctive
first word or, for a longer name, its first two words, a deal name without its dash, a contact's surname, a
teammate's first name) are matched exactly on word n-grams, then fuzzily (rapidfuzz) for typos.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from assistant.agent.brains.offline.slots import amounts_said
from assistant.agent.brains.offline.understanding.normalize import english
from assistant.crm.principal import Principal

STOPWORD_TEXT = (
    "a an and any are as at be by can deal deals do for from give going got has have how i in is it its "
    "last log me my new next of on or our show the their them this to up update us was we what when "
    "where which who with would you your all account accounts contact contacts call note email task team "
    "week month year quarter open won lost closed stage amount pipeline lead leads activity activities "
    "about tell status summary set move mark create draft follow followup follow-up today tomorrow "
    "meeting since over under more than ones one "
)
STOPWORDS = frozenset(STOPWORD_TEXT.split())
SUFFIXES = {"corporation", "corp", "inc", "industries", "labs", "group", "company", "systems", "ltd", "llc"}
FUZZY_CUTOFF = 88
WORD = re.compile(r"[a-z0-9][a-z0-9'&.-]*")


@dataclass(frozen=True)
class Entity:
    type: str
    """account, deal, contact, user"""
    id: int
    name: str
    account_id: int | None = None
    is_open: bool = True
    stage: str | None = None
    """a deal's stage: tells apart two deals of one name ("the Umbrella Health platform deal in Qualification")"""
    is_won: bool = False
    amount: float | None = None
    """a deal's amount: tells apart two deals of one name ("the 43k one")"""
    owner_id: int | None = None
    """a deal's owner: tells apart two deals of one name ("Sam's Vandelay deal")"""


@dataclass
class Mention:
    entity: Entity
    text: str
    score: float


@dataclass
class Catalog:
    """Every linkable record and its aliases, built once and shared by everyone (filtered per person)."""

    aliases: dict[str, list[Entity]] = field(default_factory=dict)
    alias_keys: list[str] = field(default_factory=list)
    keys_by_length: dict[int, list[str]] = field(default_factory=dict)
    deals_by_account: dict[int, list[Entity]] = field(default_factory=dict)
    contacts_by_account: dict[int, list[Entity]] = field(default_factory=dict)
    by_key: dict[tuple[str, int], Entity] = field(default_factory=dict)
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    teams: dict[str, int] = field(default_factory=dict)
    """lower-case team name -> team id"""
    managed_teams: dict[int, int] = field(default_factory=dict)
    """a team manager's user id -> the team they manage ("Maya's team")"""
    stages: list[str] = field(default_factory=list)
    """every pipeline's stage names, in pipeline order"""
    sources: list[str] = field(default_factory=list)
    """lead sources of deals and leads"""
    lead_statuses: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    """what deals are for, from their names ("Pilot" of "Hooli - Pilot"), when several deals share it"""
    name_words: frozenset[str] = frozenset()
    """lower-case words of record and people names: never spelling-corrected"""
    vocabulary: frozenset[str] = frozenset()
    """lower-case words of industries, regions, lead sources, team, pipeline and stage names: not record names"""
    loaded_at: float = 0.0


@dataclass
class Visible:
    """The catalog as one person sees it: only records their access scope returns, and every colleague's name."""

    catalog: Catalog
    ids: dict[str, set[int]] | None
    """record ids per type this person may see; None means everything (admin)"""
    loaded_at: float = 0.0
    principal: Principal | None = None

    def sees(self, entity: Entity) -> bool:
        """People are always known by name (their figures stay behind the access layer); records only in scope."""
        return self.ids is None or entity.type == "user" or entity.id in self.ids.get(entity.type, set())

    def lookup(self, alias: str) -> list[Entity]:
        return [e for e in self.catalog.aliases.get(alias, []) if self.sees(e)]

    def deals_of(self, account_id: int) -> list[Entity]:
        return [e for e in self.catalog.deals_by_account.get(account_id, []) if self.sees(e)]

    def contacts_of(self, account_id: int) -> list[Entity]:
        return [e for e in self.catalog.contacts_by_account.get(account_id, []) if self.sees(e)]

    def find(self, kind: str, record_id: int) -> Entity | None:
        if self.ids is not None and kind != "user" and record_id not in self.ids.get(kind, set()):
            return None
        return self.catalog.by_key.get((kind, record_id))


def words_of(text: str) -> list[str]:
    """Lower-case words; a full stop ending a sentence is not part of its last word ("against Omar's.")."""
    return [
        w.rstrip(".") if w.endswith(".") and w.count(".") == 1 else w
        for w in WORD.findall(text.lower().replace("’", "'"))
    ]


@lru_cache(maxsize=200_000)
def aliases_of(kind: str, full_name: str) -> frozenset[str]:
    """Aliases depend on the kind and the name only: kept across catalog reloads, which then cost the query."""
    name = " ".join(words_of(full_name))
    found = {name}
    words = name.split()
    if kind == "account":
        core = [w for w in words if w not in SUFFIXES]
        if core:
            found.add(" ".join(core))
        if words and len(words[0]) >= 4 and words[0] not in STOPWORDS:
            found.add(words[0])
        if len(core) >= 3 and not set(core[:2]) <= STOPWORDS:
            found.add(" ".join(core[:2]))  # "los pollos" of Los Pollos Hermanos, "blue sun" of Blue Sun Energy
    elif kind == "deal":
        found.add(" ".join(w for w in words if w != "-"))
    elif kind in ("contact", "user") and len(words) >= 2:
        if len(words[-1]) >= 4 and kind == "contact":
            found.add(words[-1])
        if kind == "user":
            found.add(words[0])
    return frozenset(a for a in found if a and a not in STOPWORDS)


def fuzzy_candidates(catalog: Catalog, phrase: str) -> list[str]:
    """Alias keys whose length allows fuzz.ratio to reach FUZZY_CUTOFF against `phrase` (ratio is at most
    200 * shorter / (both lengths), so keys of very different length cannot match)."""
    size = len(phrase)
    return [
        key
        for length, keys in catalog.keys_by_length.items()
        if 200 * min(length, size) >= FUZZY_CUTOFF * (length + size)
        for key in keys
    ]


MISSPELT_LENGTH = 7
"""a one-word name this long, typed with two letters wrong ("vandaley"), is still that name"""


def _misspelt_name(visible: Visible, word: str, keys: list[str]) -> list[tuple[str, float]]:
    """One-word aliases within two edits of a long word no dictionary knows, starting with the same letter."""
    if len(word) < MISSPELT_LENGTH or word in english() or word in STOPWORDS:
        return []
    near = process.extract(word, [k for k in keys if " " not in k and k[:1] == word[:1]], scorer=OSA.distance,
                           score_cutoff=2, limit=5)  # fmt: skip
    closest = min((distance for _, distance, _ in near), default=None)
    return [
        (alias, float(FUZZY_CUTOFF)) for alias, distance, _ in near if distance == closest and visible.lookup(alias)
    ]


def link(visible: Visible, message: str, max_words: int = 6) -> list[Mention]:
    """Mentions in `message`, longest exact alias first; words inside a match are not matched again."""
    words = _glued(words_of(message), visible.catalog.name_words)
    used = [False] * len(words)
    mentions: list[Mention] = []
    lead_said = LEAD_WORD.search(message) is not None
    for size in range(min(max_words, len(words)), 0, -1):
        for start in range(0, len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = " ".join(words[start : start + size])
            found = _leads_apart(visible.lookup(phrase) or visible.lookup(phrase.removesuffix("'s")), lead_said)
            if found and _out_of_sight_longer(visible, words, start, size):
                continue  # "the Soylent Foods deal" (someone else's) is not "Soylent" (Soylent Green Energy)
            if found and size == 1 and _another_company(message, phrase, found):
                used[start] = True  # "Wayne Enterprises" is not Wayne Logistics, nor a misspelling of it
                continue
            if found:
                for index in range(start, start + size):
                    used[index] = True
                mentions.extend(Mention(entity, phrase, 100.0) for entity in found)
                mentions.extend(_first_name_there(visible, words, used, start, size, found))
    for size in (3, 2, 1):
        for start in range(0, len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = " ".join(words[start : start + size])
            if len(phrase) < 5 or all(w in STOPWORDS or w.isdigit() for w in phrase.split()):
                continue
            hidden = visible.catalog.aliases.get(phrase) and not visible.lookup(phrase)
            if hidden or _out_of_sight_longer(visible, words, start, size):
                continue
            keys = fuzzy_candidates(visible.catalog, phrase)
            best = [
                (alias, score)
                for alias, score, _ in process.extract(
                    phrase, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=25
                )
                if visible.lookup(alias)
            ]
            if not best and size == 1:
                best = _misspelt_name(visible, phrase, keys)
            if not best:
                continue
            top = best[0][1]
            for alias, score in best:
                if score >= top - 3:
                    found = _leads_apart(visible.lookup(alias), lead_said)
                    mentions.extend(Mention(entity, phrase, score) for entity in found)
            for index in range(start, start + size):
                used[index] = True
    return mentions


def _glued(words: list[str], names: frozenset[str]) -> list[str]:
    """'ever green' -> 'evergreen': a name word typed as two words."""
    glued: list[str] = []
    for word in words:
        joined = glued[-1] + word if glued else ""
        if joined in names and glued[-1] not in names and len(joined) >= 6:
            glued[-1] = joined
        else:
            glued.append(word)
    return glued


COMPANY_WORDS = frozenset(
    {
        "enterprises", "industries", "holdings", "corp", "corporation", "inc", "ltd", "llc", "labs", "systems",
        "partners", "solutions", "technologies", "capital", "foods", "bank", "insurance", "logistics", "pharma",
        "robotics", "airlines", "motors", "dairy", "brands", "ventures", "consulting", "trading", "networks",
    }
)  # fmt: skip
"""words that end a company's name: one said after an account's first word names some other company"""


def _another_company(message: str, word: str, found: list[Entity]) -> bool:
    """Whether the account word is followed by a company word its name does not have ("Wayne Enterprises")."""
    said = re.search(rf"\b{re.escape(word)}\s+([a-z]+)\b", message, re.I)
    if said is None or said[1].lower() not in COMPANY_WORDS:
        return False
    return all(e.type == "account" and said[1].lower() not in e.name.lower().split() for e in found)


def _out_of_sight_longer(visible: Visible, words: list[str], start: int, size: int) -> bool:
    """Whether the words go on into a longer name of a record this person may not see: that record is meant,
    not the one they see whose name starts the same."""
    end = start + size
    for more in (2, 1):
        longer = " ".join(words[start : end + more]) if end + more <= len(words) else ""
        if longer and visible.catalog.aliases.get(longer) and not visible.lookup(longer):
            return True
    return False


LEAD_WORD = re.compile(r"\b(?:leads?|prospects?)\b", re.I)


def _leads_apart(found: list[Entity], lead_said: bool) -> list[Entity]:
    """A name shared by a lead and another record is the lead only when the message speaks of leads."""
    leads = [e for e in found if e.type == "lead"]
    others = [e for e in found if e.type != "lead"]
    if not leads or not others:
        return found
    return leads if lead_said else others


AT_WORDS = frozenset({"at", "from", "of", "over"})


def _first_name_there(
    visible: Visible, words: list[str], used: list[bool], start: int, size: int, found: list[Entity]
) -> list[Mention]:
    """ "diego @ oscorp", "Priya from Cogswell", "oscorp's diego": the one contact of that first name at the account
    named beside it."""
    accounts = [e for e in found if e.type == "account"]
    if len(accounts) != 1:
        return []
    before = start - 2 if start >= 2 and words[start - 1] in AT_WORDS else start - 1
    after = start + size if words[start + size - 1].endswith("'s") else -1
    for index in (before, after):
        if not 0 <= index < len(words) or used[index] or words[index] in STOPWORDS:
            continue
        people = [c for c in visible.contacts_of(accounts[0].id) if c.name.lower().split()[0] == words[index]]
        if len(people) == 1:
            used[index] = True
            return [Mention(people[0], words[index], 100.0)]
    return []


ADDRESSED = re.compile(
    r"\b(?:to|for|e-?mail|email to|reply to|write to|thank|thanks|ping|chase|nudge)\s+([a-z]{3,})\b", re.I
)


def addressed_contact(visible: Visible, message: str) -> Entity | None:
    """ "draft a follow-up to chloe about …": the one contact the person may see with that first name, when the
    message addresses someone by first name only."""
    for said in ADDRESSED.finditer(message):
        first = said[1].lower()
        if first in STOPWORDS:
            continue
        people = contacts_first_named(visible, first)
        if len(people) == 1:
            return people[0]
    return None


def contacts_first_named(visible: Visible, first: str) -> list[Entity]:
    """The contacts the person may see whose first name is ``first`` (lower-case)."""
    return [
        e for (kind, _), e in visible.catalog.by_key.items()
        if kind == "contact" and e.name.lower().split()[0] == first and visible.sees(e)
    ]  # fmt: skip


def of_type(mentions: list[Mention], kind: str) -> list[Mention]:
    seen: set[int] = set()
    result = []
    for mention in mentions:
        if mention.entity.type == kind and mention.entity.id not in seen:
            seen.add(mention.entity.id)
            result.append(mention)
    return result


SIZE_PICK = re.compile(
    r"\b(bigger|larger|biggest|largest|smaller|smallest)\b|\bthe (big|large|huge|small|little|tiny) (?:one|deal)\b"
)


def _about(amount: float, said: float) -> bool:
    return abs(amount - said) <= max(500.0, 0.02 * said)


def narrow_deals(visible: Visible, message: str, candidates: list[Entity]) -> list[Entity]:
    """Among candidate deals, those whose product words the message names; open deals when some are open."""
    owners = {m.entity.id for m in link(visible, message) if m.entity.type == "user"}
    owned = [deal for deal in candidates if deal.owner_id in owners]
    candidates = owned if owned and len(owned) < len(candidates) else candidates  # "Sam's Vandelay deal"
    words = set(words_of(message))
    scored = []
    for deal in candidates:
        product = [w for w in words_of(deal.name.split(" - ", 1)[-1]) if w not in STOPWORDS]
        scored.append((sum(w in words for w in product), deal))
    best = max((s for s, _ in scored), default=0)
    narrowed = pick_among(message, [d for s, d in scored if s == best] if best else candidates)
    said_closed = SAID_WON.search(message.lower())
    won_ones = [d for d in narrowed if d.is_won] if said_closed else []
    open_ones = won_ones or [d for d in narrowed if d.is_open] or narrowed  # "I closed the Virtucon pilot last week"
    superlative = SIZE_PICK.search(message.lower())
    most = superlative is not None and (superlative[1] or "").endswith("est")
    if len(open_ones) > 2 and most and all(d.amount for d in open_ones):
        pick = max if superlative[1] in ("biggest", "largest") else min  # "oscorp's biggest deal": of its open ones
        return [pick(open_ones, key=lambda d: d.amount or 0.0)]
    return pick_among(message, open_ones) if len(open_ones) == 2 and len(narrowed) > 2 else open_ones


SAID_WON = re.compile(
    r"\b(?:i|we|he|she|they|[a-z]+) (?:just |finally |already )?(?:closed|won|signed|landed|booked|got)\b"
    r"(?=[^.?!]{0,60}\b(?:last|this|yesterday|earlier|on|in|ago|already)\b)|"
    r"\b(?:that|which) (?:i|we|he|she|they|[a-z]+) (?:closed|won|signed|landed)\b|"
    r"\b(?:date|day|when) (?:it|they|that one) (?:was |were )?(?:closed|won|signed)\b"
)
"""'I closed the Virtucon pilot last week', 'the Expansion deal Omar won': the one already won, of those named so"""
THE_ONE_THAT = re.compile(
    r"\b(not )?(?:the|that) (?:one|deal)\s+(?:that\s+|which\s+)?(?:we\s+|i\s+|he\s+|she\s+|they\s+)?"
    r"(?:was\s+|were\s+|is\s+|already\s+|still\s+)*(won|lost|open)\b"
)


def _status_of(deal: Entity) -> str:
    return "open" if deal.is_open else "won" if deal.is_won else "lost"


def pick_among(message: str, deals: list[Entity]) -> list[Entity]:
    """Deals of one name told apart by what the message says of them: the stage, the amount ("the 43k one"), or
    "the bigger" / "the smaller" of two."""
    lowered = message.lower()
    said = amounts_said(lowered)
    sized = [d for d in deals if d.amount and any(_about(d.amount, value) for value in said)]
    if len(sized) == 1:
        return sized  # "the little 9.5k one, not the one in Negotiation"
    if len(deals) == 2 and (said_status := THE_ONE_THAT.search(lowered)):  # "the one we won, not the lost one"
        wanted = said_status[2]
        kept = [d for d in deals if _status_of(d) == wanted]
        if said_status[1]:  # "not the one that was lost"
            kept = [d for d in deals if _status_of(d) != wanted]
        if len(kept) == 1:
            return kept
    staged = [d for d in deals if d.stage and re.search(rf"\b{re.escape(d.stage.lower())}s?\b", lowered)]
    negated = [
        d for d in staged if re.search(rf"\bnot (?:the \w+ |the )?(?:in|at) {re.escape(d.stage.lower())}\b", lowered)
    ]
    if len(deals) == 2 and len(negated) == 1:
        return [d for d in deals if d is not negated[0]]
    narrowed = staged if len(staged) == 1 else deals
    if len(narrowed) == 2 and (size := SIZE_PICK.search(lowered)) and all(d.amount for d in narrowed):
        pick = (
            max if (size[1] or size[2]) in ("bigger", "larger", "biggest", "largest", "big", "large", "huge") else min
        )
        narrowed = [pick(narrowed, key=lambda d: d.amount or 0.0)]  # "the bigger Ironclad Storage - Expansion deal"
    return narrowed


DEAL_STATUS = {"open": (True, False), "won": (False, True), "lost": (False, False)}
"""(is open, is won) of a deal said to be open, won or lost"""


def _product_said(product: str, lowered: str, said: list[str]) -> bool:
    """Whether the message names the product, each long word allowed one slip ("platfrom", "expnsion")."""
    if product in lowered or product.replace("-", " ") in lowered.replace("-", " "):
        return True
    wanted = [part for word in words_of(product) for part in word.split("-") if part]
    heard = {part for word in said for part in word.split("-") if part}
    return bool(wanted) and all(any(w == s or _slipped(w, s) for s in heard) for w in wanted)


def _product_denied(product: str, lowered: str) -> bool:
    """Whether the message names the product only to set it aside ("not the add-on seats")."""
    said = re.escape(product).replace(r"\-", "[- ]").replace(r"\ ", " ")
    return re.search(rf"\b(?:not|rather than|instead of|other than) (?:the |that |our )?{said}\b", lowered) is not None


def _slipped(wanted: str, said: str) -> bool:
    """A product word said with one slip ("platfrom"), or two in a long word ("lisence" for "license")."""
    if len(wanted) < MISSPELT_PRODUCT:
        return False
    return OSA.distance(wanted, said) <= (2 if len(wanted) >= LONG_PRODUCT_WORD else 1)


MISSPELT_PRODUCT = 5
LONG_PRODUCT_WORD = 7


def deals_by_product(visible: Visible, message: str, mentions: list[Mention]) -> list[Mention]:
    """ "Nimbus Retail signs the Enterprise License": the one deal of a named account whose product the message
    names too."""
    lowered = message.lower()
    said = words_of(lowered)
    found: list[Mention] = []
    for mention in of_type(mentions, "account"):
        deals = [
            deal
            for deal in visible.deals_of(mention.entity.id)
            if " - " in deal.name and _product_said(deal.name.split(" - ", 1)[1].lower(), lowered, said)
        ]
        if len(deals) > 1 and (status := re.search(r"\b(won|lost|open)\b", lowered)):  # "that won Pilot"
            deals = [d for d in deals if (d.is_open, d.is_won) == DEAL_STATUS[status[1]]]
        if len(deals) > 1:  # "the renewal one, not the add-on seats"
            deals = [d for d in deals if not _product_denied(d.name.split(" - ", 1)[1].lower(), lowered)] or deals
        if len(deals) == 1:
            found.append(Mention(deals[0], deals[0].name, 100.0))
    return found
