"""Jinja2 templates and the static files the pages use (served without a build step or CDN)."""

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from adapters.web.pages.sessions import CSRF_FIELD, CSRF_HEADER, WebUser
from assistant.agent.answer_format import readable
from assistant.agent.answers import proposal_preview
from assistant.agent.writes import public_action
from assistant.crm.models import PendingAction
from assistant.crm.schemas.chat import AnswerCell, RecordRef, RichAnswer

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
STATIC_FILES = {
    "chat.js": "text/javascript; charset=utf-8",
    "admin.js": "text/javascript; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}

templates = Jinja2Templates(directory=HERE / "templates")


def _money(amount: Any, currency: str = "USD") -> str:
    try:
        return f"{float(amount):,.0f} {currency}"
    except (TypeError, ValueError):
        return "—"


def _when(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


templates.env.filters["money"] = _money
templates.env.filters["when"] = _when
templates.env.globals.update(csrf_field=CSRF_FIELD, csrf_header=CSRF_HEADER)


def render(request: Request, name: str, user: WebUser | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"user": user, "csrf_token": user.csrf_token if user else "", **context}, status_code=status_code
    )


def not_found(request: Request, user: WebUser | None, what: str) -> HTMLResponse:
    """The page for a record that does not exist or that this person may not see (the same page for both)."""
    return render(request, "not_found.html", user, status_code=404, what=what)


LINKABLE = frozenset({"deal", "account", "contact", "activity", "lead"})
"""record types with a page under /records/"""


def record_href(ref: RecordRef) -> str | None:
    return f"/records/{ref.type}/{ref.id}" if ref.type in LINKABLE else None


def _anchor(ref: RecordRef, label: str) -> Markup:
    href = record_href(ref)
    if href is None:
        return escape(label)
    return Markup('<a class="inline-link" href="{}" data-type="{}" data-id="{}">{}</a>').format(
        href, ref.type, ref.id, label
    )


def linked_names(text: str, records: list[RecordRef]) -> Markup:
    """The text, escaped, with every record name in it linked to the record's page (longest names first)."""
    refs = {ref.name: ref for ref in sorted(records, key=lambda r: -len(r.name)) if len(ref.name) >= 3}
    refs = {name: ref for name, ref in refs.items() if ref.type in LINKABLE}
    if not refs:
        return escape(text)
    pattern = re.compile("|".join(re.escape(name) for name in refs))
    parts: list[Markup] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(_anchor(refs[match.group(0)], match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def cell_html(cell: AnswerCell) -> Markup:
    return _anchor(cell.record, cell.text) if cell.record is not None else escape(cell.text)


templates.env.globals.update(cell_html=cell_html, linked_names=linked_names, record_href=record_href, readable=readable)


def answer_html(rich: RichAnswer | dict[str, Any] | None, records: list[Any] | None = None) -> Markup | None:
    """A structured answer as an HTML fragment (templates/_answer.html): headline with its record names linked,
    figures, tables, linked lines and preformatted text. Everything from records is escaped."""
    if rich is None:
        return None
    answer = rich if isinstance(rich, RichAnswer) else RichAnswer.model_validate(rich)
    refs = [r if isinstance(r, RecordRef) else RecordRef.model_validate(r) for r in records or []]
    return Markup(templates.env.get_template("_answer.html").render(rich=answer, records=refs))


def pending_preview(action: PendingAction) -> Markup:
    """A waiting write's readable preview, for the box with its buttons in a reopened conversation."""
    sections = proposal_preview(public_action(action))
    return Markup(templates.env.get_template("_answer_sections.html").render(sections=sections, records=[]))


templates.env.globals.update(pending_preview=pending_preview)
