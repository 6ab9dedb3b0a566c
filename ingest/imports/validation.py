"""One row's values checked with the API's schemas and the services' rules, leniently: a row is rejected only
when a required field is unusable; an invalid optional value is dropped with a warning naming the row, the
column and the value, and the rest of the row is kept."""

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from pydantic import BaseModel, ValidationError

from assistant.crm.models import Stage
from assistant.crm.schemas.accounts import AccountCreate
from assistant.crm.schemas.activities import ActivityCreate
from assistant.crm.schemas.contacts import ContactCreate
from assistant.crm.schemas.deals import DealCreate
from assistant.crm.schemas.leads import LeadCreate
from ingest.imports.dedupe import normal_domain
from ingest.imports.links import REQUIRED_LINKS, Linker
from ingest.imports.numbers import CURRENCY_CODES
from ingest.imports.owners import OwnerResolver
from ingest.imports.records import REQUIRED, Ref, Row
from ingest.imports.stages import StageCatalog
from ingest.imports.targets import FIELDS

SCHEMAS: dict[str, type[BaseModel]] = {
    "account": AccountCreate,
    "contact": ContactCreate,
    "deal": DealCreate,
    "lead": LeadCreate,
    "activity": ActivityCreate,
}
DEAL_EXTRAS = ("stage", "pipeline", "stage_closed", "stage_won", "stage_probability", "stage_forecast",
               "amount_currency", "created_at")  # fmt: skip
DEFAULT_CURRENCY = "USD"
PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}))$"
)
SPECIAL_USE_TLDS = frozenset(SPECIAL_USE_DOMAIN_NAMES)


class Rejected(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems))
        self.problems = problems


@dataclass
class Checked:
    values: dict[str, Any]
    provided: set[str]
    """fields the row gives a value for (empty cells never clear a value)"""
    waiting: list[tuple[str, Ref]] = field(default_factory=list)
    """links to records that may still come (resolved once every row is in)"""
    linked: dict[str, Any] = field(default_factory=dict)
    currency_defaulted: bool = False
    """a deal whose row, amount and mapping name no currency (so it is taken as USD)"""
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    """(field, why) for links that found nothing: the row is kept without them"""


def plain_valid_email(value: Any) -> str | None:
    """A shortcut for the common case: an ASCII address that email-validator (the API's EmailStr) surely accepts,
    normalised the way it does (domain in lower case). None means: let the schema decide."""
    if not isinstance(value, str) or len(value) > 254:
        return None
    match = PLAIN_EMAIL.match(value)
    if match is None or match.group(2).lower() in SPECIAL_USE_TLDS or value.index("@") > 64:
        return None
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "required, but empty in the export"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    return f"{message} (got {value!r})" if isinstance(value, str | int | float) else message


