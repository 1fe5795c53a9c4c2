"""Each default standard on hand-written calls: met, violated, not applicable.

Texts include ASR-like misspellings («здраствуйте», «панимаю», «назавите»), glued and split
words («досвиданья», «мтс есть») and paraphrases, not just the eval sample's sentences.
"""

from __future__ import annotations

import pytest

from scoring import Context, default_scorecard, evaluate

CARD = default_scorecard()
DIGITS = "Девятьсот пятнадцать, триста, сорок, пятьдесят."


def verdict(call: dict, key: str, **context) -> bool | None:
    result = evaluate(call, CARD, Context(**context)).verdicts[key]
    assert result.evidence, f"{key}: a verdict without evidence"
    assert 0.0 <= result.confidence <= 1.0
    return result.verdict


GREETING = [
    ("full", [("op", "Здравствуйте, компания мтСЕТЬ, меня зовут Анна, чем могу помочь?")],
     "Анна", True),
    ("asr misspelled, split company", [("op", "здраствуйте кампания мтс есть меня завут ана")],
     "Анна", True),
    ("no name known: first name found", [("op", "Добрый вечер, МТСеть, Ольга, слушаю вас.")],
     None, True),
    ("after a hello from both sides",
     [("op", "Алло."), ("sub", "Да."), ("op", "Доброе утро, мтСЕТЬ, оператор Игорь.")],
     "Игорь", True),
    ("brand mangled by ASR after «компания»",
     [("op", "Здравствуйте, компанируем сети, меня зовут она.")], "Анна", True),
    ("operator name mangled", [("op", "Добрый день, компания мтСЕТЬ, пьюля, слушаю вас.")],
     "Юлия", True),
    ("«компаниям» in passing names no company",
     [("op", "Здравствуйте, звоните по всем компаниям, меня зовут Анна.")], "Анна", False),
    ("a carrier named instead of the company",
     [("op", "Здравствуйте, компания МТС, меня зовут Анна.")], "Анна", False),
    ("a longer name that resembles the brand",
     [("op", "Здравствуйте, компания Мегасеть, меня зовут Анна.")], "Анна", False),
    ("a bare near-miss of the brand", [("op", "Добрый день, мусить, Ольга, слушаю вас.")],
     "Ольга", False),
    ("bare yes", [("op", "Да.")], None, False),
    ("listening only", [("op", "Слушаю.")], None, False),
    ("no company, no name", [("op", "Здравствуйте, слушаю вас.")], None, False),
    ("no greeting word", [("op", "Компания мтСЕТЬ, Анна.")], "Анна", False),
    ("greets only after the subscriber spoke",
     [("op", "Да."), ("sub", "Здравствуйте, у меня вопрос по тарифу."),
      ("op", "Здравствуйте, мтСЕТЬ, Анна.")], "Анна", False),
]


@pytest.mark.parametrize(("turns", "name", "expected"), [g[1:] for g in GREETING],
                         ids=[g[0] for g in GREETING])
def test_greeting(make_call, turns, name, expected):
    assert verdict(make_call(turns), "greeting", operator_name=name) is expected


def test_a_near_miss_of_the_brand_is_violated_but_flagged_for_a_listener(make_call):
    """«мусить» for «мтСЕТЬ» is not enough to count as named, and is shown as a hint with
    a low confidence (the QA queue puts unsure verdicts in front of a listener)."""
    call = make_call([("op", "Добрый день, мусить, Ольга, слушаю вас.")])
    result = evaluate(call, CARD, Context(operator_name="Ольга")).verdicts["greeting"]
    assert result.verdict is False and result.confidence <= 0.4
    assert any("похоже на название компании" in e.note and "мусить" in e.text.lower()
               for e in result.evidence)


IDENTIFICATION = [
    ("asked before acting",
     [("sub", "Хочу подключить пакет интернета."), ("op", "Назовите, пожалуйста, номер телефона."),
      ("sub", DIGITS), ("op", "Я подключила пакет.")], True),
    ("asr misspelled request",
     [("sub", "смените мне тариф"), ("op", "назавите пожалуста номер договора"),
      ("sub", DIGITS), ("op", "тариф сменила")], True),
    ("short question", [("sub", "Спишите подписки."), ("op", "Какой номер?"), ("sub", DIGITS),
                        ("op", "Я их отключил.")], True),
    ("code word", [("sub", "Заблокируйте сим-карту."), ("op", "Скажите кодовое слово."),
                   ("sub", "Весна."), ("op", "Номер заблокирован.")], True),
    ("number named, subscriber dictates",
     [("sub", "Спишите подписки."), ("op", "так стоп катрой номер"), ("sub", "3, 17, 05, 06"),
      ("op", "Я их отключил.")], True),
    ("acted without asking",
     [("sub", "Отключите мне подписки."), ("op", "Я отключил все подписки.")], False),
    ("asked only after acting",
     [("sub", "Отключите услугу."), ("op", "Я отключила услугу."),
      ("op", "Назовите, пожалуйста, номер договора.")], False),
    ("subscriber gave the number unasked",
     [("sub", "Мой номер девятьсот пятнадцать сто двадцать три сорок пять, отключите роуминг."),
      ("op", "Роуминг отключила.")], None),
    ("nothing account-specific",
     [("sub", "Не могу настроить интернет."),
      ("op", "Откройте настройки и включите передачу данных.")], None),
    ("brush-off", [("sub", "Не проходят звонки."), ("op", "Перезвоните позже.")], None),
]


