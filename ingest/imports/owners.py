"""Source owners -> Dealwise users, by email (via the source's user list where it has ids) or by name."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import User
from ingest.imports.fields import sf_id
from ingest.imports.records import Row
from ingest.imports.report import Problem


class OwnerResolver:
    """Unknown owners fall back to the importing user; each distinct one is reported once with a row count."""

    def __init__(self, session: Session, fallback: User, source_user_emails: dict[str, str]) -> None:
        users = session.scalars(select(User)).all()
        self._by_email = {user.email.lower(): user.id for user in users}
        self._by_name = {user.name.lower(): user.id for user in users}
        self._source_emails = source_user_emails
        self.fallback = fallback
        self._unknown: dict[str, tuple[Row, str, int]] = {}

    def user_id(self, row: Row) -> int:
        if row.owner is None:
            return self.fallback.id
        value = row.owner.value.strip()
        email = self._source_emails.get(sf_id(value) or "") or value
        found = self._by_email.get(email.lower()) or self._by_name.get(value.lower())
        if found is not None:
            return found
        label = value if email == value else f"{value} ({email})"
        first, column, count = self._unknown.get(label, (row, row.owner.column, 0))
        self._unknown[label] = (first, column, count + 1)
        return self.fallback.id

    def warnings(self) -> list[Problem]:
        return [
            Problem(
                row.file,
                row.line,
                column,
                f"owner {label} is not a Dealwise user: {count} row(s) assigned to {self.fallback.email}",
                row.kind,
            )
            for label, (row, column, count) in self._unknown.items()
        ]
