"""Ulybka scoring: service standards on a call transcript, call score, calibration.

Pure Python (pymorphy3, rapidfuzz); plain values in, frozen dataclasses out::

    card = default_scorecard()
    ctx = Context(operator_name="Анна", forbidden=compile_phrases(stored_list))
    evaluation = evaluate(call_dict, card, ctx)          # verdicts with evidence
    score = compute_score(card, evaluation.verdicts, human_verdicts, csat=5)

Detectors and applicability gates are looked up by the names a scorecard stores
(:data:`DETECTORS`, :data:`APPLICABILITY`).
"""

from .applicability import APPLICABILITY
from .calibration import (
    MISSING,
    CalibrationReport,
    Strictness,
    calibration_report,
    cohen_kappa,
    krippendorff_alpha,
)
from .context import Context, default_forbidden
from .detectors import DETECTORS
from .errors import (
    CalibrationError,
    PhraseError,
    ScorecardError,
    ScoreError,
    ScoringError,
    TranscriptError,
)
from .evaluation import Evaluation, evaluate
from .lexicon import DEFAULT_FORBIDDEN
from .phrases import PhraseSet, compile_phrases
from .score import Score, ScoreLine, compute_score, csat_points, whole_percents
from .scorecard import CHAT_NAME, Criterion, Scorecard, chat_scorecard, default_scorecard
from .transcript import build_transcript
from .verdicts import Evidence, Verdict

__all__ = [
    "APPLICABILITY", "CHAT_NAME", "DEFAULT_FORBIDDEN", "DETECTORS", "MISSING", "CalibrationError",
    "CalibrationReport", "Context", "Criterion", "Evaluation", "Evidence", "PhraseError",
    "PhraseSet", "Score", "ScoreError", "ScoreLine", "Scorecard", "ScorecardError",
    "ScoringError", "Strictness", "TranscriptError", "Verdict", "build_transcript",
    "calibration_report", "chat_scorecard", "cohen_kappa", "compile_phrases", "compute_score", "csat_points",
    "default_forbidden", "default_scorecard", "evaluate", "krippendorff_alpha", "whole_percents",
]
