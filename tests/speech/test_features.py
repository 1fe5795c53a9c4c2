import numpy as np
import pytest

from speech.features import mfcc, yin


@pytest.mark.parametrize(("rate", "f0"), [(8000, 110.0), (8000, 230.0), (16000, 150.0)])
def test_yin_finds_the_pitch_of_a_harmonic_tone(rate, f0):
    t = np.arange(rate) / rate
    x = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in (1, 2, 3)).astype(np.float32)
    hop = rate // 50
    est = yin(x, rate, np.arange(5, 45), hop)
    assert np.nanmedian(est) == pytest.approx(f0, rel=0.02)
    assert np.isfinite(est).mean() > 0.9


def test_yin_gives_no_pitch_for_noise_and_silence():
    rate = 8000
    noise = np.random.default_rng(1).standard_normal(rate).astype(np.float32)
    assert np.isnan(yin(noise, rate, np.arange(5, 45), 160)).mean() > 0.8
    assert np.isnan(yin(np.zeros(rate, np.float32), rate, np.arange(5, 45), 160)).all()
    assert len(yin(noise, rate, np.array([], int), 160)) == 0


def test_mfcc_shape_and_separation():
    rate = 8000
    t = np.arange(rate) / rate
    low = np.sin(2 * np.pi * 200 * t).astype(np.float32)
    high = np.sin(2 * np.pi * 2000 * t).astype(np.float32)
    a, b = mfcc(low, rate, 80, n_fft=256), mfcc(high, rate, 80, n_fft=256)
    assert a.shape == (14, 101)
    assert np.linalg.norm(a.mean(axis=1) - b.mean(axis=1)) > 10
