"""The eval's databases: the demo template each trial copies, and a fingerprint that shows whether a write happened."""

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from ingest.demo import load_demo_database

WATCHED_TABLES = (
    "users",
    "teams",
    "accounts",
    "account_members",
    "contacts",
    "leads",
    "deals",
    "deal_stage_history",
    "activities",
    "call_recordings",
)
WRITE_AUDIT_ACTIONS = ("create", "update", "delete", "convert", "apply")


def build_template(directory: Path, seed: int = 7, today: date | None = None, size: str = "small") -> Path:
    """A migrated database with the deterministic demo data, to copy for each trial."""
    path = directory / f"template-{size}-{seed}.db"
    if path.exists():
        path.unlink()
    load_demo_database(f"sqlite:///{path}", size=size, seed=seed, today=today)  # type: ignore[arg-type]
    return path


def database_digest(session: Session) -> str:
    """A fingerprint of the CRM's records (conversation tables excluded): equal digests, no write happened."""
    digest = hashlib.sha256()
    for table in WATCHED_TABLES:
        for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
            digest.update(repr(tuple(row)).encode())
    actions = ", ".join(f"'{action}'" for action in WRITE_AUDIT_ACTIONS)
    for row in session.execute(text(f"SELECT * FROM audit_log WHERE action IN ({actions}) ORDER BY id")):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
