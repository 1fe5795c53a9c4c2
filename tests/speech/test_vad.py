import numpy as np
import pytest

from speech.vad import Span, compact, detect_speech

RATE = 8000


def tone_bursts(bursts: list[tuple[float, float]], total: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.normal(0, 0.002, int(total * RATE)).astype(np.float32)
    for a, b in bursts:
        t = np.arange(int(a * RATE), int(b * RATE))
        x[t] += 0.3 * np.sin(2 * np.pi * 200 * t / RATE) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t
                                                                             / RATE))
    return x


@pytest.mark.parametrize("bursts", [
    [(1.0, 2.0)],
    [(0.5, 1.5), (3.0, 4.2), (6.0, 6.8)],
    [(0.2, 5.0)],
])
def test_detect_speech_finds_bursts(bursts):
    spans = detect_speech(tone_bursts(bursts, 8.0), RATE)
    assert len(spans) == len(bursts)
    for span, (a, b) in zip(spans, bursts, strict=True):
        assert span.start == pytest.approx(a, abs=0.2)
        assert span.end == pytest.approx(b, abs=0.2)


def test_noise_only_has_no_speech():
    assert detect_speech(tone_bursts([], 3.0), RATE) == []


def test_compact_maps_back():
    x = np.arange(10 * RATE, dtype=np.float32)
    spans = [Span(1.0, 2.0), Span(5.0, 5.5)]
    stream, spans_map = compact(x, RATE, spans, gap=0.25)
    assert len(stream) == int(1.75 * RATE)
    assert spans_map.to_original(0.5) == pytest.approx(1.5)
    assert spans_map.to_original(1.3) == pytest.approx(5.05)
    assert spans_map.to_original(1.1) == pytest.approx(2.0)  # a gap lands on an edge
    assert spans_map.to_original(1.1, index=1) == pytest.approx(5.0)
    assert spans_map.span_index(1.3) == 1
