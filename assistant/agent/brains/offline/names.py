"""The name index: every record name the brain links, kept current across writes and worker processes.

The catalog is loaded once per process. Before each message the index reads the latest id of the
change log (assistant.crm.changes: one indexed read) and, when records were created, renamed,
reassigned or deleted since — through the API, chat, an import, Slack, email or another worker —
reloads just those records and patches the catalog and every cached per-person view.
"""

import time
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.agent.brains.offline.linking import Catalog, Entity, Visible, aliases_of, words_of
from assistant.crm.access import scope_for
from assistant.crm.changes import changes_since, latest_change
from assistant.crm.models import Account, Contact, Deal, Lead, Pipeline, Stage, Team, User
from assistant.crm.principal import Principal

NAMED = ("account", "deal", "contact", "lead", "user")
MODELS = {"account": Account, "deal": Deal, "contact": Contact, "lead": Lead, "user": User}
LABEL_KINDS = frozenset({"account", "deal", "lead", "stage", "pipeline", "team"})
FULL_RELOAD_SECONDS = 3600.0
SHARED_PRODUCT = 2
"""a deal-name suffix counts as a product when at least this many deals carry it"""
PATCH_LIMIT = 500
"""more changes than this since the last message: reload everything instead of patching"""


def _entities(session: Session, kind: str, ids: list[int] | None = None) -> list[Entity]:
    """The records of one kind in id order, so choices offered between same-named records never depend on the
    database's query plan."""
    if kind == "account":
        query = select(Account.id, Account.name)
        if ids is not None:
            query = query.where(Account.id.in_(ids))
        return [Entity("account", i, n) for i, n in session.execute(query.order_by(Account.id))]
    if kind == "deal":
        deals = select(
            Deal.id, Deal.name, Deal.account_id, Stage.is_closed, Stage.name, Stage.is_won, Deal.amount, Deal.owner_id
        ).join(Stage, Stage.id == Deal.stage_id)
        if ids is not None:
            deals = deals.where(Deal.id.in_(ids))
        rows = session.execute(deals.order_by(Deal.id))
        return [
            Entity("deal", i, n, a, not closed, stage, won, float(amount) if amount is not None else None, owner)
            for i, n, a, closed, stage, won, amount, owner in rows
        ]
    if kind == "contact":
        contacts = select(Contact.id, Contact.first_name, Contact.last_name, Contact.account_id)
        if ids is not None:
            contacts = contacts.where(Contact.id.in_(ids))
        rows = session.execute(contacts.order_by(Contact.id))
        return [Entity("contact", i, f"{f} {la}".strip(), a) for i, f, la, a in rows]
    if kind == "lead":
        leads = select(Lead.id, Lead.first_name, Lead.last_name)
        if ids is not None:
            leads = leads.where(Lead.id.in_(ids))
        return [Entity("lead", i, f"{f} {la}".strip()) for i, f, la in session.execute(leads.order_by(Lead.id))]
    users = select(User.id, User.name)
    if ids is not None:
        users = users.where(User.id.in_(ids))
    return [Entity("user", i, n) for i, n in session.execute(users.order_by(User.id))]


def _add(catalog: Catalog, entity: Entity) -> None:
    catalog.by_key[(entity.type, entity.id)] = entity
    for alias in aliases_of(entity.type, entity.name):
        found = catalog.aliases.get(alias)
        if found is None:
            catalog.aliases[alias] = found = []
            catalog.alias_keys.append(alias)
            catalog.keys_by_length.setdefault(len(alias), []).append(alias)
        found.append(entity)
    if entity.type == "deal" and entity.account_id is not None:
        catalog.deals_by_account.setdefault(entity.account_id, []).append(entity)
    if entity.type == "contact" and entity.account_id is not None:
        catalog.contacts_by_account.setdefault(entity.account_id, []).append(entity)


def _remove(catalog: Catalog, kind: str, record_id: int) -> None:
    old = catalog.by_key.pop((kind, record_id), None)
    if old is None:
        return
    for alias in aliases_of(old.type, old.name):
        found = [e for e in catalog.aliases.get(alias, []) if e is not old]
        if found:
            catalog.aliases[alias] = found
        elif alias in catalog.aliases:
            del catalog.aliases[alias]
            catalog.alias_keys.remove(alias)
            catalog.keys_by_length[len(alias)].remove(alias)
    by_account = {"deal": catalog.deals_by_account, "contact": catalog.contacts_by_account}.get(old.type)
    if by_account is not None and old.account_id is not None:
        by_account[old.account_id] = [e for e in by_account.get(old.account_id, []) if e is not old]


