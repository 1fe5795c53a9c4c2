"""The pipeline: decode → speakers → VAD → transcribe voiced spans in parallel → metrics."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from .acoustics import Contour, find_holds, find_overtalk, measure_contour, speaker_metrics
from .audio import ASR_RATE, DEFAULT_MAX_DURATION, Audio, decode, resample
from .call import CallAnalysis, Segment
from .diarization import OperatorCue, cluster_speakers, greeting_cue
from .errors import AudioDecodeError, SpeechError
from .hallucinations import collapse_repeats, is_caption
from .transcribers import Transcriber, get_transcriber
from .vad import Span, SpanMap, VadConfig, compact, detect_speech

__all__ = ["analyse", "warm_up"]

OPERATOR, SUBSCRIBER = "operator", "subscriber"
_CHANNEL_INDEX = {"left": 0, "right": 1}
# Voiced audio per transcription job: one Whisper window, so jobs spread over both cores.
JOB_SECONDS = 28.0
# Silence between glued voiced spans: 0.4 s (not 0.3) lets Whisper hear a turn change as one.
GAP_SECONDS = 0.4
# Re-decode voiced audio Whisper skipped (before its first or after its last word), if this much.
MIN_REMAINDER = 1.0
MAX_RETRIES = 2


@dataclass(frozen=True)
class _Side:
    label: str
    samples: np.ndarray  # native rate
    rate: int
    spans: list[Span]


@dataclass(frozen=True)
class _Job:
    stream: np.ndarray
    spans: SpanMap
    label: str | None = None  # None: a joint stream, words attributed afterwards


def _split_sides(audio: Audio, operator_channel: str,
                 vad: VadConfig) -> tuple[list[_Side], str]:
    if operator_channel not in _CHANNEL_INDEX:
        raise SpeechError(f"operator_channel must be 'left' or 'right', not {operator_channel!r}",
                          code="bad_option")
    rate = audio.sample_rate
    stereo = audio.channels == 2 and not _same(audio.channel(0), audio.channel(1))
    if stereo:
        op = _CHANNEL_INDEX[operator_channel]
        sides = []
        for label, idx in ((OPERATOR, op), (SUBSCRIBER, 1 - op)):
            x = audio.channel(idx)
            sides.append(_Side(label, x, rate, detect_speech(x, rate, vad)))
        return sides, "channels"
    mono = audio.mono()
    spans = detect_speech(mono, rate, vad)
    clusters = cluster_speakers(mono, rate, spans)
    return [_Side(label, mono, rate, s) for label, s in clusters.items()], "clustering"


def _same(a: np.ndarray, b: np.ndarray, block: int = 1 << 16) -> bool:
    """Both channels carry the same signal (a mono call saved as stereo); blockwise, no copies."""
    return all(np.allclose(a[i:i + block], b[i:i + block], atol=1e-4)
               for i in range(0, len(a), block))


def _asr_job(samples: np.ndarray, rate: int, spans: list[Span], label: str | None) -> _Job:
    """Compact the voiced spans at the native rate, then resample only those to 16 kHz."""
    stream, span_map = compact(samples, rate, spans, GAP_SECONDS)
    return _Job(resample(stream, rate), span_map, label)


Attributor = Callable[[float, float], str]


def _group(spans: list[Span]) -> list[list[Span]]:
    groups: list[list[Span]] = []
    length = 0.0
    for span in spans:
        if groups and length + GAP_SECONDS + span.duration <= JOB_SECONDS:
            groups[-1].append(span)
            length += GAP_SECONDS + span.duration
        else:
            groups.append([span])
            length = span.duration
    return groups


def _per_speaker_jobs(sides: list[_Side]) -> list[_Job]:
    """One compact stream per speaker (each side alone, e.g. clean human stereo)."""
    jobs = []
    for side in sides:
        for group in _group(side.spans):
            jobs.append(_asr_job(side.samples, side.rate, group, side.label))
    return jobs


def _union(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for s in sorted(spans, key=lambda x: x.start):
        if merged and s.start <= merged[-1].end + 0.05:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged


def _joint_jobs(sides: list[_Side]) -> list[_Job]:
    """Voiced spans of both sides, in time order, in one mix (each channel gated to its own
    speech); a turn keeps the conversation before it as context for the decoder."""
    rate = sides[0].rate
    if sides[0].samples is sides[-1].samples:
        mix = sides[0].samples
    else:
        mix = np.zeros(max(len(s.samples) for s in sides), np.float32)
        for side in sides:
            for span in side.spans:
                a, b = int(span.start * rate), int(span.end * rate)
                mix[a:b] += side.samples[a:b]
    return [_asr_job(mix, rate, group, None)
            for group in _group(_union([sp for side in sides for sp in side.spans]))]


_STREAMS: dict[str, Callable[[list[_Side]], list[_Job]]] = {
    "joint": _joint_jobs,
    "per_speaker": _per_speaker_jobs,
}


def _attributor(sides: list[_Side], contours: dict[str, Contour], shared: bool) -> Attributor:
    def overlap(spans: list[Span], a: float, b: float) -> float:
        return sum(max(0.0, min(b, s.end) - max(a, s.start)) for s in spans)

    def attribute(a: float, b: float) -> str:
        b = max(b, a + 0.02)
        ov = {side.label: overlap(side.spans, a, b) for side in sides}
        talking = [k for k, v in ov.items() if v > 0]
        if len(talking) == 1:
            return talking[0]
        if not talking:
            def distance(side: _Side) -> float:
                return min((min(abs(s.start - b), abs(s.end - a)) for s in side.spans),
                           default=1e9)
            return min(sides, key=distance).label
        if shared:  # one mixed signal: levels cannot tell the voices apart
            return max(talking, key=lambda k: ov[k])
        return max(talking, key=lambda k: contours[k].segment_energy(a, b) or -120.0)

    return attribute


def _clean(asr_segments: list[Any]) -> list[Any]:
    """Drop caption hallucinations, collapse looping repeats (see :mod:`speech.hallucinations`)."""
    from .transcribers import AsrSegment

    out = []
    for seg in asr_segments:
        if is_caption(seg.text):
            continue
        if seg.words:
            words = collapse_repeats(seg.words, [w.w for w in seg.words])
            words = [w for w in words if not is_caption(w.w) or len(w.w) < 5]
            if not words:
                continue
            if len(words) != len(seg.words):
                seg = AsrSegment(seg.start, seg.end, " ".join(w.w for w in words), tuple(words))
        else:
            parts = seg.text.split()
            kept = collapse_repeats(parts, parts)
            if len(kept) != len(parts):
                seg = AsrSegment(seg.start, seg.end, " ".join(kept))
        out.append(seg)
    return out


def _segments_of(job: _Job, asr_segments: list[Any], attribute: Attributor) -> list[Segment]:
    from .transcribers import Word

    out: list[Segment] = []
    for seg in _clean(asr_segments):
        groups: list[tuple[tuple[int, str], list[Word]]] = []
        for w in seg.words:
            idx = job.spans.span_index((w.start + w.end) / 2)
            word = Word(w.w, job.spans.to_original(w.start, idx),
                        job.spans.to_original(w.end, idx), w.p)
            key = (idx, job.label or attribute(word.start, word.end))
            if groups and groups[-1][0] == key:
                groups[-1][1].append(word)
            else:
                groups.append((key, [word]))
        if not seg.words and seg.text:
            start, end = job.spans.to_original(seg.start), job.spans.to_original(seg.end)
            out.append(Segment(job.label or attribute(start, end), start, max(start, end),
                               seg.text))
        for (_idx, speaker), words in groups:
            out.append(Segment(speaker, words[0].start, max(words[-1].end, words[0].start),
                               " ".join(w.w for w in words), tuple(words)))
    return out


def _pieces(job: _Job, i: int, j: int) -> _Job:
    """Pieces ``i`` to ``j - 1`` of a job as a job of their own (a contiguous part of it)."""
    pieces = job.spans.pieces
    first = pieces[i][0]
    end = pieces[j][0] if j < len(pieces) else len(job.stream) / ASR_RATE
    stream = job.stream[int(round(first * ASR_RATE)):int(round(end * ASR_RATE))]
    return _Job(stream, SpanMap(tuple((c - first, span) for c, span in pieces[i:j])), job.label)


def _unheard(job: _Job, asr_segments: list[Any]) -> list[_Job]:
    """Voiced pieces before the first and after the last recognised word, as new jobs.

    Whisper may open a window with a timestamp seconds into it, or close it with a lone
    timestamp ("no more speech here"); faster-whisper then skips that audio, and the turns
    there would be lost. Each such run of pieces is decoded again on its own, when it holds
    at least ``MIN_REMAINDER`` seconds of speech. A window where nothing at all was
    recognised is left alone: it is noise, or a voice the model cannot read.
    """
    pieces = job.spans.pieces
    words = [w for seg in asr_segments for w in seg.words]
    if not pieces or not (words or asr_segments):
        return []
    first = min((w.start for w in words), default=min(s.start for s in asr_segments))
    last = max((w.end for w in words), default=max(s.end for s in asr_segments))

    def speech_in(run: tuple[tuple[float, Span], ...]) -> float:
        return sum(span.duration for _c, span in run)

    out = []
    lead = sum(1 for c, span in pieces if c + span.duration <= first + 0.05)
    if 0 < lead < len(pieces) and speech_in(pieces[:lead]) >= MIN_REMAINDER:
        out.append(_pieces(job, 0, lead))
    tail = next((i for i, (c, _span) in enumerate(pieces) if c >= last - 0.05), len(pieces))
    if lead <= tail < len(pieces) and tail > 0 and speech_in(pieces[tail:]) >= MIN_REMAINDER:
        out.append(_pieces(job, tail, len(pieces)))
    return out


def _transcribe(transcriber: Transcriber, jobs: list[_Job], prompt: str | None,
                workers: int, attribute: Attributor) -> list[Segment]:
    def run(job: _Job) -> list[Segment]:
        out: list[Segment] = []
        todo = [job]
        for _ in range(1 + MAX_RETRIES):
            if not todo:
                break
            current = todo.pop(0)
            asr = transcriber.transcribe(current.stream, prompt=prompt)
            out += _segments_of(current, asr, attribute)
            todo += _unheard(current, asr)
        return out

    # Longest first so the last job to finish is a short one.
    ordered = sorted(jobs, key=lambda j: -len(j.stream))
    if workers <= 1 or len(ordered) <= 1:
        results = [run(j) for j in ordered]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="asr") as pool:
            results = list(pool.map(run, ordered))
    return [s for part in results for s in part]


def _decorate(segments: list[Segment], contours: dict[str, Contour]) -> list[Segment]:
    out = []
    for s in segments:
        c = contours[s.speaker]
        out.append(Segment(s.speaker, s.start, s.end, s.text, s.words,
                           c.segment_energy(s.start, s.end), c.segment_pitch(s.start, s.end)))
    return out


def analyse(
    path: str | os.PathLike[str],
    *,
    operator_channel: str = "left",
    backend: str = "faster-whisper",
    model_path: str | os.PathLike[str] | None = None,
    model_cache: str | os.PathLike[str] | None = None,
    prompt: str | None = None,
    hold_threshold: float = 10.0,
    on_stage: Callable[[str], None] | None = None,
    company: str | None = None,
    operator_cue: OperatorCue | None = None,
    max_duration: float = DEFAULT_MAX_DURATION,
    vad: VadConfig | None = None,
    workers: int = 2,
    backend_options: dict[str, Any] | None = None,
    streams: str = "joint",
) -> CallAnalysis:
    """Transcribe a call, tell operator from subscriber, and measure how it sounded.

    :param path: recording (WAV/MP3/OGG/FLAC, mono or stereo, 8–48 kHz).
    :param operator_channel: ``"left"`` or ``"right"``: the operator's side of a stereo file.
    :param backend: ASR registry key (``"faster-whisper"``, ``"vosk"``, ``"openai-whisper"``).
    :param model_path: model directory/file for the backend; default model if ``None``.
    :param model_cache: where the default Whisper model is assembled (``<data_dir>/models``).
    :param prompt: Whisper initial prompt (see :func:`speech.build_prompt`).
    :param hold_threshold: both sides silent longer than this many seconds is a hold.
    :param on_stage: called with ``"decoding"``, ``"transcribing"``, ``"analysing"``.
    :param company: company name, helps decide the operator in mono mixes.
    :param operator_cue: replaces the default operator cue for mono mixes.
    :param max_duration: longest accepted recording in seconds.
    :param vad: energy VAD parameters.
    :param workers: transcription threads (one per core is right for CTranslate2).
    :param backend_options: extra options for the backend (``beam_size`` ...).
    :param streams: ``"joint"`` (default): voiced spans of both sides in time order in one
        gated mix, words attributed to the side that was talking; ``"per_speaker"``: one
        compact stream per side. Joint keeps the dialogue as decoder context, which on the
        eval calls roughly halves WER of the harder voice; see bench/speech.py.
    :raises AudioDecodeError: unusable recording (``code`` says why, incl. ``silence``).
    :raises SpeechError: bad option, missing model or backend.
    """
    stage = on_stage or (lambda _name: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    stage("decoding")
    audio = decode(path, max_duration=max_duration)
    sides, diarization = _split_sides(audio, operator_channel, vad or VadConfig())
    if not any(side.spans for side in sides):
        raise AudioDecodeError(f"{os.path.basename(path)}: no speech found in the recording",
                               code="silence")
    timings["decode"] = time.perf_counter() - t0

    stage("transcribing")
    t1 = time.perf_counter()
    options: dict[str, Any] = dict(backend_options or {})
    if model_path is not None:
        options["model_path"] = str(model_path)
    if model_cache is not None and backend == "faster-whisper":
        options["model_cache"] = str(model_cache)
    transcriber = get_transcriber(backend, **options)
    if streams not in _STREAMS:
        raise SpeechError(f"streams must be one of {sorted(_STREAMS)}, not {streams!r}",
                          code="bad_option")
    contours = {s.label: measure_contour(s.samples, audio.sample_rate, s.spans) for s in sides}
    attribute = _attributor(sides, contours, shared=diarization == "clustering")
    segments = _transcribe(transcriber, _STREAMS[streams](sides), prompt, workers, attribute)
    timings["transcribe"] = time.perf_counter() - t1

    stage("analysing")
    t2 = time.perf_counter()
    activity = {side.label: side.spans for side in sides}
    if diarization == "clustering":
        cue = operator_cue or greeting_cue(company)
        op_label = cue(segments)
        rename = {op_label: OPERATOR, ("B" if op_label == "A" else "A"): SUBSCRIBER}
        segments = [s.with_speaker(rename[s.speaker]) for s in segments]
        activity = {rename[k]: v for k, v in activity.items()}
        contours = {rename[k]: v for k, v in contours.items()}
    segments = sorted(_decorate(segments, contours), key=lambda s: (s.start, s.speaker))
    activity = {k: activity[k] for k in (OPERATOR, SUBSCRIBER)}
    holds, silence_share = find_holds(activity, audio.duration, hold_threshold)
    timings["analyse"] = time.perf_counter() - t2
    return CallAnalysis(
        duration=audio.duration,
        channels=audio.channels,
        diarization=diarization,
        segments=tuple(segments),
        speakers=speaker_metrics(activity, segments, contours),
        silence_share=silence_share,
        holds=tuple(holds),
        overtalk=tuple(find_overtalk(activity)),
        backend=backend,
        timings=timings,
    )


def warm_up(model_cache: str | os.PathLike[str] | None = None,
            backend: str = "faster-whisper", **backend_options: Any) -> None:
    """Compile numba kernels and (when ``model_cache`` or a ``model_path`` is given) load the
    ASR model, so the worker's first call is not slow. Call once at worker start.

    :param model_cache: where the default Whisper model is assembled.
    :param backend: ASR registry key to preload.
    :param backend_options: as for :func:`analyse`'s ``backend_options``/``model_path``.
    """
    from .acoustics import warm_up_acoustics

    warm_up_acoustics()
    if model_cache is not None or "model_path" in backend_options:
        if model_cache is not None and backend == "faster-whisper":
            backend_options["model_cache"] = str(model_cache)
        get_transcriber(backend, **backend_options)
