"""Jinja filters: Russian plural forms and numbers."""

from datetime import date

import pytest
from flask import render_template_string

from app.formatting import format_days, format_number, plural

FORMS = ("балл", "балла", "баллов")


@pytest.mark.parametrize(("count", "word"), [
    (0, "баллов"), (1, "балл"), (2, "балла"), (4, "балла"), (5, "баллов"), (11, "баллов"),
    (12, "баллов"), (14, "баллов"), (21, "балл"), (22, "балла"), (25, "баллов"), (101, "балл"),
    (111, "баллов"), (1_000_002, "балла"), (-1, "балл"), (1.5, "балла"), (None, "баллов"),
])
def test_plural_picks_the_russian_form(count, word):
    assert plural(count, *FORMS) == word


def test_plural_and_number_filters_in_a_template(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ n|number }} {{ n|plural('звонок', 'звонка', 'звонков') }}", n=12345)
    assert html == f"{format_number(12345)} звонков" and html.startswith("12\u202f345")


@pytest.mark.parametrize(
    ("text", "text_format", "html"),
    [
        ("Что **важно** помнить?", "markdown", "Что <strong>важно</strong> помнить?"),
        ("Шаги:\n\n1. раз\n2. два", "markdown", "<p>Шаги:</p>\n<ol>\n<li>раз</li>\n<li>два</li>\n</ol>"),
        ("<b>x</b> **y**", "markdown", "&lt;b&gt;x&lt;/b&gt; <strong>y</strong>"),
        ("<script>alert(1)</script>", "html", "alert(1)"),
        ("Опция <b>«Раздача»</b> &amp; <i>тариф</i>?", "html", "Опция «Раздача» &amp; тариф?"),
        ("Сколько *стоит*?", "moodle", "Сколько *стоит*?"),
        ("Замена SIM:\n- паспорт;\n- <старая> карта", "plain",
         "Замена SIM:<br>- паспорт;<br>- &lt;старая&gt; карта"),
    ],
)
def test_question_text_renders_markdown_and_escapes_the_rest(app, text, text_format, html):
    template = app.jinja_env.from_string("{{ text|question_text(text_format) }}")
    assert template.render(text=text, text_format=text_format) == html



@pytest.mark.parametrize(("value", "text"), [
    (43.333, "43,33"), (100, "100"), (100.0, "100"), (0.5, "0,5"), (0.3333, "0,33"), (0, "0"),
    (-0.001, "0"), (None, "—"),
])
def test_decimal_uses_a_comma_and_drops_zero_decimals(value, text):
    from app.formatting import format_decimal

    assert format_decimal(value) == text


@pytest.mark.parametrize(("first", "last", "text"), [
    (date(2026, 12, 1), date(2026, 12, 3), "с 1 по 3 декабря"),
    (date(2026, 11, 30), date(2026, 12, 4), "с 30 ноября по 4 декабря"),
    (date(2026, 12, 29), date(2027, 1, 4), "с 29 декабря 2026 по 4 января 2027"),
    (date(2026, 12, 4), date(2026, 12, 4), "4 декабря"),
    (None, date(2026, 5, 9), "по 9 мая"),
])
def test_days_are_written_the_russian_way(first, last, text):
    assert format_days(first, last) == text


def test_money_is_written_with_kopecks():
    from decimal import Decimal

    from app.formatting import format_money

    assert format_money(Decimal("245.5")) == "245,50"
    assert format_money(Decimal("-1300")) == "\u22121\u202f300,00"
    assert format_money(None) == "—"


@pytest.mark.parametrize(("seconds", "text"), [
    (549_000, "6 дн. 8 ч"), (12_000, "3 ч 20 мин"), (900, "15 мин"), (86_400, "1 дн."), (7200, "2 ч"),
    (None, "—")])
def test_long_spans_are_said_in_days_hours_and_minutes(seconds, text):
    from app.formatting import format_elapsed

    assert format_elapsed(seconds) == text
