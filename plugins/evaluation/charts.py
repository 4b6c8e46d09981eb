"""Server-side SVG bar charts: no JavaScript, readable at a glance, printable.

Each chart is drawn from a metrics ``Table``: one group of bars per row, one bar per
column (colour from a fixed palette, with a legend). The SVG is an image with a
title (``role="img"``); its numbers are in the table printed beside it, which is
what screen readers read.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#c0392b", "#2471a3", "#d68910", "#1e8449", "#7d3c98", "#566573", "#a04000", "#148f77"]
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 56


def nice_max(value):
    """A round axis maximum at or above ``value`` (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart(table, chart_id):
    values = [v or 0 for _label, row in table.rows for v in row]
    top = nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    groups = max(len(table.rows), 1)
    series = max(len(table.columns), 1)
    group_w = plot_w / groups
    bar_w = max(group_w * 0.8 / series, 1)
    height = HEIGHT + 20 * ((series + 3) // 4)  # legend rows of four
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" class="chart" width="100%">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        label = f"{value:g}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#444">{label}</text>'
        )
    for g, (row_label, row) in enumerate(table.rows):
        x0 = LEFT + g * group_w + group_w * 0.1
        for s, value in enumerate(row):
            h = plot_h * (value or 0) / top
            x = x0 + s * bar_w
            y = TOP + plot_h - h
            colour = PALETTE[s % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(row_label)} · {escape(table.columns[s])}：'
                f"{'无数据' if value is None else value}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + g * group_w + group_w / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'font-size="11" text-anchor="middle" fill="#222">{escape(row_label[:8])}</text>'
        )
    legend_y = HEIGHT - 20
    for s, column in enumerate(table.columns):
        x = LEFT + (s % 4) * 170
        y = legend_y + (s // 4) * 20
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/><text x="{x + 16}" y="{y}" '
            f'font-size="12" fill="#222">{escape(column[:12])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
