"""Errors raised by the scoring package.

One root, so callers can catch everything from scoring with one ``except``::

    ScoringError
    ├── ScorecardError      a scorecard (or its JSON) is malformed
    ├── PhraseError         a phrase list (forbidden words) cannot be compiled
    ├── TranscriptError     the call object does not follow docs/call-format.md
    ├── ScoreError          bad input to the score formula (CSAT, weights, verdicts)
    └── CalibrationError    bad input to the agreement statistics

Every message says what was wrong and what is accepted.
"""

from __future__ import annotations


class ScoringError(Exception):
    """Root of every error raised by :mod:`scoring`."""


class ScorecardError(ScoringError, ValueError):
    """A scorecard or criterion is invalid (weights, keys, detectors, JSON shape)."""


class PhraseError(ScoringError, ValueError):
    """A phrase list cannot be compiled (empty phrase, not a string)."""


class TranscriptError(ScoringError, ValueError):
    """The call object is malformed (segments, speakers, times)."""


class ScoreError(ScoringError, ValueError):
    """Bad input to :func:`scoring.compute_score`."""


class CalibrationError(ScoringError, ValueError):
    """Bad input to the calibration statistics."""
