"""Linking names in a message to records the person may see: accounts, deals, contacts, teammates.

Names come from the access-scoped queries (assistant.crm.access), so a record outside someone's
scope can never be linked, suggested or listed as a candidate. Aliases (an account's distinctive
first word, a deal name without its dash, a contact's surname, a teammate's first name) are matched
exactly on word n-grams, then fuzzily (rapidfuzz) for typos.
"""

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.models import Account, Contact, Deal, Lead, Pipeline, Stage, Team, User
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
CACHE_SECONDS = 300.0
SCOPE_SECONDS = 60.0
WORD = re.compile(r"[a-z0-9][a-z0-9'&.-]*")


@dataclass(frozen=True)
class Entity:
    type: str
    """account, deal, contact, user"""
    id: int
    name: str
    account_id: int | None = None
    is_open: bool = True


@dataclass
class Mention:
    entity: Entity
    text: str
    score: float


@dataclass
class Catalog:
    """Every linkable record and its aliases, built once and shared by everyone (filtered per person)."""

    entities: list[Entity] = field(default_factory=list)
    aliases: dict[str, list[Entity]] = field(default_factory=dict)
    alias_keys: list[str] = field(default_factory=list)
    keys_by_length: dict[int, list[str]] = field(default_factory=dict)
    deals_by_account: dict[int, list[Entity]] = field(default_factory=dict)
    by_key: dict[tuple[str, int], Entity] = field(default_factory=dict)
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    teams: dict[str, int] = field(default_factory=dict)
    """lower-case team name -> team id"""
    stages: list[str] = field(default_factory=list)
    """every pipeline's stage names, in pipeline order"""
    vocabulary: frozenset[str] = frozenset()
    """lower-case words of industries, regions, lead sources, team, pipeline and stage names: not record names"""
    loaded_at: float = 0.0


@dataclass
class Visible:
    """The catalog as one person sees it: only records their access scope returns."""

    catalog: Catalog
    ids: dict[str, set[int]] | None
    """record ids per type this person may see; None means everything (admin)"""
    loaded_at: float = 0.0

    def sees(self, entity: Entity) -> bool:
        return self.ids is None or entity.id in self.ids.get(entity.type, set())

    def lookup(self, alias: str) -> list[Entity]:
        return [e for e in self.catalog.aliases.get(alias, []) if self.sees(e)]

    def deals_of(self, account_id: int) -> list[Entity]:
        return [e for e in self.catalog.deals_by_account.get(account_id, []) if self.sees(e)]

    def find(self, kind: str, record_id: int) -> Entity | None:
        if self.ids is not None and record_id not in self.ids.get(kind, set()):
            return None
        return self.catalog.by_key.get((kind, record_id))


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def _aliases(entity: Entity) -> frozenset[str]:
    return _aliases_of(entity.type, entity.name)


@lru_cache(maxsize=200_000)
def _aliases_of(kind: str, full_name: str) -> frozenset[str]:
    """Aliases depend on the kind and the name only: kept across catalog reloads, which then cost the query."""
    name = " ".join(_words(full_name))
    found = {name}
    words = name.split()
    if kind == "account":
        core = [w for w in words if w not in SUFFIXES]
        if core:
            found.add(" ".join(core))
        if words and len(words[0]) >= 4 and words[0] not in STOPWORDS:
            found.add(words[0])
    elif kind == "deal":
        found.add(" ".join(w for w in words if w != "-"))
    elif kind in ("contact", "user") and len(words) >= 2:
        if len(words[-1]) >= 4 and kind == "contact":
            found.add(words[-1])
        if kind == "user":
            found.add(words[0])
    return frozenset(a for a in found if a and a not in STOPWORDS)


