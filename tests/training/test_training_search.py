"""Snippets and re-ranking (training.search)."""

from __future__ import annotations

import pytest

from training import ARTICLES, Candidate, highlight, normalise_query, plain_text, rank

TEXT = (
    "Тариф «Связь+ 15» подходит тем, кто много звонит. Абонентская плата — 450 ₽ в месяц "
    "(цены вымышленные). В тариф входит 15 ГБ интернета и 400 минут. Раздача интернета на "
    "другие устройства бесплатна. Роуминг по России без доплат, входящие бесплатны."
)


@pytest.mark.parametrize(
    ("text", "query", "width", "expected"),
    [
        ("Короткий текст про тариф", ["тариф"], 160, "Короткий текст про <mark>тариф</mark>"),
        ("Тарифы и тарифом", ["тариф"], 160, "<mark>Тарифы</mark> и <mark>тарифом</mark>"),
        ("Ёлка и елка", ["елка"], 160, "<mark>Ёлка</mark> и <mark>елка</mark>"),
        ("Нет совпадений", ["тариф"], 160, "Нет совпадений"),
        ("<b>тариф</b> & «цена»", ["тариф"], 160,
         "&lt;b&gt;<mark>тариф</mark>&lt;/b&gt; &amp; «цена»"),
        ("<script>alert(1)</script>", ["script"], 160,
         "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"),
        ("строка\n\n  вторая   тариф", ["тариф"], 160, "строка вторая <mark>тариф</mark>"),
        (TEXT, ["раздача"], 60,
         "…интернета и 400 минут. <mark>Раздача</mark> интернета на другие…"),
        (TEXT, ["тариф"], 40, "<mark>Тариф</mark> «Связь+ 15» подходит тем, кто…"),
        (TEXT, ["роуминг", "бесплатный"], 70,
         "…<mark>бесплатна</mark>. <mark>Роуминг</mark> по России без доплат, входящие "
         "<mark>бесплатны</mark>."),
        (TEXT, ["зеленый"], 30, "Тариф «Связь+ 15» подходит…"),
    ],
)
def test_highlight(text: str, query: list[str], width: int, expected: str) -> None:
    assert highlight(text, query, width) == expected


def test_highlight_prefers_the_window_with_more_distinct_words() -> None:
    text = "тариф " * 30 + "слово " * 30 + "тариф роуминг " + "слово " * 30
    snippet = highlight(text, ["тариф", "роуминг"], 60)
    assert "<mark>роуминг</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_highlight_stays_near_the_width() -> None:
    body = plain_text(ARTICLES[0].body_md) * 3
    snippet = highlight(body, ["интернет"], 120)
    visible = snippet.replace("<mark>", "").replace("</mark>", "")
    assert len(visible) <= 120 + 2
    assert "<mark>" in snippet


def test_rank_boosts_title_matches() -> None:
    candidates = [
        Candidate(1, "Роуминг МТС", "В роуминге раздача интернета платная.", score=1.0),
        Candidate(2, "Раздача интернета на МТС", "Таблица тарифов.", score=0.9),
        Candidate(3, "Детский тариф", "Ничего о запросе.", score=1.5),
    ]
    ranked = rank(candidates, ["раздача", "интернет"])
    assert [r.candidate.id for r in ranked] == [2, 1, 3]
    assert ranked[0].score == pytest.approx(0.9 + 2.0 + 0 + 1.0)


def test_rank_without_query_keeps_database_order() -> None:
    candidates = [Candidate(i, "t", "x", score=1.0) for i in range(3)]
    assert [r.candidate.id for r in rank(candidates, [])] == [0, 1, 2]


def test_search_over_the_catalogue_finds_tethering_despite_typos() -> None:
    from training import vocabulary_of

    vocabulary = vocabulary_of(a.title + " " + plain_text(a.body_md) for a in ARTICLES)
    query = normalise_query("раздача интернеда на мегафоне", vocabulary)
    candidates = [Candidate(a.slug, a.title, plain_text(a.body_md)) for a in ARTICLES]
    assert rank(candidates, query)[0].candidate.id == "megafon-tethering"


PUNCTUATED = "«Тарифы»,тарифом; SIM-карта (карты) — тариф-тариф. Ёлка: елка!"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (["тариф"], "«<mark>Тарифы</mark>»,<mark>тарифом</mark>; SIM-карта (карты) — "
                    "<mark>тариф</mark>-<mark>тариф</mark>. Ёлка: елка!"),
        (["карта", "sim"], "«Тарифы»,тарифом; <mark>SIM</mark>-<mark>карта</mark> "
                           "(<mark>карты</mark>) — тариф-тариф. Ёлка: елка!"),
        (["елка"], "«Тарифы»,тарифом; SIM-карта (карты) — тариф-тариф. <mark>Ёлка</mark>: "
                   "<mark>елка</mark>!"),
    ],
)
def test_highlight_finds_words_inside_punctuated_tokens_cold_and_warm(monkeypatch, query, expected):
    from training import search as search_module

    monkeypatch.setattr(search_module, "_lexicon", search_module._Lexicon())
    assert highlight(PUNCTUATED, query) == expected  # every token new to the lexicon
    assert highlight(PUNCTUATED, query) == expected  # every token known
    monkeypatch.setattr(search_module, "LEXICON_LIMIT", 0)  # the lexicon starts afresh each time
    assert highlight(PUNCTUATED, query) == expected


def test_a_text_seen_before_is_highlighted_as_when_it_was_new(monkeypatch):
    from training import search as search_module

    texts = [
        "Тарифом «Свобода» пользуются многие; тарифы меняются раз в год.",
        "Смена тарифа: тариф-лайт, ТАРИФ «Макс». Про тарифами не пишут.",
        "Здесь ни слова о нём, только о роуминге и роуминг-пакетах.",
    ]
    queries = [["тариф"], ["роуминг", "пакет"], ["тариф", "год"]]
    monkeypatch.setattr(search_module, "_lexicon", search_module._Lexicon())
    first = [[highlight(text, query) for text in texts] for query in queries]
    assert len(search_module._lexicon.texts) == 3  # every text is known now: no more cutting
    assert "<mark>Тарифом</mark>" in first[0][0] and "<mark>ТАРИФ</mark>" in first[0][1]
    assert "<mark>тарифами</mark>" in first[0][1] and "<mark>" not in first[0][2]
    assert [[highlight(text, query) for text in texts] for query in queries] == first
