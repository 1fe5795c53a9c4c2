import numpy as np
import pytest

from speech.analysis import _clean, _Job, _unheard
from speech.hallucinations import collapse_repeats, is_caption
from speech.transcribers import AsrSegment, Word
from speech.vad import Span, SpanMap


@pytest.mark.parametrize("text", [
    "СПОКОЙНАЯ МУЗЫКА", "Субтитры сделал DimaTorzok", "Продолжение следует...",
    "[музыка]", "(смеется)", "ПОДПИСЫВАЙТЕСЬ НА КАНАЛ!", "Редактор субтитров А.Семкин",
    "* * *", "Музыка",
])
def test_captions_are_recognised(text):
    assert is_caption(text)


@pytest.mark.parametrize("text", [
    "Здравствуйте, компания мтСЕТЬ, меня зовут Анна.", "МТС", "Да.",
    "Подключите мне SIM-карту, пожалуйста", "Спасибо за обращение, хорошего дня!",
    "Я хочу отключить музыку вместо гудка, она мне надоела, честно говоря, давно",
])
def test_speech_is_kept(text):
    assert not is_caption(text)


def test_repeats_collapse_to_one():
    words = "и ацепка, ацепка, ацепка, ацепка срочно".split()
    assert collapse_repeats(words, words) == ["и", "ацепка,", "срочно"]
    words = "да да нет да да да".split()
    assert collapse_repeats(words, words) == ["да", "да", "нет", "да"]
    words = "раз два раз два раз два три".split()
    assert collapse_repeats(words, words) == ["раз", "два", "три"]
    assert collapse_repeats([], []) == []


def _words(text, start):
    return tuple(Word(w, start + i * 0.3, start + i * 0.3 + 0.25, 0.9)
                 for i, w in enumerate(text.split()))


def test_clean_drops_captions_and_loops():
    segs = [AsrSegment(0, 2, "Да да да да", _words("Да да да да", 0)),
            AsrSegment(2, 3, "СПОКОЙНАЯ МУЗЫКА", _words("СПОКОЙНАЯ МУЗЫКА", 2)),
            AsrSegment(3, 4, "Спасибо.", ())]
    out = _clean(segs)
    assert [s.text for s in out] == ["Да", "Спасибо."]


def _job():
    pieces = ((0.0, Span(10, 14)), (4.3, Span(20, 23)), (7.6, Span(30, 32)))
    return _Job(np.zeros(int(9.6 * 16000), np.float32), SpanMap(pieces), "operator")


def test_remainder_after_an_early_stop():
    job = _job()
    asr = [AsrSegment(0, 3.9, "слово", _words("раз два три", 0.5))]
    [rest] = _unheard(job, asr)
    assert [span for _c, span in rest.spans.pieces] == [Span(20, 23), Span(30, 32)]
    assert rest.spans.pieces[0][0] == 0.0
    assert len(rest.stream) == len(job.stream) - int(4.3 * 16000)
    assert rest.spans.to_original(0.5) == pytest.approx(20.5)


def test_head_skipped_by_a_late_first_timestamp():
    job = _job()
    asr = [AsrSegment(7.5, 9.5, "слово", _words("раз два", 7.7))]  # opened at 7.5 s
    [head] = _unheard(job, asr)
    assert [span for _c, span in head.spans.pieces] == [Span(10, 14), Span(20, 23)]
    assert len(head.stream) == int(7.6 * 16000)
    assert head.spans.to_original(4.5) == pytest.approx(20.2)


def test_head_and_tail_both_come_back():
    job = _job()
    asr = [AsrSegment(4.3, 7.2, "слово", _words("раз два три", 4.4))]
    head, tail = _unheard(job, asr)
    assert [span for _c, span in head.spans.pieces] == [Span(10, 14)]
    assert [span for _c, span in tail.spans.pieces] == [Span(30, 32)]


def test_no_retry_when_all_was_heard_or_nothing_was():
    job = _job()
    assert _unheard(job, [AsrSegment(0, 9.5, "x", _words("раз два", 0.2) + _words("x", 9.0))]) == []
    assert _unheard(job, []) == []
    short = _Job(np.zeros(16000 * 3, np.float32),
                 SpanMap(((0.0, Span(5, 5.5)), (0.9, Span(8, 10)))), "operator")
    assert _unheard(short, [AsrSegment(1.0, 2.5, "x", _words("x", 1.0))]) == []  # 0.5 s: too short
