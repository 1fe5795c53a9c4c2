"""Jinja filters: dates in Moscow time, numbers the Russian way, exam question texts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

import carriers

MOSCOW = ZoneInfo("Europe/Moscow")


def format_datetime(value: datetime | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    if value is None:
        return "—"
    return value.astimezone(MOSCOW).strftime(fmt)


MONTHS_OF = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря")


def format_days(first: date | None, last: date) -> str:
    """A run of days the Russian way: «с 1 по 3 декабря», «с 30 ноября по 4 декабря»,
    «с 29 декабря 2026 по 4 января 2027», «4 декабря»; no first day: «по 4 декабря»."""
    def day(d: date, year: bool = False) -> str:
        return f"{d.day} {MONTHS_OF[d.month - 1]}" + (f" {d.year}" if year else "")

    if first is None:
        return f"по {day(last)}"
    if first == last:
        return day(last)
    if first.year != last.year:
        return f"с {day(first, True)} по {day(last, True)}"
    if first.month == last.month:
        return f"с {first.day} по {day(last)}"
    return f"с {day(first)} по {day(last)}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def format_number(value: float | int | None, digits: int = 0) -> str:
    if not _is_number(value):
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def format_decimal(value: float | int | None, digits: int = 2) -> str:
    """Up to ``digits`` decimals, none when they are zeros, a comma before them: 43,33 · 100 · 0,5."""
    if not _is_number(value):
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return "0" if text in ("-0", "") else text.replace(".", ",")


def format_money(value: float | int | Decimal | None) -> str:
    """Roubles and kopecks the Russian way: 1 245,50 · −300,00."""
    if not _is_number(value):
        return "—"
    text = f"{abs(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return ("\u2212" if value < 0 else "") + text


def format_elapsed(seconds: float | None) -> str:
    """A long span the way people say it: «6 дн. 8 ч», «3 ч 20 мин», «15 мин»."""
    if not _is_number(seconds):
        return "—"
    minutes = int(seconds // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} дн. {hours} ч" if hours else f"{days} дн."
    if hours:
        return f"{hours} ч {mins} мин" if mins else f"{hours} ч"
    return f"{mins} мин"


def format_duration(seconds: float | None) -> str:
    if not _is_number(seconds):
        return "—"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_clock(seconds: float | None) -> str:
    if not _is_number(seconds):
        return ""
    minutes, secs = divmod(float(seconds), 60)
    return f"{int(minutes)}:{secs:04.1f}"


def format_percent(value: float | None) -> str:
    return f"{round(100 * value)}\u202f%" if _is_number(value) else "—"


def plural(count: float | int | None, one: str, few: str, many: str) -> str:
    """The Russian word form for ``count``: ``1 балл``, ``2 балла``, ``5 баллов``, ``21 балл``.

    Pass the forms the phrase needs, e.g. the genitive ones after «из»: ``из 1 балла``,
    ``из 5 баллов`` → ``plural(n, "балла", "баллов", "баллов")``. A fraction takes ``few``
    (``1,5 балла``); a missing count takes ``many``.
    """
    if not _is_number(count):
        return many
    if count != int(count):
        return few
    n = abs(int(count))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def question_text(text: str, text_format: str = "moodle") -> Markup:
    """A question's text as HTML, never trusting an imported file's markup: ``[markdown]``
    rendered (raw HTML in it shown as text, see :func:`training.render_markdown`), a single
    paragraph without its ``<p>`` so it fits a heading; ``[html]`` reduced to its text; the
    others escaped with their line breaks kept."""
    import training

    if text_format == "markdown":
        html = training.render_markdown(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)  # built by render_markdown, which escapes raw HTML
    if text_format == "html":
        return escape(training.strip_html(text))
    return Markup("<br>").join(escape(line) for line in text.strip().splitlines())


def register(app: Flask) -> None:
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_decimal, "decimal")
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_elapsed, "elapsed")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(plural, "plural")
    app.add_template_global(format_days, "format_days")
    app.add_template_filter(question_text, "question_text")
    app.add_template_filter(carriers.carrier_name, "carrier_name")
    app.add_template_global(carriers.CATALOGUE, "carrier_catalogue")