class Validator:
    def __init__(self, stages: StageCatalog, owners: OwnerResolver, links: Linker, now: datetime, currency: str | None):
        self.stages, self.owners, self.links, self.now = stages, owners, links, now
        self.default_currency = currency

    def check(self, row: Row) -> Checked:
        """The row's values ready to write, or Rejected with every reason."""
        problems = list(row.problems)
        values = {key: value for key, value in row.fields.items() if value not in (None, "")}
        checked = Checked(values, set())
        for name, ref in row.refs.items():
            self._link(row, name, ref, checked, problems)
        getattr(self, f"_rules_{row.kind}", lambda *_: None)(row, values, problems, checked)
        if problems:
            raise Rejected(problems)
        given = {name for name, value in values.items() if value not in (None, "")}
        dropped = self._validate(row, values)
        owner = "author_id" if row.kind == "activity" else "owner_id"
        values[owner] = self.owners.user_id(row)
        given.add(owner)
        for name, why in checked.unlinked:
            row.warnings.append((row.column(name), f"{why}; imported without this link (orphan)"))
        checked.provided = (given - dropped - {"closed_at"}) & set(FIELDS[row.kind])
        return checked

    def _link(self, row: Row, name: str, ref: Ref, checked: Checked, problems: list[tuple[str, str]]) -> None:
        found = self.links.resolve(ref)
        if not isinstance(found, str):
            kind, target = found
            checked.values[name if len(ref.kinds) == 1 else f"{kind}_id"] = target.id
            checked.linked[kind] = target
        elif (row.kind, name) in REQUIRED_LINKS:
            problems.append((row.column(name), f"{found} (orphan)"))
        elif self.links.can_wait(row, ref):
            checked.waiting.append((name, ref))
        else:
            checked.unlinked.append((name, found))

    def _validate(self, row: Row, values: dict[str, Any]) -> set[str]:
        """values checked with the kind's *Create schema (its defaults filled in for new records); returns the
        optional fields dropped because their value broke a rule."""
        schema = SCHEMAS[row.kind]
        dropped: set[str] = set()
        required = REQUIRED[row.kind] | {name for name, info in schema.model_fields.items() if info.is_required()}
        exact_amount = values.get("amount")
        for _ in range(len(schema.model_fields) + 1):
            candidate = {k: v for k, v in values.items() if k in schema.model_fields}
            plain_email = plain_valid_email(candidate.pop("email", None))
            if plain_email is None and "email" in values:
                candidate["email"] = values["email"]
            try:
                valid = schema.model_validate(candidate)
            except ValidationError as error:
                problems = []
                for item in error.errors():
                    name = str(item["loc"][0]) if item["loc"] else ""
                    if name in required or not name:
                        problems.append((row.column(name), _message(item)))
                    else:
                        values.pop(name, None)
                        dropped.add(name)
                        row.warnings.append((row.column(name), f"{_message(item)}; imported without it"))
                if problems:
                    raise Rejected(problems) from error
                continue
            values.update({k: v for k, v in valid.model_dump().items() if k in values or v is not None})
            if plain_email is not None:
                values["email"] = plain_email
            if "amount" not in dropped and isinstance(exact_amount, Decimal):
                values["amount"] = exact_amount
            return dropped
        raise Rejected([("", "the row's values could not be made valid")])

    # rules of the services that the schemas do not hold

    def _rules_account(self, row: Row, values: dict[str, Any], problems: list, checked: Checked) -> None:
        if values.get("domain"):
            values["domain"] = normal_domain(values["domain"]) or values["domain"]
        values.pop("created_at", None)

    def _rules_deal(self, row: Row, values: dict[str, Any], problems: list, checked: Checked) -> None:
        extras = {name: values.pop(name, None) for name in DEAL_EXTRAS}
        if not extras["stage"]:
            problems.append((row.column("stage"), "required, but empty in the export"))
            return
        try:
            stage = self.stages.resolve(extras["pipeline"], extras["stage"])
        except ValueError as error:
            problems.append((row.column("stage"), str(error)))
            return
        values.update(stage_id=stage.id, pipeline_id=stage.pipeline_id)
        values["currency"] = self._currency(row, values, extras["amount_currency"], checked)
        if "amount" not in values and not any(column == row.column("amount") for column, _ in row.warnings):
            row.warnings.append((row.column("amount"), "empty: the amount is unknown (a new deal gets 0)"))
        if not stage.is_closed and values.get("close_date") is None:
            row.warnings.append((row.column("close_date"), "an open deal without a close date; imported without one"))
        values["closed_at"] = self.closed_at(stage, values.get("close_date"))

    def _currency(self, row: Row, values: dict[str, Any], cell_currency: str | None, checked: Checked) -> str:
        column = (values.pop("currency", None) or "").strip().upper() or None
        if column and column not in CURRENCY_CODES:
            row.warnings.append((row.column("currency"), f"{column!r} is not an ISO 4217 currency code; ignored"))
            column = None
        if column and cell_currency and column != cell_currency and "amount" in values:
            del values["amount"]
            row.warnings.append((row.column("amount"), f"the amount is in {cell_currency} but the row's currency is "
                                 f"{column}; imported without the amount"))  # fmt: skip
        currency = column or cell_currency or self.default_currency
        checked.currency_defaulted = currency is None
        return currency or DEFAULT_CURRENCY

    def closed_at(self, stage: Stage, close_date: Any) -> datetime | None:
        if not stage.is_closed:
            return None
        return datetime.combine(close_date, time(0)) if close_date else self.now

    def _rules_lead(self, row: Row, values: dict[str, Any], problems: list, checked: Checked) -> None:
        values.pop("created_at", None)
        if values.get("status") == "converted" and values.get("converted_at") is None:
            is_new = not row.external_id or ("lead", row.external_id) not in self.links.records.targets
            if is_new:
                values["converted_at"] = self.now

    def _rules_contact(self, row: Row, values: dict[str, Any], problems: list, checked: Checked) -> None:
        values.pop("created_at", None)

    def _rules_activity(self, row: Row, values: dict[str, Any], problems: list, checked: Checked) -> None:
        links = ("account_id", "contact_id", "deal_id", "lead_id")
        if not any(values.get(link) for link in links) and not checked.waiting:
            columns = ", ".join(dict.fromkeys(row.column(name) for name in row.refs)) or "links"
            why = f" ({'; '.join(reason for _, reason in checked.unlinked)})" if checked.unlinked else ""
            problems.append((columns, f"an activity must be linked to an account, contact, deal or lead{why}"))
        for kind in ("deal", "contact"):
            linked = checked.linked.get(kind)
            if values.get("account_id") is None and linked is not None and linked.values.get("account_id"):
                values["account_id"] = linked.values["account_id"]
        if not values.get("subject"):
            body = str(values.get("body") or "").strip()
            values["subject"] = body.splitlines()[0][:120] if body else str(values.get("type") or "activity").title()
        if values.get("type") == "task":
            values.setdefault("status", "open")
        else:
            values.pop("status", None)
            values.pop("due_date", None)
