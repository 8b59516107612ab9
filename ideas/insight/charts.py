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
    rows: list[tuple[str, float]], *, width: int = 640, row_height: int = 28
) -> dict[str, Any]:
    """A horizontal bar chart: one bar per (label, value); the label sits left of the bar."""
    label_width = 220
    plot = width - label_width - 60
    top = _nice_max(max((v for _l, v in rows), default=0))
    out = []
    for i, (label, value) in enumerate(rows):
        y = i * row_height
        out.append(
            {
                "label": label if len(label) <= 32 else label[:31] + "…",
                "value": value,
                "x": label_width,
                "y": y + 4,
                "w": round(plot * value / top, 1) if top else 0,
                "h": row_height - 8,
                "text_y": y + row_height / 2 + 5,
                "value_x": label_width + (plot * value / top if top else 0) + 6,
            }
        )
    return {
        "width": width,
        "height": max(row_height * len(rows), row_height),
        "label_x": label_width - 8,
        "bars": out,
    }


def columns(
    values: list[tuple[str, float]], *, width: int = 640, height: int = 200
) -> dict[str, Any]:
    """A column chart over time: one column per (label, value), axis labels every 7th."""
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
                "tick": i % 7 == 0 or i == n - 1,
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
