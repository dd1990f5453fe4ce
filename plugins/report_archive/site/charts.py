"""Static SVG charts, made at build time (no JavaScript).

Every text in a chart is XML-escaped, so labels taken from reports are safe to inline.
`bar_chart` draws the checklist's bars; `heatmap` and `share_bars` draw the tools'
adoption over semesters at their own size, so their text is as large on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["FONT_PX", "Bar", "HeatRow", "ShareBar", "bar_chart", "heatmap", "share_bars"]


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


# -- adoption charts: drawn at their own size in CSS pixels, never scaled down ---------------

FONT_PX = 12
"""Text size of the adoption charts, in CSS pixels: they are shown at their own size (the
page scrolls a chart wider than the screen sideways), so this is the size a reader sees."""
_CHAR_PX = 7
"""Width of an average character at `FONT_PX`, for fitting labels."""
_ROW_PX = 24
_CELL_PX = 44
_SHADES = (
    (0.0, "#f1f3fa", "#000000"),
    (0.2, "#dde2f4", "#000000"),
    (0.4, "#bcc6ec", "#000000"),
    (0.6, "#97a5e0", "#000000"),
    (0.8, "#3949ab", "#ffffff"),
    (1.0, "#283593", "#ffffff"),
)
"""(highest share, cell colour, text colour): text contrast at least 4.5:1 on every shade."""


@dataclass(frozen=True)
class HeatRow:
    """A row of a heatmap: an entry and its share in each column.

    Attributes:
        label: The row's label.
        href: Where the label links to, or None.
        shares: The share (0 to 1) in each column; None where there is nothing to count.
    """

    label: str
    href: str | None
    shares: Sequence[float | None]


def _shade(share: float) -> tuple[str, str]:
    for top, cell, text in _SHADES:
        if share <= top:
            return cell, text
    return _SHADES[-1][1:]


def _svg_open(width: int, height: int, title: str, description: str, role: str) -> str:
    return (
        f'<svg class="ra-adoption" xmlns="http://www.w3.org/2000/svg" role="{role}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="{FONT_PX}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    )


def heatmap(
    rows: Sequence[HeatRow], columns: Sequence[str], *, title: str, description: str
) -> str:
    """Return an inline SVG heatmap: one row per entry, one column per semester.

    Each cell is shaded by its share and holds it as a whole percentage; each row's label
    links to its `HeatRow.href`. The chart is drawn at its own size in CSS pixels (text at
    `FONT_PX`), with the column labels turned upright.

    Args:
        rows: The rows, top to bottom.
        columns: The columns' labels, left to right.
        title: Accessible name of the chart.
        description: What it shows (its ``<desc>``).
    """
    longest = max((len(r.label) for r in rows), default=4)
    label_px = min(max(longest * _CHAR_PX + 12, 80), 150)
    limit = (label_px - 12) // _CHAR_PX
    head_px = min(max((len(c) for c in columns), default=4), 16) * _CHAR_PX + 10
    width = label_px + _CELL_PX * len(columns) + 2
    height = head_px + _ROW_PX * len(rows) + 2
    out = [_svg_open(width, height, title, description, "group"), '<g aria-hidden="true">']
    for i, column in enumerate(columns):
        x = label_px + i * _CELL_PX + _CELL_PX // 2 + 4
        out.append(
            f'<text class="ra-chart-label" transform="translate({x},{head_px - 6}) rotate(-90)">'
            f"<title>{escape(column)}</title>{escape(_shorten(column, 16))}</text>"
        )
    out.append("</g>")
    for r, row in enumerate(rows):
        out.append(f'<g transform="translate(0,{head_px + r * _ROW_PX})">')
        label = (
            f'<text class="ra-chart-label" x="{label_px - 8}" y="16" text-anchor="end">'
            f"{escape(_shorten(row.label, limit))}</text>"
        )
        if row.href is not None:
            hit = f'<rect width="{label_px}" height="{_ROW_PX}" fill="transparent"/>'
            name = escape(row.label)
            label = f'<a href="{escape(row.href)}" aria-label="{name}">{hit}{label}</a>'
        out.append(label)
        out.append('<g aria-hidden="true" text-anchor="middle">')
        for c, share in enumerate(row.shares):
            x = label_px + c * _CELL_PX
            if share is None:
                out.append(f'<text class="ra-chart-note" x="{x + _CELL_PX // 2}" y="16">–</text>')
                continue
            fill, ink = _shade(share)
            out.append(
                f'<rect x="{x + 1}" y="1" width="{_CELL_PX - 2}" height="{_ROW_PX - 2}" '
                f'fill="{fill}"/><text x="{x + _CELL_PX // 2}" y="16" fill="{ink}">'
                f"{round(100 * share)}</text>"
            )
        out.append("</g></g>")
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class ShareBar:
    """A bar of a share chart.

    Attributes:
        label: Text left of the bar.
        share: The share (0 to 1), or None where there is nothing to count.
        note: Text right of the bar ("12/30").
    """

    label: str
    share: float | None
    note: str


def share_bars(bars: Sequence[ShareBar], *, title: str, description: str) -> str:
    """Return an inline SVG of horizontal bars from 0 to 100 %, one per row.

    Drawn at its own size in CSS pixels (340 wide: it fits a phone), text at `FONT_PX`.

    Args:
        bars: The bars, top to bottom.
        title: Accessible name of the chart.
        description: What it shows (its ``<desc>``).
    """
    label_px, plot_px, note_px = 118, 130, 92
    limit = (label_px - 10) // _CHAR_PX
    width = label_px + plot_px + note_px
    height = _ROW_PX * len(bars) + 2
    out = [_svg_open(width, height, title, description, "img")]
    for i, bar in enumerate(bars):
        y = i * _ROW_PX
        length = round(plot_px * (bar.share or 0), 1)
        share = "–" if bar.share is None else f"{round(100 * bar.share)} %"
        out.append(
            f'<text class="ra-chart-label" x="{label_px - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(_shorten(bar.label, limit))}</text>"
            f'<rect class="ra-chart-track" x="{label_px}" y="{y + 4}" width="{plot_px}" '
            f'height="{_ROW_PX - 8}" rx="2"/>'
            f'<rect class="ra-chart-bar" x="{label_px}" y="{y + 4}" width="{length}" '
            f'height="{_ROW_PX - 8}" rx="2"/>'
            f'<text class="ra-chart-note" x="{label_px + plot_px + 6}" y="{y + 16}">'
            f"{escape(share)} · {escape(bar.note)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
