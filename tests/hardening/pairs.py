"""The (person acting, owner of the records) pairs the write-rule tests run through, and what each may do."""

from dataclasses import dataclass

from tests.support import ADMIN, ALICE, BOB, EAST_MANAGER, WEST_MANAGER

SAM = "sam.taylor@dealwise.demo"


@dataclass(frozen=True)
class Pair:
    actor: str
    owner: str
    sees: bool
    """the owner's records are in the actor's scope (so writable: these records have no account team)"""
    reassigns: bool
    """the actor may give the owner's records to ``reassign_to``"""
    reassign_to: str

    def __str__(self) -> str:
        return f"{self.actor.split('@')[0]}->{self.owner.split('@')[0]}"


PAIRS = [
    Pair(ALICE, ALICE, sees=True, reassigns=False, reassign_to=SAM),
    Pair(ALICE, SAM, sees=False, reassigns=False, reassign_to=ALICE),
    Pair(ALICE, BOB, sees=False, reassigns=False, reassign_to=ALICE),
    Pair(ALICE, WEST_MANAGER, sees=False, reassigns=False, reassign_to=ALICE),
    Pair(WEST_MANAGER, ALICE, sees=True, reassigns=True, reassign_to=SAM),
    Pair(WEST_MANAGER, WEST_MANAGER, sees=True, reassigns=True, reassign_to=ALICE),
    Pair(WEST_MANAGER, BOB, sees=False, reassigns=False, reassign_to=WEST_MANAGER),
    Pair(WEST_MANAGER, EAST_MANAGER, sees=False, reassigns=False, reassign_to=SAM),
    Pair(ADMIN, BOB, sees=True, reassigns=True, reassign_to=ALICE),
    Pair(ADMIN, WEST_MANAGER, sees=True, reassigns=True, reassign_to=EAST_MANAGER),
]
