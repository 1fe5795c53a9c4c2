"""Server-side SVG charts: whole axis labels and a readable number of value ticks."""

import re

from app import charts


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_line_chart_keeps_day_labels_whole_and_few_value_ticks():
    days = [f"{d:02d}.11" for d in range(1, 31)]
    svg = charts.line_chart(days, {"Баллы за день": [10 * d for d in range(30)]})
    labels = texts(svg)
    assert "01.11" in labels and "28.11" in labels and not any("…" in t for t in labels)
    ticks = [t for t in labels if t.isdigit()]
    assert 3 <= len(ticks) <= 7, ticks


def test_bar_chart_keeps_long_labels_whole():
    svg = charts.bar_chart(["Приветствие", "Идентификация абонента"], {"Доля": [0.9, 0.8]})
    assert "Идентификация абонента" in texts(svg)
