"""A structured answer (ChatResponse.rich) in a reply mail: plain text with aligned tables, and HTML with real
tables and record names linked to their pages under DEALWISE_BASE_URL.

Text from records is shown with foreign URLs defanged (adapters.outbound_links) and, in HTML, escaped.
"""

import html
import textwrap

from adapters.outbound_links import neutralise_urls
from assistant.crm.schemas.chat import AnswerCell, AnswerTable, RichAnswer

COLUMN_CHARS = 40
LINE_CHARS = 100
LINKABLE = ("deal", "account", "contact", "activity", "lead")


def _plain(cell: AnswerCell) -> str:
    text = neutralise_urls(cell.text)
    return f"{text} (overdue)" if cell.flag == "overdue" else text


def _clip(text: str) -> str:
    return text if len(text) <= COLUMN_CHARS else text[: COLUMN_CHARS - 1] + "…"


def _row_lines(row: list[str], widths: list[int]) -> list[str]:
    """One table row; the last column wraps onto indented lines instead of being cut."""
    lead = "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths[:-1], strict=True))
    indent = " " * (len(lead) + 2) if lead else ""
    room = max(COLUMN_CHARS, LINE_CHARS - len(indent))
    wrapped = textwrap.wrap(row[-1], room) or [""]
    first = f"{lead}  {wrapped[0]}" if lead else wrapped[0]
    return [first.rstrip(), *(indent + part for part in wrapped[1:])]


def table_text(table: AnswerTable) -> str:
    rows = [[_clip(_plain(cell)) for cell in row[:-1]] + [_plain(row[-1])] for row in table.rows if row]
    widths = [
        max([len(c), *(len(row[i]) for row in rows)]) if i < len(table.columns) - 1 else len(c)
        for i, c in enumerate(table.columns)
    ]
    widths[-1] = max([widths[-1], *(min(len(row[-1]), COLUMN_CHARS) for row in rows)])
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines += _row_lines(row, widths)
    if table.note:
        lines.append(neutralise_urls(table.note))
    return "\n".join(lines)


def rich_text(rich: RichAnswer) -> str:
    parts = [neutralise_urls(rich.headline)]
    if rich.figures:
        parts.append("\n".join(f"{f.label}: {neutralise_urls(f.value)}" for f in rich.figures))
    for section in rich.sections:
        lines = [neutralise_urls(section.title)] if section.title else []
        if section.table is not None:
            lines.append(table_text(section.table))
        lines += [f"- {_plain(line)}" for line in section.lines]
        if section.text:
            lines.append(neutralise_urls(section.text).strip())
        parts.append("\n".join(lines))
    return "\n\n".join(part for part in parts if part)


def _cell_html(cell: AnswerCell, base: str) -> str:
    text = html.escape(neutralise_urls(cell.text))
    if cell.record is not None and cell.record.type in LINKABLE:
        text = f'<a href="{base}/records/{cell.record.type}/{cell.record.id}">{text}</a>'
    if cell.flag == "overdue":
        text += ' <strong style="color:#9b1c1c">overdue</strong>'
    return text


def rich_html(rich: RichAnswer, base_url: str) -> str:
    base = html.escape(base_url.rstrip("/"))
    cell_style = 'style="text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ec;vertical-align:top"'
    parts = [f"<p>{html.escape(neutralise_urls(rich.headline))}</p>"]
    if rich.figures:
        items = "".join(
            f"<li><strong>{html.escape(f.label)}:</strong> {html.escape(neutralise_urls(f.value))}</li>"
            for f in rich.figures
        )
        parts.append(f"<ul>{items}</ul>")
    for section in rich.sections:
        if section.title:
            title = html.escape(neutralise_urls(section.title))
            if section.record is not None and section.record.type in LINKABLE:
                title = f'<a href="{base}/records/{section.record.type}/{section.record.id}">{title}</a>'
            parts.append(f"<h3>{title}</h3>")
        if section.table is not None:
            head = "".join(f"<th {cell_style}>{html.escape(c)}</th>" for c in section.table.columns)
            body = "".join(
                "<tr>" + "".join(f"<td {cell_style}>{_cell_html(cell, base)}</td>" for cell in row) + "</tr>"
                for row in section.table.rows
            )
            parts.append(f'<table style="border-collapse:collapse"><tr>{head}</tr>{body}</table>')
            if section.table.note:
                parts.append(f"<p><small>{html.escape(neutralise_urls(section.table.note))}</small></p>")
        if section.lines:
            parts.append("<ul>" + "".join(f"<li>{_cell_html(line, base)}</li>" for line in section.lines) + "</ul>")
        if section.text:
            parts.append(f'<pre style="white-space:pre-wrap">{html.escape(neutralise_urls(section.text))}</pre>')
    return "".join(parts)
