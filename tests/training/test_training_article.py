"""Articles, Markdown rendering, change detection and the demo catalogue (training.article)."""

from __future__ import annotations

from datetime import date

import pytest

from training import (
    ARTICLES,
    CARRIERS,
    TOPICS,
    Article,
    ArticleError,
    articles_for,
    material_change,
    plain_text,
    render_markdown,
)


@pytest.mark.parametrize(
    ("md", "present", "absent"),
    [
        ("**жирный**", "<strong>жирный</strong>", ""),
        ("<script>alert(1)</script>", "&lt;script&gt;", "<script>"),
        ("<div onclick='x()'>блок</div>", "&lt;div", "<div"),
        ("текст <img src=x onerror=alert(1)>", "&lt;img", "<img"),
        ("[ссылка](javascript:alert(1))", 'href="#"', "javascript"),
        ("[ссылка](JavaScript:alert(1))", 'href="#"', "JavaScript"),
        ("[ссылка](data:text/html,x)", 'href="#"', "data:"),
        ("[ссылка](https://kb.example/a)", 'href="https://kb.example/a"', ""),
        ("[ссылка](/kb/mts-apn)", 'href="/kb/mts-apn"', ""),
        ("[звонок](tel:+78001234567)", 'href="tel:+78001234567"', ""),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>", ""),
        ("```\ncode <b>\n```", "code &lt;b&gt;", "<b>"),
        ("a & b", "a &amp; b", ""),
    ],
)
def test_render_markdown_is_safe(md: str, present: str, absent: str) -> None:
    rendered = render_markdown(md)
    assert present in rendered
    if absent:
        assert absent not in rendered


def test_plain_text_drops_markup_but_keeps_escaped_html_as_text() -> None:
    assert plain_text("# Заголовок\n\n**Жирный** & <b>x</b>") == "Заголовок. Жирный & <b>x</b>"
    assert plain_text("## Частые вопросы?\nДа.") == "Частые вопросы? Да."  # a stop only where none is


def test_plain_text_puts_no_space_before_punctuation_but_keeps_blocks_apart() -> None:
    md = "**450 ₽ в месяц**, *2 ₽/мин*.\n\n- один\n- два\n\n| A | B |\n|---|---|\n| x | y |\n\n> конец"
    assert plain_text(md) == "450 ₽ в месяц, 2 ₽/мин. один два A B x y конец"


@pytest.mark.parametrize(
    ("old", "new", "material"),
    [
        ("Абонплата 450 ₽ в месяц.", "Абонплата 500 ₽ в месяц.", True),
        ("Пакет 15 ГБ.", "Пакет 15,5 ГБ.", True),
        ("Минута 1,8 ₽.", "Минута 1.8 ₽.", False),
        ("Команда *102#.", "Команда *103#.", True),
        ("Абонплата 450 ₽ в месяц.", "Абонплата  450 ₽ в **месяц**.", False),
        ("Абонплата 450 ₽ в месяц.", "абонплата 450 ₽ в месяц", False),
        ("Раздача доступна бесплатно на этом тарифе.",
         "Раздача недоступна: опция не подключается ни на одном тарифе.", True),
        ("Длинный текст о том, как настроить интернет на телефоне Android вручную.",
         "Длинный текст о том, как настроить интернет на смартфоне Android вручную.", False),
        ("", "", False),
        ("", "Новая статья о роуминге.", True),
    ],
)
def test_material_change(old: str, new: str, material: bool) -> None:
    assert material_change(old, new) is material


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"carrier": "tele2"}, "unknown carrier 'tele2'"),
        ({"topic": "misc"}, "unknown topic 'misc'"),
        ({"title": "  "}, "needs a title"),
    ],
)
def test_article_validation(fields: dict[str, object], fragment: str) -> None:
    base: dict[str, object] = {"carrier": "mts", "topic": "tariffs", "title": "T", "body_md": ""}
    with pytest.raises(ArticleError, match=fragment):
        Article(**{**base, **fields})  # type: ignore[arg-type]


def test_catalogue_shape() -> None:
    assert 35 <= len(ARTICLES) <= 45
    assert len({a.slug for a in ARTICLES}) == len(ARTICLES)
    assert all(a.slug and a.tags and a.effective_from >= date(2025, 1, 1) for a in ARTICLES)
    for carrier in CARRIERS:
        topics = {a.topic for a in ARTICLES if a.carrier == carrier}
        assert {"tariffs", "options", "roaming", "devices"} <= topics, carrier
    assert {a.topic for a in ARTICLES} == set(TOPICS)


def test_every_article_with_prices_says_they_are_invented() -> None:
    for article in ARTICLES:
        if "₽" in article.body_md:
            assert "вымышлен" in article.body_md, article.slug


@pytest.mark.parametrize(
    ("carrier", "apn"),
    [("mts", "internet.mts.ru"), ("megafon", "`internet`"), ("beeline", "internet.beeline.ru")],
)
def test_apn_articles_for_android_and_iphone(carrier: str, apn: str) -> None:
    setup = [a for a in ARTICLES if a.carrier == carrier and a.topic == "devices"]
    assert {"android", "iphone"} <= {tag for a in setup for tag in a.tags}
    assert all(apn in a.body_md for a in setup)


def test_service_rules_cover_the_required_operations() -> None:
    titles = " ".join(a.title.lower() for a in ARTICLES if a.carrier is None)
    for needed in ("возврат", "перенос номера", "замена sim", "блокировка утерянной sim"):
        assert needed in titles


def test_articles_render_and_filter_by_carrier() -> None:
    for article in ARTICLES:
        assert "<" in render_markdown(article.body_md)
    mts = articles_for("mts")
    assert {a.carrier for a in mts} == {"mts", None}
    assert {a.carrier for a in articles_for(None)} == {None}
