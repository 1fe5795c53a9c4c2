import numpy as np
import pytest

from speech.acoustics import find_holds, find_overtalk, measure_contour, speaker_metrics
from speech.call import Segment
from speech.transcribers import Word
from speech.vad import Span


def test_holds_and_silence_share():
    activity = {"operator": [Span(0, 5), Span(30, 35)], "subscriber": [Span(6, 8)]}
    holds, share = find_holds(activity, 40.0, threshold=10.0)
    assert len(holds) == 1
    assert holds[0].start == pytest.approx(8.0, abs=0.03)
    assert holds[0].end == pytest.approx(30.0, abs=0.03)
    assert share == pytest.approx((1 + 22 + 5) / 40, abs=0.01)
    assert find_holds(activity, 40.0, threshold=30.0)[0] == []


@pytest.mark.parametrize(("op", "sub", "expected"), [
    ([Span(0, 5)], [Span(4, 8)], [(4, 5, "subscriber", "operator")]),
    ([Span(3, 6)], [Span(0, 4)], [(3, 4, "operator", "subscriber")]),
    ([Span(0, 5)], [Span(5.1, 8)], []),
    ([Span(0, 5)], [Span(4.9, 8)], []),  # under 0.3 s: padding, not overtalk
])
def test_overtalk_says_who_started(op, sub, expected):
    found = find_overtalk({"operator": op, "subscriber": sub})
    assert [(o.start, o.end, o.by, o.over) for o in found] == expected


def test_pitch_and_metrics_of_a_tone():
    rate = 8000
    t = np.arange(3 * rate) / rate
    f = 150 * 2 ** (2 * np.sin(2 * np.pi * 0.5 * t) / 12)  # ±2 semitones
    x = (0.3 * np.sin(2 * np.pi * np.cumsum(f) / rate)).astype(np.float32)
    contour = measure_contour(x, rate, [Span(0, 3)])
    assert contour.segment_pitch(0, 3) == pytest.approx(150, rel=0.05)
    words = tuple(Word("слово", i * 0.3, i * 0.3 + 0.25, 0.9) for i in range(10))
    seg = Segment("operator", 0.0, 3.0, "слово " * 10, words)
    metrics = speaker_metrics({"operator": [Span(0, 3)], "subscriber": [Span(3, 4)]},
                              [seg], {"operator": contour})
    op = metrics["operator"]
    assert op.talk_share == pytest.approx(0.75)
    assert op.speech_rate_wpm == pytest.approx(200)
    assert op.pitch_mean_hz == pytest.approx(150, rel=0.05)
    assert 0.5 < op.pitch_std_st < 3.0
    assert 0 <= op.liveliness <= 1
    assert metrics["subscriber"].pitch_mean_hz is None
