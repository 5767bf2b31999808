"""A small SVG chart per indicator: its value per term beside the problem, with the baseline and the target.

Drawn only from the values the indicator shows (published, rounded); a hidden term is a gap in the line with
its label ("–"), never a guessed value. Presentation attributes only (the CSP refuses inline style).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from varna.analysis.selectors import IndicatorView, format_number

LINE, BASELINE, TARGET, TEXT, HIDDEN = "#1e5aa8", "#4b5563", "#15803d", "#1f2937", "#9ca3af"
_counter = 0


def indicator_chart(view: IndicatorView) -> SafeString:
    global _counter
    _counter += 1
    ident = f"indicator-chart-{_counter}"
    width, height, left, right, top, bottom = 360, 150, 36, 12, 14, 34
    points = view.points
    values = [p.value for p in points if p.value is not None]
    guides = [v for v in (view.baseline, view.target) if v is not None]
    peak = max([*values, *guides, Decimal(1)])
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(value: Decimal) -> float:
        return top + plot_h - float(plot_h * value / peak)

    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{TEXT}"/>',
            f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{TEXT}">{escape(format_number(peak))}</text>',
            f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" fill="{TEXT}">0</text>']
    for value, colour, dash in ((view.baseline, BASELINE, "5 3"), (view.target, TARGET, "2 2")):
        if value is not None:
            y = y_of(value)
            body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{colour}" '
                        f'stroke-dasharray="{dash}"/>')
    segment: list[str] = []
    for i, point in enumerate([*points, None]):
        if point is not None and point.value is not None:
            x, y = x_of(i), y_of(point.value)
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}"/>')
        else:
            if len(segment) > 1:
                body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
            segment = []
            if point is not None:
                body.append(f'<text x="{x_of(i):.1f}" y="{top + plot_h - 4}" text-anchor="middle" '
                            f'fill="{HIDDEN}">{escape(point.display)}</text>')
    step = max(1, n // 6)
    for i, point in enumerate(points):
        if i % step == 0 or i == n - 1:
            body.append(f'<text x="{x_of(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="{TEXT}" '
                        f'font-size="10">{escape(point.label)}</text>')
    legend = [f'<text x="{left}" y="{height - 4}" fill="{BASELINE}" font-size="10">- - {escape(_("baseline"))}</text>']
    if view.target is not None:
        legend.append(f'<text x="{left + 110}" y="{height - 4}" fill="{TARGET}" font-size="10">'
                      f'··· {escape(_("target"))}</text>')
    title = view.indicator.name
    desc = _("Line chart of the table beside it: the indicator per term, with the baseline and the target. "
             "A hidden term is a gap.")
    markup = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
              f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart indicator-chart" '
              f'font-family="sans-serif" font-size="11"><title id="{ident}-t">{escape(title)}</title>'
              f'<desc id="{ident}-d">{escape(desc)}</desc>' + "".join(body + legend) + "</svg>")
    # Every text in the SVG went through escape() above.
    return mark_safe(markup)  # noqa: S308 # nosec B308, B703
