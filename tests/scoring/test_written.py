"""A chat judged as writing: spoken standards are not applicable, the written ones apply."""

from __future__ import annotations

import pytest

from scoring import Context, chat_scorecard, default_scorecard, evaluate


def chat(*messages: tuple[str, float, str]) -> dict:
    """Messages as (speaker, seconds from the start, text), the way the app hands a chat over."""
    metrics = {"medium": "chat", "holds": [], "overtalk": []}
    return {"duration": max(t for _, t, _ in messages), "metrics": metrics,
            "segments": [{"speaker": who, "start": t, "end": t, "text": text, "words": []}
                         for who, t, text in messages]}


GOOD = chat(("subscriber", 0, "Здравствуйте, не работает роуминг в Турции"),
            ("operator", 40, "Здравствуйте, Пётр! Компания мтСЕТЬ, меня зовут Анна. Сейчас проверю."),
            ("subscriber", 60, "Спасибо"),
            ("operator", 150, "Я подключила опцию «Роуминг», она заработает через пять минут. Спасибо за "
                              "обращение, всего доброго, до свидания!"))
CONTEXT = Context(operator_name="Анна", subscriber_name="Пётр")


def test_a_good_chat_meets_the_written_standards_and_skips_the_spoken_ones():
    verdicts = evaluate(GOOD, chat_scorecard(), CONTEXT).verdicts
    assert {k: v.verdict for k, v in verdicts.items()} == {
        "greeting": True, "identification": None, "empathy": None, "no_interruption": None,
        "resolution": True, "forbidden_words": True, "closing": True, "hold_etiquette": None,
        "reply_time": True, "no_wall_of_text": True, "addressed_by_name": True}
    for key in ("no_interruption", "hold_etiquette"):
        assert verdicts[key].evidence[0].note == "в переписке не оценивается: стандарт о живой речи"
    assert "личность уже подтверждена" in verdicts["identification"].evidence[0].note
    assert verdicts["addressed_by_name"].evidence[0].text == "Пётр"


@pytest.mark.parametrize(("messages", "key", "note"), [
    ((("subscriber", 0, "Добрый день, вопрос по счёту"), ("operator", 400, "Здравствуйте, Пётр! Смотрю.")),
     "reply_time", "ответ через 6,7 мин — дольше 3 мин"),
    ((("subscriber", 0, "Как подключить роуминг?"),
      ("operator", 30, "Здравствуйте, Пётр! " + "Текст статьи. " * 60)),
     "no_wall_of_text", "сообщение из 860 знаков — больше 700: разбейте на короткие"),
    ((("subscriber", 0, "Как подключить роуминг?"), ("operator", 30, "Здравствуйте! Подключу сейчас.")),
     "addressed_by_name", "оператор ни разу не обратился к абоненту по имени (Пётр)"),
])
def test_a_written_standard_is_violated_with_its_evidence(messages, key, note):
    verdict = evaluate(chat(*messages), chat_scorecard(), CONTEXT).verdicts[key]
    assert verdict.verdict is False and verdict.evidence[0].note == note


def test_written_standards_do_not_apply_to_a_call_and_spoken_ones_do():
    call = {**GOOD, "metrics": {}}
    card = chat_scorecard()
    verdicts = evaluate(call, card, CONTEXT).verdicts
    assert [verdicts[k].verdict for k in ("reply_time", "no_wall_of_text", "addressed_by_name")] == [None] * 3
    assert verdicts["no_interruption"].verdict is True  # a call is judged on overtalk
    assert [c.key for c in default_scorecard().criteria] == [c.key for c in card.criteria][:8]


def test_without_the_subscribers_name_addressing_is_not_judged():
    verdict = evaluate(GOOD, chat_scorecard(), Context(operator_name="Анна")).verdicts["addressed_by_name"]
    assert verdict.verdict is None and verdict.evidence[0].note == "имя абонента неизвестно"
