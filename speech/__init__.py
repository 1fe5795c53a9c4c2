"""Ulybka speech: decode call recordings, transcribe, tell speakers apart, measure, redact.

Pure library: plain values in, dataclasses out (no Flask, no SQLAlchemy). The app calls
:func:`analyse` from its worker and stores :meth:`CallAnalysis.to_dict`
(see docs/call-format.md).

    >>> result = analyse("call.wav", model_cache=data_dir / "models", on_stage=print)
    >>> result.to_dict()["segments"][0]["speaker"]
    'operator'
"""

from .analysis import analyse, warm_up
from .audio import Audio, AudioInfo, decode, probe, resample
from .call import CallAnalysis, Hold, Overtalk, Segment, SpeakerMetrics
from .diarization import OperatorCue, greeting_cue
from .errors import AudioDecodeError, BackendError, ModelError, SpeechError
from .models import ensure_default_model
from .recordings import mask_phone, parse_recording_name
from .redaction import RedactionResult, redact, redact_segment
from .transcribers import (
    AsrSegment,
    Transcriber,
    Word,
    available_backends,
    build_prompt,
    get_transcriber,
    register_backend,
)
from .vad import VadConfig

__all__ = [
    "AsrSegment",
    "Audio",
    "AudioDecodeError",
    "AudioInfo",
    "BackendError",
    "CallAnalysis",
    "Hold",
    "ModelError",
    "OperatorCue",
    "Overtalk",
    "RedactionResult",
    "Segment",
    "SpeakerMetrics",
    "SpeechError",
    "Transcriber",
    "VadConfig",
    "Word",
    "analyse",
    "available_backends",
    "build_prompt",
    "decode",
    "ensure_default_model",
    "get_transcriber",
    "greeting_cue",
    "mask_phone",
    "parse_recording_name",
    "probe",
    "redact",
    "redact_segment",
    "register_backend",
    "resample",
    "warm_up",
]
