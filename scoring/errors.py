"""Errors raised by the scoring package.

One root, so callers can catch everything from scoring with one ``except``::

    ScoringError            scoring_error        anything scoring refuses
    ├── ScorecardError      invalid_scorecard    a scorecard (or its JSON) is malformed
    ├── PhraseError         invalid_phrase       a phrase list (forbidden words) cannot be compiled
    ├── TranscriptError     invalid_transcript   the call object does not follow docs/call-format.md
    ├── ScoreError          invalid_score_input  bad input to the score formula (CSAT, weights, verdicts)
    └── CalibrationError    invalid_grades       bad input to the agreement statistics

Each error carries a stable ``code`` (the class default above, or a more specific one given
where it is raised, e.g. ``"weight_not_positive"``) and ``params``, the values a sentence about
it needs (``{"key": "greeting", "weight": -5}``). ``str(error)`` is English for logs: it says
what was wrong and what is accepted; people read the Russian wording the app keeps by code
(``app/wording/scoring.py``).
"""

from __future__ import annotations

from typing import Any


class ScoringError(Exception):
    """Root of every error raised by :mod:`scoring`.

    :param message: English, for logs.
    :param code: stable identifier of what went wrong; the class default when omitted.
    :param params: the values the sentence needs (keys, values given ...).
    """

    code: str = "scoring_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params


class ScorecardError(ScoringError, ValueError):
    """A scorecard or criterion is invalid (weights, keys, detectors, JSON shape)."""

    code = "invalid_scorecard"


class PhraseError(ScoringError, ValueError):
    """A phrase list cannot be compiled (empty phrase, not a string)."""

    code = "invalid_phrase"


class TranscriptError(ScoringError, ValueError):
    """The call object is malformed (segments, speakers, times)."""

    code = "invalid_transcript"


class ScoreError(ScoringError, ValueError):
    """Bad input to :func:`scoring.compute_score`."""

    code = "invalid_score_input"


class CalibrationError(ScoringError, ValueError):
    """Bad input to the calibration statistics."""

    code = "invalid_grades"
