"""Exceptions raised by :mod:`training`.

One root, so callers can catch everything the package raises in one place::

    TrainingError
    ├── ArticleError      a knowledge-base article value is invalid (carrier, topic, dates)
    └── SamplingError     listening-sampling parameters are out of range
"""

from __future__ import annotations


class TrainingError(Exception):
    """Root of every exception raised by the training package."""


class ArticleError(TrainingError):
    """A knowledge-base article value is invalid."""


class SamplingError(TrainingError):
    """Listening-sampling parameters are out of range."""
