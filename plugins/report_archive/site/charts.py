"""Static SVG bar charts, made at build time (no JavaScript).

Every text in a chart is XML-escaped, so labels taken from reports are safe to inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "bar_chart"]


@dataclass(frozen=True)
class Bar:
    """One bar.

    Attributes:
        label: Text left of the bar (shortened to fit; the full text is the tooltip).
        value: The bar's value.
        note: Text right of the bar (defaults to the value).
    """

    label: str
    value: float
    note: str = ""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    maximum: float,
    title: str,
    width: int = 760,
    bar_height: int = 16,
    gap: int = 6,
    label_width: int = 360,
) -> str:
    """Return an inline SVG horizontal bar chart.

    Args:
        bars: The bars, top to bottom.
        maximum: The value of a full-length bar (at least 1 is used).
        title: Accessible title of the chart.
        width: Width in pixels.
        bar_height: Height of one bar.
        gap: Space between bars.
        label_width: Width of the label column.

    Returns:
        An ``<svg>`` element as a string.
    """
    maximum = max(maximum, 1)
    note_width = 70
    plot = max(width - label_width - note_width, 40)
    step = bar_height + gap
    height = max(step * len(bars) + gap, step)
    limit = max(label_width // 7, 8)
    out = [
        f'<svg class="ra-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = gap + i * step
        length = round(plot * max(bar.value, 0) / maximum, 1)
        text_y = y + bar_height - 4
        note = bar.note or f"{bar.value:g}"
        out.append(
            f"<g><title>{escape(bar.label)}: {escape(note)}</title>"
            f'<text class="ra-chart-label" x="{label_width - 8}" y="{text_y}" '
            f'text-anchor="end">{escape(_shorten(bar.label, limit))}</text>'
            f'<rect class="ra-chart-track" x="{label_width}" y="{y}" width="{plot}" '
            f'height="{bar_height}" rx="2"/>'
            f'<rect class="ra-chart-bar" x="{label_width}" y="{y}" width="{length}" '
            f'height="{bar_height}" rx="2"/>'
            f'<text class="ra-chart-note" x="{label_width + plot + 6}" y="{text_y}">'
            f"{escape(note)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)
