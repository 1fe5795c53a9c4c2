"""Small numpy signal features: YIN pitch on chosen frames, log-mel MFCC.

Written here instead of calling librosa because librosa's ``yin`` goes through numba: the
first call compiles for seconds and the JIT keeps ~200 MiB resident in every worker, while
these few FFTs need neither. Only the frames that are asked for are analysed (the voiced
ones), which on a call is about half of them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["mfcc", "yin"]

_BATCH = 2048  # frames per FFT batch (keeps temporary arrays to a few MiB)
_YIN_BATCH = 512  # YIN's float64 lag matrices are ~2 MiB each at this size


def yin(samples: np.ndarray, rate: int, frames: np.ndarray, hop: int, *, fmin: float = 65.0,
        fmax: float = 400.0, frame_length: int | None = None,
        threshold: float = 0.1) -> np.ndarray:
    """YIN f0 (Hz) of the frames centred at ``(frames + 0.5) * hop`` samples.

    :param samples: 1-D signal.
    :param rate: its sample rate.
    :param frames: indices of the frames to analyse (e.g. the voiced 20 ms frames).
    :param hop: frame step in samples.
    :param fmin: lowest f0 searched; sets the longest lag.
    :param fmax: highest f0 searched; sets the shortest lag.
    :param frame_length: analysis window (default: two periods of ``fmin`` plus margin).
    :param threshold: absolute threshold on the cumulative mean normalised difference.
    :returns: f0 per requested frame (float32; NaN where nothing periodic was found).
    """
    frames = np.asarray(frames, np.int64)
    out = np.full(len(frames), np.nan, np.float32)
    if len(frames) == 0 or len(samples) == 0:
        return out
    min_lag = max(2, int(np.floor(rate / fmax)))
    max_lag = int(np.ceil(rate / fmin))
    win = frame_length // 2 if frame_length else max_lag + 8
    span = win + max_lag + 1  # samples one frame looks at
    n_fft = 1 << int(np.ceil(np.log2(span)))
    pad = np.pad(np.asarray(samples, np.float32), (span, span))
    lags = np.arange(max_lag + 1)
    for b in range(0, len(frames), _YIN_BATCH):
        idx = frames[b:b + _YIN_BATCH]
        starts = idx * hop + hop // 2 - span // 2 + span  # window start in padded signal
        block = pad[starts[:, None] + np.arange(span)[None, :]].astype(np.float64)
        head = np.zeros_like(block)
        head[:, :win] = block[:, :win]
        acf = np.fft.irfft(np.conj(np.fft.rfft(head, n_fft)) * np.fft.rfft(block, n_fft),
                           n_fft)[:, :max_lag + 1]
        energy = np.cumsum(np.concatenate([np.zeros((len(idx), 1)), block ** 2], axis=1), axis=1)
        e_lag = energy[:, lags + win] - energy[:, lags]  # energy of block[tau:tau+win]
        diff = np.maximum(e_lag[:, :1] + e_lag - 2 * acf, 0.0)
        cum = np.cumsum(diff[:, 1:], axis=1)
        cmnd = np.ones_like(diff)
        cmnd[:, 1:] = diff[:, 1:] * lags[1:] / np.maximum(cum, 1e-12)
        part = cmnd[:, min_lag:max_lag + 1]
        trough = np.zeros_like(part, bool)
        trough[:, 1:-1] = (part[:, 1:-1] <= part[:, :-2]) & (part[:, 1:-1] <= part[:, 2:])
        ok = trough & (part < threshold)
        has = ok.any(axis=1)
        pos = np.where(has, ok.argmax(axis=1), part.argmin(axis=1))
        rows = np.arange(len(idx))
        # parabolic interpolation around the chosen lag
        p = np.clip(pos, 1, part.shape[1] - 2)
        left, mid, right = part[rows, p - 1], part[rows, p], part[rows, p + 1]
        denom = left - 2 * mid + right
        shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(
            np.abs(denom) > 1e-12, denom, 1.0), 0.0)
        shift = np.where(pos == p, np.clip(shift, -1, 1), 0.0)
        period = pos + min_lag + shift
        periodic = part[rows, pos] < 0.5  # aperiodic frames (noise) get no pitch
        valid = periodic & (e_lag[:, 0] > 1e-10)
        out[b:b + len(idx)] = np.where(valid, rate / period, np.nan)
    return out


def _mel_filters(rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    def mel(f: np.ndarray | float) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(fmin), mel(fmax), n_mels + 2))
    bins = np.fft.rfftfreq(n_fft, 1.0 / rate)
    lower = (bins[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - bins[None, :]) / (edges[2:, None] - edges[1:-1, None])
    weights = np.maximum(0.0, np.minimum(lower, upper))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]


def mfcc(samples: np.ndarray, rate: int, hop: int, *, n_mfcc: int = 14, n_fft: int = 512,
         n_mels: int = 40, fmin: float = 100.0, fmax: float = 3800.0) -> np.ndarray:
    """MFCC matrix ``(n_mfcc, frames)``, frame ``i`` centred at ``i * hop`` samples.

    :param samples: 1-D signal.
    :param rate: its sample rate.
    :param hop: frame step in samples.
    """
    from scipy.fft import dct

    x = np.pad(np.asarray(samples, np.float32), (n_fft // 2, n_fft // 2))
    n = 1 + max(0, (len(x) - n_fft) // hop)
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)
    filters = _mel_filters(rate, n_fft, n_mels, fmin, min(fmax, rate / 2)).astype(np.float32)
    out = np.empty((n_mfcc, n), np.float32)
    for b in range(0, n, _BATCH):
        idx = np.arange(b, min(n, b + _BATCH))
        frames = x[idx[:, None] * hop + np.arange(n_fft)[None, :]] * window
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        logmel = 10 * np.log10(np.maximum(power @ filters.T, 1e-10))
        out[:, idx] = dct(logmel, type=2, norm="ortho", axis=1)[:, :n_mfcc].T
    return out
