"""Reading recordings: cheap probing, in-process decoding, resampling.

Accepted: WAV (PCM 16/24/32-bit, float, mu-law, A-law), MP3, OGG (Opus or Vorbis) and FLAC,
8–48 kHz, mono or stereo. libsndfile (``soundfile``) reads first; PyAV (bundled FFmpeg
libraries, no ``ffmpeg`` binary) is the fallback for anything libsndfile refuses.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from .errors import AudioDecodeError

__all__ = [
    "ASR_RATE",
    "DEFAULT_MAX_DURATION",
    "Audio",
    "AudioInfo",
    "decode",
    "probe",
    "resample",
]

ASR_RATE = 16000
DEFAULT_MAX_DURATION = 3 * 3600.0
MIN_RATE, MAX_RATE = 8000, 48000
MAX_CHANNELS = 2
# Loudest 50 ms frame below this (dBFS) means nothing but line noise or digital silence.
SILENCE_PEAK_DB = -40.0

_AUDIO_MAGIC = (b"RIFF", b"RF64", b"ID3", b"OggS", b"fLaC", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
_ACCEPTED = "WAV (PCM, float, mu-law, A-law), MP3, OGG/Opus or FLAC"


@dataclass(frozen=True)
class AudioInfo:
    """What the header says about a recording (no samples decoded).

    :param format: container name, lower case (``wav``, ``mp3``, ``ogg``, ``flac`` ...).
    :param codec: sample encoding (``pcm_16``, ``ulaw``, ``alaw``, ``opus`` ...).
    """

    path: str
    format: str
    codec: str
    channels: int
    sample_rate: int
    duration: float
    size_bytes: int


@dataclass(frozen=True)
class Audio:
    """Decoded samples, float32 in [-1, 1], shape ``(channels, frames)``."""

    samples: np.ndarray
    sample_rate: int
    info: AudioInfo

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / self.sample_rate

    def channel(self, index: int) -> np.ndarray:
        """One channel as a 1-D float32 array."""
        return self.samples[index]

    def mono(self) -> np.ndarray:
        """All channels averaged into one 1-D float32 array."""
        return self.samples.mean(axis=0).astype(np.float32)


def resample(samples: np.ndarray, rate: int, target: int = ASR_RATE) -> np.ndarray:
    """Resample a 1-D signal to ``target`` Hz (soxr, high quality), float32.

    :param samples: 1-D float array.
    :param rate: its sample rate.
    :param target: wanted sample rate.
    """
    if rate == target:
        return np.ascontiguousarray(samples, dtype=np.float32)
    import soxr

    return soxr.resample(samples.astype(np.float32), rate, target, quality="HQ").astype(np.float32)


def _check_file(path: Path) -> int:
    if not path.is_file():
        raise AudioDecodeError(f"{path}: no such file", code="not_found")
    size = path.stat().st_size
    if size == 0:
        raise AudioDecodeError(
            f"{path.name}: the file is empty (0 bytes); upload a recording in {_ACCEPTED}",
            code="empty",
        )
    return size


def _looks_like_audio(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(12)
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] != b"WAVE":
        return False
    return head.startswith(_AUDIO_MAGIC) or (len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0)


def _unreadable(path: Path, detail: str) -> AudioDecodeError:
    if _looks_like_audio(path):
        return AudioDecodeError(
            f"{path.name}: the recording is truncated or damaged ({detail}); "
            f"re-export it as {_ACCEPTED}",
            code="corrupt",
        )
    return AudioDecodeError(
        f"{path.name}: not a recording we can read; accepted formats are {_ACCEPTED}",
        code="unsupported_format",
    )


def _wav_truncated(path: Path, size: int) -> bool:
    """A RIFF/WAVE file whose ``data`` chunk claims more bytes than the file holds was cut off."""
    import struct

    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"data":
                return chunk_size not in (0, 0xFFFFFFFF) and pos + 8 + chunk_size > size
            pos += 8 + chunk_size + (chunk_size & 1)
    return False


def _probe_soundfile(path: Path, size: int) -> AudioInfo | None:
    if _wav_truncated(path, size):
        raise _unreadable(path, "the WAV file is truncated: its data chunk is longer than the file")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, ValueError):
        return None
    frames = info.frames
    if frames <= 0 or frames >= 2**62:  # libsndfile reports "unknown length" as a huge count
        return None
    return AudioInfo(
        path=str(path),
        format=info.format.lower(),
        codec=info.subtype.lower(),
        channels=info.channels,
        sample_rate=info.samplerate,
        duration=frames / info.samplerate,
        size_bytes=size,
    )


def _probe_av(path: Path, size: int) -> AudioInfo:
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                raise _unreadable(path, "no audio stream")
            stream = streams[0]
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            else:
                duration = 0.0
            return AudioInfo(
                path=str(path),
                format=(container.format.name or "").split(",")[0],
                codec=stream.codec_context.name or "",
                channels=stream.codec_context.channels,
                sample_rate=stream.codec_context.sample_rate,
                duration=duration,
                size_bytes=size,
            )
    except AudioDecodeError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise _unreadable(path, str(exc).split(":")[0]) from exc


def _validate(info: AudioInfo, max_duration: float) -> None:
    name = Path(info.path).name
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise AudioDecodeError(
            f"{name}: {info.channels} channels; accepted are mono (1) or stereo (2, operator "
            "and subscriber on separate channels)",
            code="unsupported_channels",
        )
    if not MIN_RATE <= info.sample_rate <= MAX_RATE:
        raise AudioDecodeError(
            f"{name}: sample rate {info.sample_rate} Hz; accepted are 8000–48000 Hz",
            code="unsupported_rate",
        )
    if info.duration > max_duration:
        raise AudioDecodeError(
            f"{name}: {info.duration / 60:.0f} min long; the maximum is "
            f"{max_duration / 60:.0f} min",
            code="too_long",
        )


def probe(path: str | os.PathLike[str], *, max_duration: float = DEFAULT_MAX_DURATION) -> AudioInfo:
    """Read format, channels, rate and duration from the header only, and validate them.

    :param path: recording file.
    :param max_duration: longest accepted recording in seconds (``too_long`` beyond it).
    :raises AudioDecodeError: with ``code`` empty, not_found, corrupt, unsupported_format,
        unsupported_channels, unsupported_rate or too_long.
    """
    path = Path(path)
    size = _check_file(path)
    info = _probe_soundfile(path, size) or _probe_av(path, size)
    _validate(info, max_duration)
    return info


def _decode_soundfile(path: Path) -> tuple[np.ndarray, int] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError):
        return None
    return data.T, rate


def _decode_av(path: Path) -> tuple[np.ndarray, int]:
    import av

    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            rate = stream.codec_context.sample_rate
            channels = stream.codec_context.channels
            layout = "stereo" if channels == 2 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except (av.error.FFmpegError, IndexError, ValueError) as exc:
        if chunks:  # decodable head of a truncated stream: keep what we got
            return np.concatenate(chunks, axis=1).astype(np.float32), rate
        raise _unreadable(path, str(exc).split(":")[0]) from exc
    if not chunks:
        return np.zeros((channels, 0), np.float32), rate
    return np.concatenate(chunks, axis=1).astype(np.float32), rate


def _peak_frame_db(samples: np.ndarray, rate: int) -> float:
    hop = max(1, rate // 20)
    usable = samples.shape[1] // hop * hop
    if usable == 0:
        return -120.0
    frames = samples[:, :usable].reshape(samples.shape[0], -1, hop)
    rms = np.sqrt(np.einsum("cfh,cfh->cf", frames, frames, dtype=np.float64) / hop)
    return float(20 * np.log10(max(rms.max(), 1e-6)))


def decode(
    path: str | os.PathLike[str],
    *,
    max_duration: float = DEFAULT_MAX_DURATION,
    allow_silence: bool = False,
) -> Audio:
    """Decode a recording into float32 samples at its own rate.

    The header is probed and validated first, so an over-long or 5-channel file is refused
    before its samples are read.

    :param path: recording file.
    :param max_duration: longest accepted recording in seconds.
    :param allow_silence: return silent recordings instead of raising ``silence``.
    :raises AudioDecodeError: see :mod:`speech.errors` for the codes.
    """
    path = Path(path)
    info = probe(path, max_duration=max_duration)
    decoded = _decode_soundfile(path) or _decode_av(path)
    samples, rate = decoded
    if samples.shape[1] == 0:
        raise AudioDecodeError(
            f"{path.name}: the recording holds no audio (zero length)", code="empty"
        )
    # one contiguous float32 copy, then cleaned in place: a long call is tens of MiB
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    info = AudioInfo(
        path=info.path,
        format=info.format,
        codec=info.codec,
        channels=samples.shape[0],
        sample_rate=rate,
        duration=samples.shape[1] / rate,
        size_bytes=info.size_bytes,
    )
    _validate(info, max_duration)
    if not allow_silence and _peak_frame_db(samples, rate) < SILENCE_PEAK_DB:
        raise AudioDecodeError(
            f"{path.name}: the recording is silent (no sound above {SILENCE_PEAK_DB:.0f} dBFS); "
            "check the recorder's input",
            code="silence",
        )
    return Audio(samples=samples, sample_rate=rate, info=info)
