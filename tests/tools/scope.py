"""Who may see what, recomputed with plain SQL (independently of assistant.crm.access) for assertions."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, AccountMember, Activity, Contact, Deal, Lead, Stage, Team, User
from assistant.crm.schemas.chat import RecordRef


def user_id(db: Session, email: str) -> int:
    return db.scalars(select(User.id).where(User.email == email)).one()


def team_member_ids(db: Session, manager_email: str) -> set[int]:
    manager = db.scalars(select(User).where(User.email == manager_email)).one()
    team_ids = set(db.scalars(select(Team.id).where(Team.manager_id == manager.id))) | {manager.team_id}
    return set(db.scalars(select(User.id).where(User.team_id.in_(team_ids)))) | {manager.id}


@dataclass
class Visible:
    """The ids a set of owners may see, computed row by row."""

    owners: set[int]
    deals: set[int]
    accounts: set[int]
    contacts: set[int]
    leads: set[int]
    activities: set[int]

    def allows(self, ref: RecordRef) -> bool:
        pools = {
            "deal": self.deals,
            "account": self.accounts,
            "contact": self.contacts,
            "lead": self.leads,
            "activity": self.activities,
            "user": self.owners,
        }
        return ref.id in pools[ref.type]


def visible_for(db: Session, owners: set[int]) -> Visible:
    deals = db.execute(select(Deal.id, Deal.owner_id, Deal.account_id)).all()
    own_deals = {d.id for d in deals if d.owner_id in owners}
    accounts = {a.id for a in db.execute(select(Account.id, Account.owner_id)).all() if a.owner_id in owners}
    accounts |= {m.account_id for m in db.scalars(select(AccountMember)) if m.user_id in owners}
    accounts |= {d.account_id for d in deals if d.owner_id in owners}
    contacts = {
        c.id for c in db.execute(select(Contact.id, Contact.owner_id, Contact.account_id))
        if c.owner_id in owners or c.account_id in accounts
    }  # fmt: skip
    leads = {lead.id for lead in db.execute(select(Lead.id, Lead.owner_id)) if lead.owner_id in owners}
    activities = {
        a.id
        for a in db.execute(
            select(Activity.id, Activity.author_id, Activity.deal_id, Activity.account_id, Activity.lead_id)
        )
        if a.author_id in owners
        or a.deal_id in own_deals
        or (a.deal_id is None and a.account_id in accounts)
        or (a.lead_id is not None and a.lead_id in leads)
    }
    return Visible(owners, own_deals, accounts, contacts, leads, activities)


def open_deal_rows(db: Session, owners: set[int]) -> list[tuple[int, float, int, str]]:
    """(id, amount, probability, stage name) of every open deal owned by ``owners``."""
    query = select(Deal.id, Deal.amount, Stage.probability, Stage.name).join(Stage, Stage.id == Deal.stage_id)
    rows = db.execute(query.where(Deal.owner_id.in_(owners), Stage.is_closed.is_(False))).all()
    return [(r[0], float(r[1]), r[2], r[3]) for r in rows]
