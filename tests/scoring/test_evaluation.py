"""evaluate(): robustness to odd transcripts, evidence on every verdict, JSON output."""

from __future__ import annotations

import json

import pytest

from scoring import Context, TranscriptError, default_scorecard, evaluate

CARD = default_scorecard()

GOOD_CALL = [
    ("op", "Здравствуйте, компания мтСЕТЬ, меня зовут Анна, чем могу помочь?"),
    ("sub", "Хочу подключить пакет интернета."),
    ("op", "Назовите, пожалуйста, номер телефона."),
    ("sub", "Девятьсот пятнадцать, триста, сорок, пятьдесят."),
    ("op", "Я подключила пакет, он будет действовать до понедельника."),
    ("op", "Спасибо за обращение, хорошего дня!"),
]


def test_good_call(make_call):
    result = evaluate(make_call(GOOD_CALL), CARD, Context(operator_name="Анна"))
    assert {k: v.verdict for k, v in result.verdicts.items()} == {
        "greeting": True, "identification": True, "empathy": None, "no_interruption": True,
        "resolution": True, "forbidden_words": True, "closing": True, "hold_etiquette": None}
    json.dumps(result.to_dict(), ensure_ascii=False)


def test_every_verdict_has_evidence_with_times(make_call):
    result = evaluate(make_call(GOOD_CALL), CARD)
    for verdict in result.verdicts.values():
        assert verdict.evidence
        for ev in verdict.evidence:
            assert ev.note and 0 <= ev.start <= ev.end


def test_not_applicable_evidence_says_why(make_call):
    ev = evaluate(make_call(GOOD_CALL), CARD).verdicts["empathy"].evidence[0]
    assert ev.note == "абонент не жаловался и не выражал недовольства"


def test_violation_points_at_the_first_turn(make_call):
    call = make_call([("op", "Да."), ("sub", "Здравствуйте.")])
    ev = evaluate(call, CARD).verdicts["greeting"].evidence[0]
    assert (ev.text, ev.speaker, ev.start) == ("Да.", "operator", 0.7)
    assert "нет приветствия" in ev.note


@pytest.mark.parametrize(("call", "note"), [
    ({"segments": []}, "запись пуста"),
    ({}, "запись пуста"),
    ({"segments": [{"speaker": "operator", "start": 0, "end": 1, "text": "  "}]},
     "запись пуста"),
    ({"segments": [{"speaker": "subscriber", "start": 0, "end": 2, "text": "Алло, алло!"}]},
     "нет речи оператора"),
])
def test_no_operator_speech_is_all_not_applicable(call, note):
    result = evaluate(call, CARD)
    assert all(v.verdict is None for v in result.verdicts.values())
    assert all(note in v.evidence[0].note for v in result.verdicts.values())


def test_operator_only_transcript(make_call):
    call = make_call([("op", "Здравствуйте, мтСЕТЬ, Анна."), ("op", "Всего доброго.")])
    verdicts = evaluate(call, CARD, Context(operator_name="Анна")).verdicts
    assert verdicts["greeting"].verdict is True
    assert verdicts["no_interruption"].verdict is None
    assert verdicts["empathy"].verdict is None
    assert verdicts["closing"].verdict is False


def test_text_without_words_is_spread_over_the_segment():
    call = {"segments": [{"speaker": "operator", "start": 0.0, "end": 3.0,
                          "text": "Добрый день, мтСЕТЬ, Ольга."}]}
    ev = evaluate(call, CARD).verdicts["greeting"]
    assert ev.verdict is True
    assert all(0.0 <= e.start <= e.end <= 3.0 for e in ev.evidence)


BAD = [
    ([], "must be an object"),
    ({"segments": "текст"}, "'segments' must be a list"),
    ({"segments": [{"speaker": "agent", "start": 0, "end": 1, "text": "да"}]},
     "accepted: 'operator' or 'subscriber'"),
    ({"segments": [{"speaker": "operator", "start": 2, "end": 1, "text": "да"}]},
     "need 0 <= start <= end"),
    ({"segments": [{"speaker": "operator", "start": "0", "end": 1, "text": "да"}]},
     "must be a finite number"),
    ({"segments": [{"speaker": "operator", "start": 0, "end": 1, "text": 5}]},
     "text must be a string"),
    ({"segments": [{"speaker": "operator", "start": 0, "end": 1, "text": "да",
                    "words": [{"start": 0}]}]}, "string 'w'"),
    ({"segments": [], "metrics": {"holds": "long"}}, "metrics.holds must be a list"),
    ({"segments": [], "metrics": []}, "'metrics' must be an object"),
]


@pytest.mark.parametrize(("call", "message"), BAD)
def test_malformed_call_raises_transcript_error(call, message):
    with pytest.raises(TranscriptError, match=message):
        evaluate(call, CARD)


def test_segments_out_of_order_are_sorted(make_call):
    call = make_call(GOOD_CALL)
    call["segments"].reverse()
    result = evaluate(call, CARD, Context(operator_name="Анна"))
    assert result.verdicts["greeting"].verdict is True
