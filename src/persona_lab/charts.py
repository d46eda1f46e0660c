"""Small inline SVG charts for the cards: pure functions, no I/O, no randomness.

Charts are strings of SVG put straight into the HTML, so the documents work
offline and print without scripts. Every piece of text is escaped here, since
the template marks the result as safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .models import Theme

# Fill colours by kind; kinds the palette does not know are drawn in slate.
KIND_COLORS = {"pain": "#d64545", "goal": "#2f9e44", "objection": "#e08a00"}
OTHER_COLOR = "#5b6b82"
TRACK_COLOR = "#e9edf2"
TEXT_COLOR = "#27313f"
MUTED_COLOR = "#5f6b7a"

WIDTH = 320
ROW_HEIGHT = 30
BAR_HEIGHT = 9
LABEL_CHARS = 46
COUNT_WIDTH = 44


def shortened(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut at a word boundary to ``limit`` characters, so labels fit one line."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def kind_color(kind: str) -> str:
    return KIND_COLORS.get(kind, OTHER_COLOR)


def _bar_row(index: int, kind: str, label: str, value: int, total: int) -> str:
    """One theme: its label on a line, then a bar as long as its share of participants."""
    top = index * ROW_HEIGHT
    track = WIDTH - COUNT_WIDTH
    length = 0 if total <= 0 else round(track * min(value, total) / total)
    bar_y = top + 15
    return (
        f'<g class="bar bar-{escape(kind)}">'
        f"<title>{escape(label)}: {value} of {total}</title>"
        f'<text x="0" y="{top + 11}" font-size="11" fill="{TEXT_COLOR}">'
        f"{escape(shortened(label))}</text>"
        f'<rect x="0" y="{bar_y}" width="{track}" height="{BAR_HEIGHT}" rx="4" '
        f'fill="{TRACK_COLOR}"/>'
        f'<rect x="0" y="{bar_y}" width="{max(length, 3)}" height="{BAR_HEIGHT}" rx="4" '
        f'fill="{kind_color(kind)}"/>'
        f'<text x="{WIDTH}" y="{bar_y + BAR_HEIGHT - 1}" font-size="11" text-anchor="end" '
        f'fill="{MUTED_COLOR}">{value}/{total}</text>'
        "</g>"
    )


def bars(rows: Sequence[tuple[str, str, int]], total: int, *, title: str) -> str:
    """Horizontal bars for ``(kind, label, value)`` rows, each out of ``total``.

    An empty ``rows`` gives an empty string, so a template can skip the chart.
    """
    if not rows:
        return ""
    height = len(rows) * ROW_HEIGHT
    body = "".join(
        _bar_row(i, kind, label, value, total) for i, (kind, label, value) in enumerate(rows)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-label="{escape(title)}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def theme_bars(themes: Sequence[Theme], participants: int, *, title: str) -> str:
    """A persona's themes, in the order given, by distinct participants out of its own."""
    rows = [(t.kind, t.label, t.participants) for t in themes]
    return bars(rows, participants, title=title)
