"""Write tools: they propose, they never write. The apply functions write once the person confirms, and
each kind's undo puts things back (``WRITES`` holds the three together).

Each apply function goes through assistant.crm.services as ``deps.principal``, so validation, the write
rules (assistant.crm.access: a proposal is only made for a change the person may make, and checked
again when it is confirmed) and the audit trail (with the person's channel) are the same as for any
other write, in every channel.
"""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.crm import audit
from assistant.crm.access import check_link, get_visible, get_writable
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact, Deal, Stage
from assistant.crm.schemas.activities import SUBJECT_MAX_CHARS, ActivityCreate
from assistant.crm.schemas.chat import FieldChange, RecordRef
from assistant.crm.schemas.common import BODY_MAX_CHARS, Moment, Money, RecordId
from assistant.crm.schemas.deals import DealUpdate
from assistant.crm.schemas.results import ProposalPublic
from assistant.crm.services.activities import create_activity, delete_activity
from assistant.crm.services.deals import find_stage
from assistant.crm.services.deals import update_deal as service_update_deal
from tools.activities import record_ref
from tools.base import WriteSpec


def _stage_name(deps: Deps, stage_id: int | None) -> str | None:
    stage = deps.session.get(Stage, stage_id) if stage_id is not None else None
    return stage.name if stage else None


class UpdateDealInput(BaseModel):
    deal_id: RecordId = Field(description="the deal to change (find it with find_deals)")
    stage: str | None = Field(
        default=None, max_length=120, description="new stage name, e.g. Negotiation or Closed Won"
    )
    amount: Money | None = Field(default=None, description="new amount in the deal's currency")
    close_date: date | None = Field(default=None, description="new expected close date (ISO date)")
    next_step: str | None = Field(default=None, max_length=1000, description="new next step text")


def update_deal(deps: Deps, args: UpdateDealInput) -> ProposalPublic:
    """Propose a change to a deal's stage, amount, close date or next step. Nothing changes yet: the
    person sees the old and new values and must confirm.

    Use it for "move Acme to Negotiation", "push the Globex close date to March 3", "set the amount to
    60k", "next step: send the contract". Give only the fields that change.
    """
    deal = get_writable(deps.session, deps.principal, Deal, args.deal_id)
    values: dict[str, Any] = {}
    if args.stage is not None:
        stage = find_stage(deps.session, args.stage, deal.pipeline_id)
        if stage is None:
            names = ", ".join(s.name for s in deal.pipeline.stages)
            raise ValidationFailed("stage", f"unknown stage {args.stage!r} for this deal; stages are {names}")
        values["stage_id"] = stage.id
    if args.amount is not None:
        values["amount"] = float(args.amount)
    if args.close_date is not None:
        values["close_date"] = args.close_date.isoformat()
    if args.next_step is not None:
        values["next_step"] = args.next_step.strip() or None
    if not values:
        raise ValidationFailed("deal_id", "name at least one of stage, amount, close_date or next_step to change")
    current = _current_values(deal)
    changed = {field: new for field, new in values.items() if current[field] != new}
    if not changed:
        raise ValidationFailed("deal_id", f"deal {deal.id} already has these values; nothing would change")
    changes = [
        FieldChange(
            record_type="deal",
            record_id=deal.id,
            record_name=deal.name,
            field="stage" if field == "stage_id" else field,
            old=_stage_name(deps, current[field]) if field == "stage_id" else current[field],
            new=_stage_name(deps, new) if field == "stage_id" else new,
        )
        for field, new in changed.items()
    ]
    summary = f"Update {deal.name}: " + "; ".join(f"{c.field} {c.old} -> {c.new}" for c in changes)
    return ProposalPublic(
        kind="update_deal",
        summary=summary,
        changes=changes,
        payload={"deal_id": deal.id, "values": changed},
        records=[record_ref("deal", deal.id, deal.name)],
    )


def _current_values(deal: Deal) -> dict[str, Any]:
    return {
        "stage_id": deal.stage_id,
        "amount": float(deal.amount),
        "close_date": deal.close_date.isoformat() if deal.close_date else None,
        "next_step": deal.next_step,
    }


def _write_deal(deps: Deps, deal_id: int, values: dict[str, Any]) -> dict[str, Any]:
    before = _current_values(get_writable(deps.session, deps.principal, Deal, deal_id))
    deal, changes = service_update_deal(
        deps.session, deps.principal, deal_id, DealUpdate.model_validate(values), deps.clock.now()
    )
    return {
        "record_type": "deal",
        "record_id": deal.id,
        "name": deal.name,
        "old": {field: before[field] for field in changes},
        "new": {field: audit.plain(new) for field, (_, new) in changes.items()},
    }