class NameIndex:
    """Visible names per principal, cached briefly; `all_names` feeds the grounding check."""

    def __init__(self, cache_seconds: float = CACHE_SECONDS, scope_seconds: float = SCOPE_SECONDS) -> None:
        self.cache_seconds = cache_seconds
        self.scope_seconds = scope_seconds
        self._visible: dict[tuple[int, frozenset[int] | None], Visible] = {}
        self._catalog: Catalog | None = None
        self._all: tuple[float, list[str]] | None = None
        self._by_prefix: tuple[list[str], dict[str, list[tuple[int, str, str]]]] | None = None

    def invalidate(self) -> None:
        """Forget cached names (after a write that creates or renames records)."""
        self._visible.clear()
        self._catalog = None
        self._all = None
        self._by_prefix = None

    def warm(self, session: Session) -> None:
        """Load the catalog and the name list now, so the first message does not pay for them."""
        self.all_names(session)

    def all_names(self, session: Session) -> list[str]:
        """Every account, deal and contact name in the CRM (unscoped: used only to spot names in answers)."""
        catalog = self.catalog(session)
        if self._all is None or self._all[0] != catalog.loaded_at:
            names = {e.name for e in catalog.entities if e.type != "user" and len(e.name) >= 4}
            self._all = (catalog.loaded_at, sorted(names))
        return self._all[1]

    def names_in(self, session: Session, text: str) -> list[str]:
        """The names from `all_names` whose lower-case form occurs in `text` (case-insensitively), in that order.

        The same names a substring test of every name would find, looked up by their first four letters.
        """
        names = self.all_names(session)
        if self._by_prefix is None or self._by_prefix[0] is not names:
            buckets: dict[str, list[tuple[int, str, str]]] = {}
            for position, name in enumerate(names):
                key = name.lower()
                buckets.setdefault(key[:4], []).append((position, name, key))
            self._by_prefix = (names, buckets)
        buckets = self._by_prefix[1]
        lowered = text.lower()
        found: dict[int, str] = {}
        for start in range(len(lowered)):
            for position, name, key in buckets.get(lowered[start : start + 4], ()):
                if position not in found and lowered.startswith(key, start):
                    found[position] = name
        return [found[position] for position in sorted(found)]

    def catalog(self, session: Session) -> Catalog:
        if self._catalog is not None and time.monotonic() - self._catalog.loaded_at < self.cache_seconds:
            return self._catalog
        catalog = Catalog(loaded_at=time.monotonic())
        entities = catalog.entities
        entities.extend(Entity("account", i, n) for i, n in session.execute(select(Account.id, Account.name)))
        deal_rows = session.execute(
            select(Deal.id, Deal.name, Deal.account_id, Stage.is_closed).join(Stage, Stage.id == Deal.stage_id)
        )
        entities.extend(Entity("deal", i, n, a, not closed) for i, n, a, closed in deal_rows)
        contact_rows = session.execute(select(Contact.id, Contact.first_name, Contact.last_name, Contact.account_id))
        entities.extend(Entity("contact", i, f"{f} {la}".strip(), a) for i, f, la, a in contact_rows)
        entities.extend(Entity("user", i, n) for i, n in session.execute(select(User.id, User.name)))
        for entity in entities:
            catalog.by_key[(entity.type, entity.id)] = entity
            for alias in _aliases(entity):
                catalog.aliases.setdefault(alias, []).append(entity)
            if entity.type == "deal" and entity.account_id is not None:
                catalog.deals_by_account.setdefault(entity.account_id, []).append(entity)
        catalog.alias_keys = list(catalog.aliases)
        for key in catalog.alias_keys:
            catalog.keys_by_length.setdefault(len(key), []).append(key)
        catalog.industries = sorted(
            {i for i in session.scalars(select(Account.industry).distinct()) if i}, key=lambda v: (-len(v), v)
        )
        catalog.regions = sorted(
            {r for r in session.scalars(select(Account.region).distinct()) if r}, key=lambda v: (-len(v), v)
        )
        catalog.teams = {name.lower(): i for i, name in session.execute(select(Team.id, Team.name))}
        stage_rows = session.scalars(select(Stage.name).order_by(Stage.pipeline_id, Stage.position))
        catalog.stages = list(dict.fromkeys(stage_rows))
        labels = [*catalog.industries, *catalog.regions]
        for model in (Team, Pipeline, Stage):
            labels.extend(session.scalars(select(model.name).distinct()))  # type: ignore[attr-defined]
        labels.extend(v for v in session.scalars(select(Deal.lead_source).distinct()) if v)
        labels.extend(v for v in session.scalars(select(Lead.source).distinct()) if v)
        catalog.vocabulary = frozenset(w for label in labels for w in _words(label))
        self._catalog = catalog
        return catalog

    def visible(self, session: Session, principal: Principal) -> Visible:
        catalog = self.catalog(session)
        key = (principal.user_id, principal.visible_owner_ids)
        cached = self._visible.get(key)
        if (
            cached is not None
            and cached.catalog is catalog
            and time.monotonic() - cached.loaded_at < self.scope_seconds
        ):
            return cached
        ids: dict[str, set[int]] | None = None
        if principal.visible_owner_ids is not None:
            ids = {
                kind: set(session.scalars(select(model.id).where(scope_for(principal, model))))  # type: ignore[attr-defined]
                for kind, model in (("account", Account), ("deal", Deal), ("contact", Contact), ("user", User))
            }
        visible = Visible(catalog=catalog, ids=ids, loaded_at=time.monotonic())
        self._visible[key] = visible
        return visible


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


def link(visible: Visible, message: str, max_words: int = 6) -> list[Mention]:
    """Mentions in `message`, longest exact alias first; words inside a match are not matched again."""
    words = _words(message)
    used = [False] * len(words)
    mentions: list[Mention] = []
    for size in range(min(max_words, len(words)), 0, -1):
        for start in range(0, len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = " ".join(words[start : start + size])
            found = visible.lookup(phrase) or visible.lookup(phrase.removesuffix("'s"))
            if found:
                for index in range(start, start + size):
                    used[index] = True
                mentions.extend(Mention(entity, phrase, 100.0) for entity in found)
    for size in (3, 2, 1):
        for start in range(0, len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = " ".join(words[start : start + size])
            if len(phrase) < 5 or all(w in STOPWORDS or w.isdigit() for w in phrase.split()):
                continue
            keys = fuzzy_candidates(visible.catalog, phrase)
            best = [
                (alias, score)
                for alias, score, _ in process.extract(
                    phrase, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=25
                )
                if visible.lookup(alias)
            ]
            if not best:
                continue
            top = best[0][1]
            for alias, score in best:
                if score >= top - 3:
                    mentions.extend(Mention(entity, phrase, score) for entity in visible.lookup(alias))
            for index in range(start, start + size):
                used[index] = True
    return mentions


def of_type(mentions: list[Mention], kind: str) -> list[Mention]:
    seen: set[int] = set()
    result = []
    for mention in mentions:
        if mention.entity.type == kind and mention.entity.id not in seen:
            seen.add(mention.entity.id)
            result.append(mention)
    return result


def narrow_deals(visible: Visible, message: str, candidates: list[Entity]) -> list[Entity]:
    """Among candidate deals, those whose product words the message names; open deals when some are open."""
    words = set(_words(message))
    scored = []
    for deal in candidates:
        product = [w for w in _words(deal.name.split(" - ", 1)[-1]) if w not in STOPWORDS]
        scored.append((sum(w in words for w in product), deal))
    best = max((s for s, _ in scored), default=0)
    narrowed = [d for s, d in scored if s == best] if best else candidates
    open_ones = [d for d in narrowed if d.is_open]
    return open_ones or narrowed
