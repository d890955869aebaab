"""Dashboard charts as inline SVG drawn here (no JavaScript charting), like ``report/html.py``.

Every label goes through :meth:`markupsafe.Markup.format`, which escapes it: batch titles come from
users and are hostile like any other string.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from hegui.report.html import _fit

COLOURS = {
    "tested": "#1e3a8a",
    "failing": "#b91c1c",
    "notified": "#d97706",
    "rectified": "#15803d",
    "removed": "#334155",
    "open": "#f59e0b",
    "overdue": "#9f1239",
}
FONT = 13


def _svg_open(width: int, height: int, title: str) -> Markup:
    return Markup(
        '<svg class="chart dash-chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
    ).format(w=width, h=height, t=title)


def month_chart(
    months: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]], *, title: str
) -> Markup:
    """Grouped vertical bars: one group per month, one bar per series (label, colour, values)."""
    width, height = 1000, 260
    left, right, top, bottom = 36, 10, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max((v for _, _, vals in series for v in vals), default=0) or 1
    step = _nice_step(most)
    top_value = step * -(-most // step)
    n = max(len(months), 1)
    group_w = plot_w / n
    bar_w = min(22.0, max(3.0, (group_w - 10) / max(len(series), 1)))
    parts = [_svg_open(width, height, title)]
    for tick in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            Markup(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#e2e8f0"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" class="chart-axis">{v}</text>'
            ).format(x1=left, x2=width - right, y=round(y, 1), tx=left - 6, ty=round(y + 4, 1), v=tick)
        )
    for i, month in enumerate(months):
        gx = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, (name, colour, values) in enumerate(series):
            v = values[i]
            h = plot_h * v / top_value
            x = gx + j * bar_w
            parts.append(
                Markup(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2" fill="{c}"><title>{m} · {name}: {v}</title></rect>'
                ).format(
                    x=round(x, 1),
                    y=round(top + plot_h - h, 1),
                    w=round(bar_w - 1.5, 1),
                    h=round(h, 1),
                    c=colour,
                    m=month,
                    name=name,
                    v=v,
                )
            )
        parts.append(
            Markup('<text x="{x}" y="{y}" text-anchor="middle" class="chart-label">{m}</text>').format(
                x=round(left + i * group_w + group_w / 2, 1), y=height - bottom + 18, m=month
            )
        )
    parts.append(
        Markup('<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#94a3b8"/>').format(
            x1=left, x2=width - right, y=top + plot_h
        )
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _nice_step(most: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if most / step <= 5:
            return step
    return 10 ** len(str(most))


def batch_chart(rows: Sequence[tuple[str, Sequence[tuple[str, str, int]]]], *, title: str) -> Markup:
    """One stacked horizontal bar per notice batch: (label, [(segment name, colour, count)...])."""
    width, label_w, row_h, bar_h = 1000, 220, 34, 20
    bar_x = label_w + 10
    bar_w = width - bar_x - 50
    height = 8 + row_h * max(len(rows), 1)
    most = max((sum(c for _, _, c in segs) for _, segs in rows), default=0) or 1
    parts = [_svg_open(width, height, title)]
    for i, (name, segs) in enumerate(rows):
        y = 4 + i * row_h
        ry = y + (row_h - bar_h) / 2
        ty = y + (row_h + FONT) / 2 - 2
        total = sum(c for _, _, c in segs)
        parts.append(
            Markup(
                '<text x="{lx}" y="{ty}" text-anchor="end" class="chart-label"><title>{full}</title>{name}</text>'
                '<rect x="{bx}" y="{ry}" width="{bw}" height="{bh}" rx="3" fill="#e2e8f0"/>'
            ).format(
                full=name,
                name=_fit(name, label_w, FONT),
                lx=label_w,
                ty=ty,
                bx=bar_x,
                ry=ry,
                bw=bar_w,
                bh=bar_h,
            )
        )
        x = float(bar_x)
        for seg, colour, count in segs:
            if not count:
                continue
            w = bar_w * count / most
            parts.append(
                Markup(
                    '<rect x="{x}" y="{ry}" width="{w}" height="{bh}" fill="{c}"><title>{seg}: {n}</title></rect>'
                ).format(x=round(x, 1), ry=ry, w=round(w, 1), bh=bar_h, c=colour, seg=seg, n=count)
            )
            if w >= 18:
                parts.append(
                    Markup(
                        '<text x="{x}" y="{ty}" text-anchor="middle" class="chart-inbar">{n}</text>'
                    ).format(x=round(x + w / 2, 1), ty=ty, n=count)
                )
            x += w
        parts.append(
            Markup('<text x="{x}" y="{ty}" class="chart-value">{n}</text>').format(
                x=round(x + 6, 1), ty=ty, n=total
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def legend(items: Sequence[tuple[str, str]]) -> Markup:
    return Markup("").join(
        Markup(
            '<span class="legend-item"><span class="swatch" style="background:{c}"></span>{name}</span>'
        ).format(c=colour, name=name)
        for name, colour in items
    )
