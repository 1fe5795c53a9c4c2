"""Stop-word matching: word forms and ASR slips match, innocent uses do not."""

from __future__ import annotations

import pytest

from scoring import (
    DEFAULT_FORBIDDEN,
    Context,
    PhraseError,
    compile_phrases,
    default_scorecard,
    evaluate,
)
from scoring.morphology import tokenise
from scoring.transcript import Token

DEFAULT = compile_phrases(DEFAULT_FORBIDDEN)


def tokens(text: str) -> list[Token]:
    return [Token(s, n, 0.0, 0.0, 1.0, p, "operator", 0) for s, n, p in tokenise(text)]


def found(text: str, phrases=DEFAULT) -> list[str]:
    return [m.phrase.text for m in phrases.find(tokens(text))]


HITS = [
    ("Перезвоните позже, система не работает.", "перезвоните позже|попозже|потом"),
    ("Перезвоните попозже.", "перезвоните позже|попозже|потом"),
    ("перезвоните пожалуйста позже", "перезвоните позже|попозже|потом"),
    ("Мы не знаем, когда починят.", "не знаю"),
    ("я незнаю", "не знаю"),
    ("Это не ко мне.", "это не ко мне"),
    ("Это вообще не моя проблема.", "это не моя проблема"),
    ("Ждите.", "ждите"),
    ("Вы должны сами это проверить.", "вы должны"),
    ("Короче, у вас подписки.", "короче"),
    ("кароче у вас подписки", "короче"),
    ("Блин, опять зависло.", "блин"),
    ("Типа, подождите.", "типа"),
    ("Я проверил типа всё нормально.", "типа"),
    ("Я как бы проверила.", "как бы"),
    ("Не могу ничего сделать.", "не могу"),
    ("Мы не можем это подключить.", "не могу"),
    ("Щас посмотрю.", "щас"),
    ("Чё у вас случилось?", "чё"),
]


@pytest.mark.parametrize(("text", "phrase"), HITS)
def test_forbidden_phrase_is_found(text, phrase):
    assert phrase in found(text)


INNOCENT = [
    "Какого типа тариф вам нужен?",
    "Смена типа тарифа бесплатна.",
    "Как бы вы хотели получить счёт?",
    "Как бы мне уточнить ваш адрес?",
    "Не могу не отметить вашу внимательность.",
    "Я вам перезвоню позже.",
    "Вы не знаете номер договора?",
    "Вы должны были получить смс.",
    "Вас должны переключить на специалиста.",
    "Подождите, пожалуйста, минуту.",
    "Ожидайте смс с кодом.",
    "Спасибо за обращение, до свидания!",
    "Знаю, как это исправить.",
    "Сейчас посмотрю, одну минуту.",  # «щас» is a slang form of «сейчас»: only «щас» counts
    "Что у вас случилось?",  # nor is «что» the slang «чё»
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_use_is_not_flagged(text):
    assert found(text) == []


def test_custom_list_replaces_the_default():
    custom = compile_phrases(["девушка", "нормально"])
    assert found("Девушка, всё нормально.", custom) == ["девушка", "нормально"]
    assert found("Короче, всё.", custom) == []


@pytest.mark.parametrize(("phrases", "message"), [
    ("не знаю", "list of strings"),
    (["не знаю", ""], "holds no word"),
    (["не знаю", 5], "must be a string"),
    (["...", "ок"], "holds no word"),
    (None, "list of strings"),
])
def test_bad_phrase_list_is_refused(phrases, message):
    with pytest.raises(PhraseError, match=message):
        compile_phrases(phrases)


def test_forbidden_words_verdict_uses_the_context_list(make_call):
    call = make_call([("op", "Здравствуйте."), ("sub", "Вопрос."), ("op", "Ну блин.")])
    card = default_scorecard()
    default = evaluate(call, card).verdicts["forbidden_words"]
    assert default.verdict is False
    assert default.evidence[0].text == "блин"
    assert "стоп-слово" in default.evidence[0].note
    lenient = evaluate(call, card, Context(forbidden=compile_phrases(["короче"])))
    assert lenient.verdicts["forbidden_words"].verdict is True


def test_subscriber_words_do_not_count(make_call):
    call = make_call([("op", "Здравствуйте."), ("sub", "Короче, блин, не знаю."),
                      ("op", "Я проверила.")])
    assert evaluate(call, default_scorecard()).verdicts["forbidden_words"].verdict is True