def apply_update_deal(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply a confirmed update_deal proposal; the result keeps the old values so it can be undone."""
    return _write_deal(deps, int(payload["deal_id"]), dict(payload["values"]))


def undo_update_deal(deps: Deps, result: dict[str, Any]) -> dict[str, Any]:
    """Put back the values an applied update_deal replaced, unless the deal changed again since."""
    deal = get_writable(deps.session, deps.principal, Deal, int(result["record_id"]))
    current = _current_values(deal)
    moved = [field for field, new in result["new"].items() if current.get(field) != new]
    if moved:
        raise ValidationFailed(moved[0], f"deal {deal.id} changed again since; undo would overwrite {moved[0]}")
    return _write_deal(deps, deal.id, dict(result["old"]))


class _LinkedInput(BaseModel):
    deal_id: RecordId | None = Field(default=None, description="the deal it concerns")
    account_id: RecordId | None = Field(default=None, description="the account it concerns (implied by a deal)")
    contact_id: RecordId | None = Field(default=None, description="the contact it was with")


def _link_refs(deps: Deps, args: _LinkedInput) -> list[RecordRef]:
    if args.deal_id is None and args.account_id is None and args.contact_id is None:
        raise ValidationFailed("deal_id", "link it to a deal, an account or a contact")
    refs: list[RecordRef] = []
    targets = (("deal_id", Deal, "deal"), ("account_id", Account, "account"), ("contact_id", Contact, "contact"))
    for field, model, kind in targets:
        record_id = getattr(args, field)
        if record_id is not None:
            record = get_visible(deps.session, deps.principal, model, record_id)
            check_link(deps.session, deps.principal, model, record_id, field)
            refs.append(record_ref(kind, record.id, record.name))
    return refs


def _creation_changes(kind_label: str, name: str, fields: dict[str, Any], refs: list[RecordRef]) -> list[FieldChange]:
    linked = {f"{ref.type}": f"{ref.name} (#{ref.id})" for ref in refs}
    return [
        FieldChange(record_type="activity", record_id=None, record_name=name, field=field, old=None, new=value)
        for field, value in {"type": kind_label, **fields, **linked}.items()
        if value is not None
    ]


class LogActivityInput(_LinkedInput):
    type: Literal["call", "email", "meeting", "note"]
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX_CHARS, description="one line, e.g. 'Call with Jane Doe'")
    body: str | None = Field(default=None, max_length=BODY_MAX_CHARS, description="what was said or agreed")
    occurred_at: Moment | None = Field(
        default=None, description="when it happened (ISO, UTC unless an offset is given); now if unset"
    )


def log_activity(deps: Deps, args: LogActivityInput) -> ProposalPublic:
    """Propose logging a call, email, meeting or note on a deal, account or contact. Nothing is saved
    until the person confirms.

    Use it for "log a call with Jane: she wants pricing by Friday", "note on Acme: budget approved".
    """
    refs = _link_refs(deps, args)
    occurred = args.occurred_at or deps.clock.now()
    if occurred > deps.clock.now():
        raise ValidationFailed("occurred_at", "is in the future; log activities that happened (or create a task)")
    data = ActivityCreate(
        type=args.type,  # type: ignore[arg-type]
        subject=args.subject.strip(),
        body=args.body,
        occurred_at=occurred,
        deal_id=args.deal_id,
        account_id=args.account_id,
        contact_id=args.contact_id,
    )
    fields = {"subject": data.subject, "body": data.body, "occurred_at": occurred.isoformat()}
    changes = _creation_changes(args.type, data.subject, fields, refs)
    return ProposalPublic(
        kind="log_activity",
        summary=f"Log {args.type} '{data.subject}' on " + ", ".join(r.name for r in refs),
        changes=changes,
        payload=data.model_dump(mode="json"),
        records=refs,
    )


def _create(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    activity = create_activity(deps.session, deps.principal, ActivityCreate.model_validate(payload), deps.clock.now())
    return {"record_type": "activity", "record_id": activity.id, "name": activity.subject, "type": activity.type}


def undo_create_activity(deps: Deps, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the activity or task an applied log_activity / create_task created."""
    kept = delete_activity(deps.session, deps.principal, int(result["record_id"]))
    return {
        "record_type": "activity",
        "record_id": int(result["record_id"]),
        "name": kept.get("subject"),
        "deleted": True,
    }


def apply_log_activity(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    return _create(deps, payload)


class CreateTaskInput(_LinkedInput):
    subject: str = Field(
        min_length=1, max_length=SUBJECT_MAX_CHARS, description="what to do, e.g. 'Send pricing to Jane'"
    )
    due_date: date = Field(description="when it is due (ISO date)")
    body: str | None = Field(default=None, max_length=BODY_MAX_CHARS, description="details")


def create_task(deps: Deps, args: CreateTaskInput) -> ProposalPublic:
    """Propose a follow-up task (a to-do with a due date) on a deal, account or contact. Nothing is saved
    until the person confirms.

    Use it for "remind me to send the contract to Acme on Friday", "task: call Jane next Tuesday".
    """
    refs = _link_refs(deps, args)
    if args.due_date < deps.clock.today():
        raise ValidationFailed("due_date", f"{args.due_date.isoformat()} is in the past")
    data = ActivityCreate(
        type="task",  # type: ignore[arg-type]
        subject=args.subject.strip(),
        body=args.body,
        due_date=args.due_date,
        status="open",
        occurred_at=deps.clock.now(),
        deal_id=args.deal_id,
        account_id=args.account_id,
        contact_id=args.contact_id,
    )
    fields = {"subject": data.subject, "body": data.body, "due_date": args.due_date.isoformat()}
    return ProposalPublic(
        kind="create_task",
        summary=f"Create task '{data.subject}' due {args.due_date.isoformat()} on " + ", ".join(r.name for r in refs),
        changes=_creation_changes("task", data.subject, fields, refs),
        payload=data.model_dump(mode="json"),
        records=refs,
    )


def apply_create_task(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    return _create(deps, payload)


WRITES = [
    WriteSpec("update_deal", apply_update_deal, undo_update_deal, "put back the deal's earlier values"),
    WriteSpec("log_activity", apply_log_activity, undo_create_activity, "delete the logged activity"),
    WriteSpec("create_task", apply_create_task, undo_create_activity, "delete the task"),
]
