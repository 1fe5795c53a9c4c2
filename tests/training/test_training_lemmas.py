"""Russian normalisation for search (training.lemmas)."""

from __future__ import annotations

import pytest

from training import (
    ARTICLES,
    STOP_WORDS,
    lemmatise,
    normalise,
    normalise_query,
    plain_text,
    tokenise,
    vocabulary_of,
)

VOCABULARY = vocabulary_of(a.title + " " + plain_text(a.body_md) for a in ARTICLES)


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("тарифы", ["тариф"]),
        ("тарифом", ["тариф"]),
        ("тарифа", ["тариф"]),
        ("Тарифами", ["тариф"]),
        ("ТАРИФЕ", ["тариф"]),
        ("Ёлки и елки", ["елка", "елка"]),
        ("роуминге за границей", ["роуминг", "граница"]),
        ("Сим-карту заблокировали", ["sim", "карта", "заблокировать"]),
        ("симку", ["sim"]),
        ("SIM-карта и симка", ["sim", "карта", "sim"]),
        ("есим и eSIM", ["esim", "esim"]),
        ("APN internet.mts.ru", ["apn", "internet", "mts", "ru"]),
        ("450 ₽ в месяц", ["450", "месяц"]),
        ("и в на с по не что это", []),
        ("", []),
        ("«Связь+ 15»!!!", ["связь", "15"]),
    ],
)
def test_normalise(text: str, lemmas: list[str]) -> None:
    assert normalise(text) == lemmas


def test_stop_words_are_lemmas_without_yo() -> None:
    assert all("ё" not in word and word == word.lower() for word in STOP_WORDS)
    assert lemmatise("Ещё") == "еще"


def test_tokens_keep_offsets_of_the_original_text() -> None:
    text = "Тариф «Зелёный 20»"
    assert [(text[t.start:t.end], t.lemma) for t in tokenise(text)] == [
        ("Тариф", "тариф"), ("Зелёный", "зеленый"), ("20", "20"),
    ]


@pytest.mark.parametrize(
    ("query", "lemmas"),
    [
        ("тарив", ["тариф"]),
        ("тарфи", ["тариф"]),
        ("интернед", ["интернет"]),
        ("раздачя интернета", ["раздача", "интернет"]),
        ("перинос номера", ["перенос", "номер"]),
        ("роумнг", ["роуминг"]),
        ("блакировка симки", ["блокировка", "sim"]),
        ("потерял симку", ["потерять", "sim"]),  # a real word the index lacks is kept
        ("проверять", ["проверять"]),
        ("пороверять", ["проверять"]),
        ("тарифы МТС", ["тариф", "мтс"]),
        ("гб", ["гб"]),
        ("450", ["450"]),
        ("абракадабра", ["абракадабра"]),
        ("как не платить за роуминг", ["платить", "роуминг"]),
    ],
)
def test_normalise_query_corrects_typos(query: str, lemmas: list[str]) -> None:
    assert normalise_query(query, VOCABULARY) == lemmas


def test_without_vocabulary_there_is_no_correction() -> None:
    assert normalise_query("тарив") == normalise("тарив") != ["тариф"]


def test_correction_is_deterministic_and_prefers_fewer_edits() -> None:
    vocabulary = {"тариф", "тарифы", "тарих", "архив"}
    assert normalise_query("тарив", vocabulary) == ["тариф"]
    assert normalise_query("тарив", sorted(vocabulary, reverse=True)) == ["тариф"]
    assert normalise_query("тарих", vocabulary) == ["тарих"]
