"""Source owners -> Dealwise users.

In order: the mapping's `owners:` (by the source user id, email or name), a Dealwise user with the source
user's email (via Salesforce User.csv or a HubSpot owners file) or with that name, a new Dealwise user
(rep, no password: an admin hands out a sign-in) for an active source user with an email when
`create_users` is on, the mapping's `"*"` entry, else the importing user. Each owner that could not be
matched is reported once, with the number of rows it owned.
"""

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Role, User
from ingest.imports.fields import sf_id
from ingest.imports.records import Export, Row, SourceUser
from ingest.imports.report import Problem

Audit = Callable[[str, int, dict[str, object]], None]


class OwnerResolver:
    def __init__(self, session: Session, actor: User, export: Export, audit: Audit) -> None:
        self.session, self.audit, self.fallback = session, audit, actor
        users = session.scalars(select(User)).all()
        self._by_email = {user.email.lower(): user.id for user in users}
        self._by_name = {user.name.lower(): user.id for user in users}
        self._emails = {user.id: user.email for user in users}
        self._source = export.users
        self._create = export.mapping.create_users
        owners = export.mapping.owners
        self._mapped = {key.strip().lower(): self._mapped_user(key, email) for key, email in owners.items()}
        self._default = self._mapped.pop("*", None)
        self._unknown: dict[str, tuple[Row, str, int]] = {}
        self.created: list[str] = []

    def _mapped_user(self, key: str, email: str) -> int:
        found = self._by_email.get(email.strip().lower())
        if found is None:
            raise ValidationFailed("owners", f"the mapping sends owner {key!r} to {email}, who is not a Dealwise user")
        return found

    def user_id(self, row: Row) -> int:
        if row.owner is None:
            return self._default or self.fallback.id
        value = row.owner.value.strip()
        source = self._source.get(sf_id(value) or "") or self._source.get(value)
        for key in (value, source.id if source else None, source.email if source else None,
                    source.name if source else None):  # fmt: skip
            if key and key.lower() in self._mapped:
                return self._mapped[key.lower()]
        email = (source.email if source else None) or (value if "@" in value else None)
        found = (self._by_email.get(email.lower()) if email else None) or self._by_name.get(
            (source.name if source else value).lower()
        )
        if found is not None:
            return found
        if source is not None and source.email and source.active and self._create:
            return self._new_user(source)
        label = value if source is None else f"{source.name} ({source.email or source.id})"
        first, column, count = self._unknown.get(label, (row, row.owner.column, 0))
        self._unknown[label] = (first, column, count + 1)
        return self._default or self.fallback.id

    def _new_user(self, source: SourceUser) -> int:
        assert source.email is not None
        existing = self.session.scalar(select(User.id).where(func.lower(User.email) == source.email))
        if existing is not None:
            self._by_email[source.email] = existing
            return existing
        user = User(email=source.email, name=source.name[:200], role=Role.rep.value, is_active=True)
        self.session.add(user)
        self.session.flush()
        self._by_email[source.email] = user.id
        self._emails[user.id] = user.email
        self.created.append(user.email)
        self.audit("user", user.id, {"email": user.email, "name": user.name, "role": user.role})
        return user.id

    def warnings(self) -> list[Problem]:
        target = self._emails.get(self._default, self.fallback.email) if self._default else self.fallback.email
        return [
            Problem(
                row.file,
                row.line,
                column,
                f"owner {label} is not a Dealwise user: {count} row(s) assigned to {target} "
                "(map owners with `owners:` in the --map file)",
                row.kind,
            )  # fmt: skip
            for label, (row, column, count) in self._unknown.items()
        ]