@pytest.mark.parametrize(("turns", "expected"), [c[1:] for c in IDENTIFICATION],
                         ids=[c[0] for c in IDENTIFICATION])
def test_identification(make_call, turns, expected):
    assert verdict(make_call([("op", "Здравствуйте.")] + turns), "identification") is expected


EMPATHY = [
    ("acknowledged",
     [("sub", "Это какой-то кошмар, я очень зла!"),
      ("op", "Я понимаю ваше недовольство, давайте разберёмся.")], None, True),
    ("asr misspelled",
     [("sub", "это кашмар я очень зла"), ("op", "панимаю вас мне очень жаль")], None, True),
    ("apology for the trouble",
     [("sub", "Мне обидно, я всегда плачу вовремя."),
      ("op", "Приношу извинения за доставленные неудобства.")], None, True),
    ("complaint lost by ASR, operator acknowledged",
     [("sub", "мартатория крышу птифон"),
      ("op", "Я понимаю ваше недовольство, мне очень жаль.")], None, True),
    ("ignored the complaint",
     [("sub", "Я уже полчаса не могу дозвониться, это невозможно!"),
      ("op", "Какой номер?")], None, False),
    ("brushed off", [("sub", "Мне обидно, я всё оплатила."),
                     ("op", "Это не моя проблема.")], None, False),
    ("factual problem, no feeling",
     [("sub", "У меня списали абонентскую плату дважды."), ("op", "Сейчас проверю.")],
     None, None),
    ("request, not a complaint",
     [("sub", "Не могу настроить интернет, помогите, пожалуйста."),
      ("op", "Откройте настройки.")], None, None),
    ("loud voice makes a mild remark a complaint",
     [("sub", "Добрый день.", {"energy_db": -25.0}),
      ("sub", "Опять списали деньги.", {"energy_db": -12.0}), ("op", "Какой номер?")],
     {"speakers": {"subscriber": {"energy_mean_db": -25.0}}}, False),
    ("same words at a normal level",
     [("sub", "Добрый день.", {"energy_db": -25.0}),
      ("sub", "Опять списали деньги.", {"energy_db": -24.0}), ("op", "Какой номер?")],
     {"speakers": {"subscriber": {"energy_mean_db": -25.0}}}, None),
]


@pytest.mark.parametrize(("turns", "metrics", "expected"), [c[1:] for c in EMPATHY],
                         ids=[c[0] for c in EMPATHY])
def test_empathy(make_call, turns, metrics, expected):
    call = make_call([("op", "Здравствуйте.")] + turns, metrics)
    assert verdict(call, "empathy") is expected


COMPLAINT = "Слушайте, я уже полчаса не могу дозвониться, это невозможно, никто не отвечает!"
INTERRUPTION = [
    ("took turns", [("sub", COMPLAINT), ("op", "Мне очень жаль. Какой номер?")], None, True),
    ("talked over the complaint", [("sub", COMPLAINT), ("op", "Так, стоп, какой номер?",
                                                        {"overlap": 3})], None, False),
    ("overtalk from metrics", [("sub", COMPLAINT), ("op", "Какой номер?")], "operator", False),
    ("only the subscriber talked over", [("sub", COMPLAINT), ("op", "Какой номер?")],
     "subscriber", True),
    ("backchannel is listening", [("sub", COMPLAINT), ("op", "угу", {"overlap": 2})], None, True),
    # ASR heard one word of a 2-second overtalk: the louder voice drowned the operator's
    ("one word heard of a long overtalk", [("sub", COMPLAINT), ("op", "и")], "operator", False),
    ("no subscriber speech", [("op", "Спасибо за обращение.")], None, None),
]


@pytest.mark.parametrize(("turns", "metrics", "expected"), [c[1:] for c in INTERRUPTION],
                         ids=[c[0] for c in INTERRUPTION])
def test_no_interruption(make_call, turns, metrics, expected):
    call = make_call([("op", "Здравствуйте.")] + turns)
    if metrics:  # overtalk measured by speech/: at the last operator segment, by `metrics`
        start = call["segments"][-1]["start"]
        other = "subscriber" if metrics == "operator" else "operator"
        call["metrics"] = {"overtalk": [{"start": start, "end": start + 2.0, "duration": 2.0,
                                         "by": metrics, "over": other}]}
    assert verdict(call, "no_interruption") is expected


