"""Inline SVG charts for the HTML pages: no library, no network, text escaped.

Horizontal bars read well with long labels (rule IDs, zone names, folder paths) and need no axis
arithmetic beyond one scale.
"""
from __future__ import annotations

from html import escape

ASSESSMENT_COLORS = {
    "classified": "#7b1fa2", "derivative": "#c62828", "unmarked-cui": "#ef6c00",
    "marked-cui": "#2e7d32", "unknown": "#9e9e9e", "not-cui": "#cfd8dc",
}
# Severity colours, as the findings table's badges: only errors and worse are red.
SEVERITY_COLORS = {"critical": "#b71c1c", "error": "#e53935", "warning": "#f9a825", "info": "#0288d1"}
_ROW = 22
_LABEL_W = 210
_BAR_W = 300


def _label(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def bar_chart(title: str, items: list[tuple[str, int]], color: str = "#1565c0", limit: int = 15,
              colors: dict[str, str] | None = None) -> str:
    """One bar per (label, value); `colors` may give a label its own colour (else `color`)."""
    items = items[:limit]
    height = 28 + _ROW * max(len(items), 1)
    top = max((v for _, v in items), default=0) or 1
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{_LABEL_W + _BAR_W + 70}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    if not items:
        parts.append('<text x="0" y="40" class="chart-empty">none</text>')
    for i, (label, value) in enumerate(items):
        y = 26 + i * _ROW
        width = max(1, round(_BAR_W * value / top))
        parts.append(f'<text x="{_LABEL_W - 6}" y="{y + 14}" text-anchor="end" class="chart-label">'
                     f'<title>{escape(label)}</title>{escape(_label(label))}</text>')
        parts.append(f'<rect x="{_LABEL_W}" y="{y + 3}" width="{width}" height="{_ROW - 6}" fill="{(colors or {}).get(label, color)}"/>')
        parts.append(f'<text x="{_LABEL_W + width + 4}" y="{y + 14}" class="chart-value">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_chart(title: str, rows: list[tuple[str, dict[str, int]]],
                  colors: dict[str, str] = ASSESSMENT_COLORS) -> str:
    """One bar per row, split by key (assessment); a legend below."""
    keys = [k for k in colors if any(k in counts for _, counts in rows)]
    top = max((sum(c.values()) for _, c in rows), default=0) or 1
    height = 28 + _ROW * max(len(rows), 1) + 26
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{_LABEL_W + _BAR_W + 70}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for i, (label, counts) in enumerate(rows):
        y = 26 + i * _ROW
        x = float(_LABEL_W)
        parts.append(f'<text x="{_LABEL_W - 6}" y="{y + 14}" text-anchor="end" class="chart-label">'
                     f'<title>{escape(label)}</title>{escape(_label(label))}</text>')
        for key in keys:
            value = counts.get(key, 0)
            if not value:
                continue
            width = max(1.0, _BAR_W * value / top)
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}" '
                         f'fill="{colors[key]}"><title>{escape(key)}: {value}</title></rect>')
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="chart-value">{sum(counts.values())}</text>')
    legend_y = 26 + _ROW * max(len(rows), 1) + 8
    lx = 0
    for key in keys:
        parts.append(f'<rect x="{lx}" y="{legend_y}" width="10" height="10" fill="{colors[key]}"/>'
                     f'<text x="{lx + 14}" y="{legend_y + 9}" class="chart-legend">{escape(key)}</text>')
        lx += 18 + 7 * len(key) + 12
    parts.append("</svg>")
    return "".join(parts)
