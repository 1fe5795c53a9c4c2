from pathlib import Path

import numpy as np
import pytest

import speech
from speech.audio import ASR_RATE

FORMATS = [
    ("stereo_pcm16.wav", "wav", 2, 8000),
    ("stereo_mulaw.wav", "wav", 2, 8000),
    ("stereo_alaw.wav", "wav", 2, 8000),
    ("stereo.flac", "flac", 2, 8000),
    ("stereo.mp3", "mp3", 2, 8000),
    ("stereo_opus.ogg", "ogg", 2, 16000),
    ("mono_mixed.wav", "wav", 1, 8000),
    ("mono_pcm24.wav", "wav", 1, 8000),
    ("mono_pcm32.wav", "wav", 1, 8000),
    ("mono_float.wav", "wav", 1, 8000),
    ("mono_48k.wav", "wav", 1, 48000),
    ("mono_22k.flac", "flac", 1, 22050),
]


@pytest.mark.parametrize(("name", "fmt", "channels", "rate"), FORMATS)
def test_decode_every_format(audio_dir: Path, name: str, fmt: str, channels: int, rate: int):
    audio = speech.decode(audio_dir / name)
    assert audio.info.format == fmt
    assert audio.channels == channels
    assert audio.sample_rate == rate
    assert audio.samples.dtype == np.float32
    assert 0.5 < audio.duration < 12
    assert 0.05 < float(np.abs(audio.samples).max()) <= 1.0


@pytest.mark.parametrize(("name", "fmt", "channels", "rate"), FORMATS)
def test_probe_matches_decode(audio_dir: Path, name: str, fmt: str, channels: int, rate: int):
    info = speech.probe(audio_dir / name)
    audio = speech.decode(audio_dir / name)
    assert (info.channels, info.sample_rate) == (channels, rate)
    assert info.duration == pytest.approx(audio.duration, abs=0.1)


@pytest.mark.parametrize(("name", "code"), [
    ("empty.wav", "empty"),
    ("zero_length.wav", "empty"),
    ("corrupt.wav", "corrupt"),
    ("truncated.mp3", "corrupt"),
    ("text_renamed.wav", "unsupported_format"),
    ("image_renamed.wav", "unsupported_format"),
    ("three_channels.wav", "unsupported_channels"),
    ("silence.wav", "silence"),
    ("does_not_exist.wav", "not_found"),
])
def test_decode_refuses_bad_input(audio_dir: Path, name: str, code: str):
    with pytest.raises(speech.AudioDecodeError) as caught:
        speech.decode(audio_dir / name)
    assert caught.value.code == code
    assert name in str(caught.value)
    assert isinstance(caught.value, speech.SpeechError)


def test_messages_say_what_is_accepted(audio_dir: Path):
    with pytest.raises(speech.AudioDecodeError, match="mono .*or stereo"):
        speech.decode(audio_dir / "three_channels.wav")
    with pytest.raises(speech.AudioDecodeError, match="WAV .*MP3.*FLAC"):
        speech.decode(audio_dir / "text_renamed.wav")


def test_too_long_is_refused_from_the_header(audio_dir: Path):
    with pytest.raises(speech.AudioDecodeError) as caught:
        speech.probe(audio_dir / "stereo_pcm16.wav", max_duration=5.0)
    assert caught.value.code == "too_long"


def test_silence_can_be_allowed(audio_dir: Path):
    audio = speech.decode(audio_dir / "silence.wav", allow_silence=True)
    assert audio.channels == 1


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resample_to_16k(rate: int):
    t = np.arange(rate) / rate
    x = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    y = speech.resample(x, rate)
    assert y.dtype == np.float32
    assert len(y) == pytest.approx(ASR_RATE, abs=2)
    assert float(np.sqrt(np.mean(y**2))) == pytest.approx(0.707, abs=0.02)