RESOLUTION = [
    ("done", "Я подключила пакет, он будет действовать до понедельника.", True),
    ("scheduled", "Я оформил заявку на возврат, деньги вернутся за три дня.", True),
    ("asr misspelled ticket", "я аформил заявку на вазврат", True),
    ("will call back", "Я вам перезвоню завтра до обеда.", True),
    ("passive state", "Услуга уже отключена.", True),
    ("walks through the fix", "Откройте настройки, раздел мобильная сеть, включите передачу.",
     True),
    ("send away", "Перезвоните позже, система не работает.", False),
    ("not my problem", "Это не моя проблема, обращайтесь в бухгалтерию.", False),
    ("refusal", "К сожалению, я не могу подключить эту услугу.", False),
    ("subscriber did it", "Вы сами подключили эту подписку.", False),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in RESOLUTION],
                         ids=[c[0] for c in RESOLUTION])
def test_resolution(make_call, text, expected):
    call = make_call([("op", "Здравствуйте."), ("sub", "У меня вопрос."), ("op", text)])
    assert verdict(call, "resolution") is expected


CLOSING = [
    ("thanks and goodbye", ["Спасибо за обращение, до свидания!"], True),
    ("offer and goodbye", ["Могу я ещё чем-то помочь?", "Всего хорошего!"], True),
    ("glad to help", ["Рада помочь! Хорошего дня!"], True),
    ("asr glued goodbye", ["спасиба за обращение досвиданья"], True),
    ("bare goodbye", ["Всего доброго."], False),
    ("thanks without goodbye", ["Спасибо за обращение."], False),
    ("neither", ["Обращайтесь в бухгалтерию."], False),
]


@pytest.mark.parametrize(("last", "expected"), [c[1:] for c in CLOSING],
                         ids=[c[0] for c in CLOSING])
def test_closing(make_call, last, expected):
    call = make_call([("op", "Здравствуйте."), ("sub", "Вопрос."), ("op", "Я проверила.")]
                     + [("op", t) for t in last])
    assert verdict(call, "closing") is expected


HOLD = [
    ("asked and thanked",
     [("op", "Оставайтесь, пожалуйста, на линии, я уточню условия."),
      ("op", "Спасибо, что дождались. Тариф стоит девятьсот рублей.", {"pause": 14})], None, True),
    ("asr misspelled",
     [("op", "подаждите пожалуста минутку"),
      ("op", "спосибо за ажидание", {"pause": 12})], None, True),
    ("ordered to wait, no thanks",
     [("op", "Ждите."), ("op", "Да, списание двойное.", {"pause": 18})], None, False),
    ("asked, no thanks",
     [("op", "Минуту, я проверю."), ("op", "Списание двойное.", {"pause": 15})], None, False),
    ("hold from metrics", [("op", "Подождите, пожалуйста."), ("op", "Готово.")],
     {"holds": [{"start": 5.0, "end": 20.0, "duration": 15.0}]}, False),
    ("short pause is no hold",
     [("op", "Минуту."), ("op", "Списание двойное.", {"pause": 5})], None, None),
]


@pytest.mark.parametrize(("turns", "metrics", "expected"), [c[1:] for c in HOLD],
                         ids=[c[0] for c in HOLD])
def test_hold_etiquette(make_call, turns, metrics, expected):
    call = make_call([("op", "Здравствуйте."), ("sub", "Вопрос по тарифу.")] + turns, metrics)
    assert verdict(call, "hold_etiquette") is expected


def test_measured_overtalk_counts_even_when_asr_lost_the_words(make_call):
    call = make_call([("op", "Здравствуйте."), ("sub", COMPLAINT)])
    call["metrics"] = {"overtalk": [{"start": 4.0, "end": 6.0, "duration": 2.0,
                                     "by": "operator", "over": "subscriber"}]}
    result = evaluate(call, CARD).verdicts["no_interruption"]
    assert result.verdict is False
    assert "не распознаны" in result.evidence[0].note


@pytest.mark.parametrize(("talk", "expected"), [(3.2, True), (0.0, None), (None, None)])
def test_subscriber_heard_only_by_voice_activity(make_call, talk, expected):
    """ASR lost every subscriber word (a mono mix, a hard voice), the VAD did not."""
    call = make_call([("op", "Добрый день, слушаю вас."), ("op", "Спасибо за обращение.")])
    if talk is not None:
        call["metrics"] = {"speakers": {"operator": {"talk_seconds": 4.0},
                                        "subscriber": {"talk_seconds": talk}}}
    assert verdict(call, "no_interruption") is expected


def test_hold_threshold_comes_from_context(make_call):
    call = make_call([("op", "Минуту."), ("op", "Списание двойное.", {"pause": 5})])
    assert verdict(call, "hold_etiquette", hold_threshold=4.0) is False