def _labels(session: Session, catalog: Catalog) -> None:
    """Industries, regions, teams, stages, lead sources and statuses: the CRM's own words."""
    catalog.industries = sorted(
        {i for i in session.scalars(select(Account.industry).distinct()) if i}, key=lambda v: (-len(v), v)
    )
    catalog.regions = sorted(
        {r for r in session.scalars(select(Account.region).distinct()) if r}, key=lambda v: (-len(v), v)
    )
    catalog.teams = {name.lower(): i for i, name in session.execute(select(Team.id, Team.name))}
    catalog.managed_teams = {
        manager: team for team, manager in session.execute(select(Team.id, Team.manager_id)) if manager is not None
    }
    stage_rows = session.scalars(select(Stage.name).order_by(Stage.pipeline_id, Stage.position))
    catalog.stages = list(dict.fromkeys(stage_rows))
    catalog.sources = sorted(
        {v for v in session.scalars(select(Deal.lead_source).distinct()) if v}
        | {v for v in session.scalars(select(Lead.source).distinct()) if v}
    )
    catalog.lead_statuses = sorted({v for v in session.scalars(select(Lead.status).distinct()) if v})
    suffixes = Counter(name.split(" - ", 1)[1].strip() for name in session.scalars(select(Deal.name)) if " - " in name)
    catalog.products = sorted((p for p, n in suffixes.items() if n >= SHARED_PRODUCT and p), key=lambda v: (-len(v), v))
    labels = [*catalog.industries, *catalog.regions, *catalog.sources]
    for model in (Team, Pipeline, Stage):
        labels.extend(session.scalars(select(model.name).distinct()))  # type: ignore[attr-defined]
    catalog.vocabulary = frozenset(w for label in labels for w in words_of(label))


def load_catalog(session: Session) -> Catalog:
    catalog = Catalog(loaded_at=time.monotonic())
    for kind in NAMED:
        for entity in _entities(session, kind):
            _add(catalog, entity)
    _labels(session, catalog)
    catalog.name_words = frozenset(word for key in catalog.alias_keys for word in key.split())
    return catalog


class NameIndex:
    """Record names per person (access-scoped), current as of the latest change; `all_names` feeds grounding."""

    def __init__(self) -> None:
        self._catalog: Catalog | None = None
        self._version = 0
        self._visible: dict[tuple[int, frozenset[int] | None], Visible] = {}
        self._all: tuple[float, list[str]] | None = None
        self._by_prefix: tuple[list[str], dict[str, list[tuple[int, str, str]]]] | None = None

    def warm(self, session: Session) -> None:
        """Load the catalog and the name list now, so the first message does not pay for them."""
        self.all_names(session)

    def catalog(self, session: Session) -> Catalog:
        version = latest_change(session)
        catalog = self._catalog
        stale = catalog is None or time.monotonic() - catalog.loaded_at > FULL_RELOAD_SECONDS
        if not stale and version != self._version:
            changed = changes_since(session, self._version)
            stale = len(changed) > PATCH_LIMIT or any(entity_id == 0 for _, entity_id in changed)
            if not stale:
                assert catalog is not None
                self._patch(session, catalog, changed)
        if stale:
            catalog = load_catalog(session)
            self._catalog = catalog
            self._visible.clear()
        self._version = version
        assert catalog is not None
        return catalog

    def _patch(self, session: Session, catalog: Catalog, changed: list[tuple[str, int]]) -> None:
        by_kind: dict[str, list[int]] = {}
        for kind, record_id in changed:
            by_kind.setdefault(kind, []).append(record_id)
        for kind in NAMED:
            ids = by_kind.get(kind)
            if not ids:
                continue
            for record_id in ids:
                _remove(catalog, kind, record_id)
            for entity in _entities(session, kind, ids):
                _add(catalog, entity)
        if LABEL_KINDS & by_kind.keys():
            _labels(session, catalog)
        catalog.name_words = catalog.name_words | frozenset(
            word for kind in NAMED for i in by_kind.get(kind, []) if (e := catalog.by_key.get((kind, i)))
            for word in words_of(e.name)
        )  # fmt: skip
        catalog.loaded_at = time.monotonic()
        for visible in self._visible.values():
            visible.catalog = catalog
            if visible.ids is not None:
                self._rescope(session, visible, [(k, i) for k, i in changed if k in NAMED])

    def _rescope(self, session: Session, visible: Visible, changed: Iterable[tuple[str, int]]) -> None:
        assert visible.ids is not None and visible.principal is not None
        for kind, record_id in changed:
            model = MODELS[kind]
            seen = session.scalar(
                select(model.id).where(model.id == record_id, scope_for(visible.principal, model))  # type: ignore[attr-defined]
            )
            if seen is None:
                visible.ids[kind].discard(record_id)
            else:
                visible.ids[kind].add(record_id)

    def visible(self, session: Session, principal: Principal) -> Visible:
        catalog = self.catalog(session)
        key = (principal.user_id, principal.visible_owner_ids)
        cached = self._visible.get(key)
        if cached is not None:
            return cached
        ids: dict[str, set[int]] | None = None
        if principal.visible_owner_ids is not None:
            ids = {
                kind: set(session.scalars(select(model.id).where(scope_for(principal, model))))  # type: ignore[attr-defined]
                for kind, model in MODELS.items()
            }
        visible = Visible(catalog=catalog, ids=ids, loaded_at=time.monotonic(), principal=principal)
        self._visible[key] = visible
        return visible

    def all_names(self, session: Session) -> list[str]:
        """Every account, deal and contact name in the CRM (unscoped: used only to spot names in answers)."""
        catalog = self.catalog(session)
        if self._all is None or self._all[0] != catalog.loaded_at:
            names = {e.name for e in catalog.by_key.values() if e.type != "user" and len(e.name) >= 4}
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
