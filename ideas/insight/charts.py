"""Geometry for server-rendered SVG charts. Templates draw it (auto-escaped), each chart with
a title, a description and a data table next to it; no JavaScript and no chart library."""

from __future__ import annotations

from typing import Any


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // magnitude) + 1) * magnitude


def bars(
    rows: list[tuple[str, float]], *, width: int = 640, row_height: int = 36
) -> dict[str, Any]:
    """A horizontal bar chart: one bar per (label, value), the label on its own line above.

    A label beside the bar had 220 px and was cut at the left edge ("ow might we make the
    buses fee…"); above the bar it has the whole width, and the full text stays in <title>.
    """
    plot = width - 60
    top = _nice_max(max((v for _l, v in rows), default=0))
    out = []
    for i, (label, value) in enumerate(rows):
        y = i * row_height
        length = round(plot * value / top, 1) if top else 0
        out.append(
            {
                "label": label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
                "full_label": label,
                "value": value,
                "x": 0,
                "y": y + 16,
                "w": length,
                "h": row_height - 20,
                "label_y": y + 12,
                "text_y": y + row_height - 8,
                "value_x": round(length + 6, 1),
            }
        )
    return {"width": width, "height": max(row_height * len(rows), row_height), "bars": out}


# About 85 characters of 12 px text fit in 640 px.
LABEL_CHARS = 85


def columns(
    values: list[tuple[str, float]], *, width: int = 640, height: int = 200
) -> dict[str, Any]:
    """A column chart over time: one column per (label, value), axis labels a week apart."""
    bottom = height - 24
    plot_h = bottom - 10
    top = _nice_max(max((v for _l, v in values), default=0))
    n = max(len(values), 1)
    step = (width - 40) / n
    cols = []
    for i, (label, value) in enumerate(values):
        h = plot_h * value / top if top else 0
        cols.append(
            {
                "label": label,
                "value": value,
                "x": round(40 + i * step + 1, 1),
                "y": round(bottom - h, 1),
                "w": round(max(step - 2, 1), 1),
                "h": round(h, 1),
                # Every 7th day counted back from the last, so the last day (today) is
                # labelled and no two labels are closer than a week (they overlapped).
                "tick": (n - 1 - i) % 7 == 0,
                "tick_x": round(40 + i * step + step / 2, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "bottom": bottom,
        "top_label": int(top),
        "top_y": 14,
        "columns": cols,
    }


def scatter(points: list[dict[str, Any]], *, size: int = 360) -> dict[str, Any]:
    """Group centres on the opinion map's first two components; circle area ∝ group size."""
    if not points:
        return {"size": size, "points": []}
    xs = [p["x"] for p in points]
    ys = [p["y"] for p in points]
    span = max(max(map(abs, xs)), max(map(abs, ys)), 1e-9)
    largest = max(p["size"] for p in points)
    pad = 60
    half = size / 2
    out = []
    for p in points:
        out.append(
            {
                **p,
                "cx": round(half + (half - pad) * p["x"] / span, 1),
                "cy": round(half - (half - pad) * p["y"] / span, 1),
                "r": round(12 + 36 * (p["size"] / largest) ** 0.5, 1),
            }
        )
    return {"size": size, "half": half, "points": out}
