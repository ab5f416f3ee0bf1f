"""Small charts drawn as SVG on the server, for the PDFs and the screens (no JavaScript):
a bar chart of one figure per row, with the previous period as a thin bar beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 14, 46


def nice_top(value: int) -> int:
    """The axis' top: four even steps of 1, 2, 2.5 or 5 × 10^n (whole numbers) reaching
    ``value``."""
    if value <= 0:
        return 4
    power = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * power
            if step == int(step) and 4 * step >= value:
                return int(4 * step)
        power *= 10


def bar_chart(labels: Sequence[str], values: Sequence[int], *,
              previous: Sequence[int | None] | None = None,
              text: Callable[[int], str] = str, title: str = "",
              width: int = WIDTH, height: int = HEIGHT) -> str:
    """Bars for ``values`` (one per label), the previous period's as thin grey bars."""
    count = max(1, len(values))
    top = nice_top(max([*values, *[p or 0 for p in previous or []], 0]))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / count
    bar = max(1.0, slot * 0.62)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             'font-family="DejaVu Sans, sans-serif" font-size="10">']
    for step in range(5):
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">'
                     f'{escape(text(top * step // 4))}</text>')
    every = max(1, int(count / max(1, plot_w // 34)) + (1 if count > plot_w // 34 else 0))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        h = plot_h * max(0, value) / top
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}" fill="#2f6fb0"><title>{escape(label)}: '
                     f'{escape(text(value))}</title></rect>')
        if previous is not None and index < len(previous) and previous[index]:
            ph = plot_h * max(0, previous[index] or 0) / top
            parts.append(f'<rect x="{x + bar * 0.7:.1f}" y="{TOP + plot_h - ph:.1f}" '
                         f'width="{max(1.0, bar * 0.3):.1f}" height="{ph:.1f}" fill="#9a9a9a"/>')
        if index % every == 0:
            cx = LEFT + slot * index + slot / 2
            short = label if len(label) <= 14 else label[:13] + "…"
            parts.append(f'<text x="{cx:.1f}" y="{TOP + plot_h + 12}" fill="#333" '
                         f'text-anchor="end" transform="rotate(-35 {cx:.1f} '
                         f'{TOP + plot_h + 12})">{escape(short)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{width - RIGHT}" '
                 f'y2="{TOP + plot_h}" stroke="#333" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)
