"""Server-side SVG charts (pygal); the page embeds the SVG, no script runs in the browser."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#2b2d42",
    foreground_strong="#2b2d42",
    foreground_subtle="#8d99ae",
    colors=("#ef7d57", "#3a86ff", "#2ec4b6", "#ffbe0b", "#8338ec"),
    font_family="inherit",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)


# whole axis labels («24.11», not «2…»), and a handful of value ticks rather than one every 20
AXES = {"truncate_label": -1, "max_scale": 6, "min_scale": 3}


def _svg(chart: pygal.Graph) -> Markup:
    svg = chart.render(is_unicode=True)
    return Markup(svg)


def bar_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]], *,
              title: str = "", height: int = 260) -> Markup:
    chart = pygal.Bar(style=STYLE, height=height, width=640, title=title or None,
                      show_legend=len(series) > 1, legend_at_bottom=True, js=(),
                      disable_xml_declaration=True, print_values=False, **AXES)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _svg(chart)


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]], *,
               title: str = "", height: int = 260, range_: tuple[float, float] | None = None) -> Markup:
    chart = pygal.Line(style=STYLE, height=height, width=640, title=title or None,
                       show_legend=len(series) > 1, legend_at_bottom=True, js=(),
                       disable_xml_declaration=True, range=range_, dots_size=3,
                       x_label_rotation=0, show_minor_x_labels=False, **AXES)
    chart.x_labels = list(labels)
    chart.x_labels_major = list(labels)[:: max(1, len(labels) // 8)]
    for name, values in series.items():
        chart.add(name, list(values))
    return _svg(chart)
