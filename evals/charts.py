"""Inline SVG charts for the HTML report: no scripts, no external files."""

import math
from html import escape


def category_bars(rows: list[tuple[str, float, float | None]], width: int = 640) -> str:
    """Horizontal bars of pass rate per category; a tick marks the baseline's rate when there is one."""
    label_width, bar_height, gap = 130, 22, 8
    plot = width - label_width - 60
    height = len(rows) * (bar_height + gap) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="pass rate per category" class="chart">'
    ]
    for step in range(0, 101, 25):
        x = label_width + plot * step / 100
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#e3e6ea"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 4}" font-size="10" text-anchor="middle" fill="#666">{step}%</text>'
        )
    for index, (name, rate, baseline) in enumerate(rows):
        y = index * (bar_height + gap) + 4
        colour = "#2e7d32" if rate >= 0.9 else "#f9a825" if rate >= 0.7 else "#c62828"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="#222">'
            f"{escape(name)}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y}" width="{plot:.1f}" height="{bar_height}" fill="#f1f3f5"/>')
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{plot * rate:.1f}" height="{bar_height}" fill="{colour}">'
            f"<title>{escape(name)}: {rate:.1%}</title></rect>"
        )
        parts.append(f'<text x="{label_width + plot + 6}" y="{y + 15}" font-size="12" fill="#222">{rate:.0%}</text>')
        if baseline is not None:
            x = label_width + plot * baseline
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + bar_height + 2}" stroke="#111" '
                f'stroke-width="2" stroke-dasharray="3,2"><title>baseline {baseline:.1%}</title></line>'
            )
    parts.append("</svg>")
    return "".join(parts)


def latency_histogram(latencies_ms: list[float], width: int = 640, height: int = 200, bins: int = 20) -> str:
    """Histogram of per-turn latency on a log scale of milliseconds (turns span microseconds to seconds)."""
    if not latencies_ms:
        return '<p class="muted">no turns were run</p>'
    logs = [math.log10(max(value, 0.01)) for value in latencies_ms]
    low, high = math.floor(min(logs) * 2) / 2, math.ceil(max(logs) * 2) / 2
    if high <= low:
        high = low + 0.5
    size = (high - low) / bins
    counts = [0] * bins
    for value in logs:
        counts[min(bins - 1, int((value - low) / size))] += 1
    top = max(counts)
    left, bottom, plot_w, plot_h = 40, 30, width - 50, height - 45
    bar_w = plot_w / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="latency histogram" class="chart">'
    ]
    for index, count in enumerate(counts):
        bar_h = plot_h * count / top if top else 0
        x, y = left + index * bar_w, height - bottom - bar_h
        start, end = 10 ** (low + index * size), 10 ** (low + (index + 1) * size)
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" fill="#1565c0">'
            f"<title>{start:.3g}–{end:.3g} ms: {count} turns</title></rect>"
        )
    parts.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{left + plot_w}" y2="{height - bottom}" stroke="#555"/>'
    )
    tick = math.ceil(low)
    while tick <= high:
        x = left + (tick - low) / (high - low) * plot_w
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" fill="#666">'
            f"{_ms_label(10**tick)}</text>"
        )
        tick += 1
    parts.append(f'<text x="4" y="12" font-size="10" fill="#666">{top} turns</text>')
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 2}" font-size="10" text-anchor="middle" fill="#666">'
        "latency per turn (log scale)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _ms_label(milliseconds: float) -> str:
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:g} s"
    return f"{milliseconds:g} ms"
