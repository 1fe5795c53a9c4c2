"""Exceptions raised by :mod:`training`.

One root, so callers can catch everything the package raises in one place::

    TrainingError         training_error     anything training refuses
    ├── ArticleError      invalid_article    a knowledge-base article value is invalid
    │                                        (carrier, topic, title)
    └── SamplingError     invalid_sampling   listening-sampling parameters are out of range

Each error carries a stable ``code`` (the class default above, or a more specific one given
where it is raised, e.g. ``"unknown_topic"``) and ``params``, the values a sentence about it
needs. ``str(error)`` is English for logs; people read the Russian wording the app keeps by
code (``app/wording/training.py``).
"""

from __future__ import annotations

from typing import Any


class TrainingError(Exception):
    """Root of every exception raised by the training package.

    :param message: English, for logs.
    :param code: stable identifier of what went wrong; the class default when omitted.
    :param params: the values the sentence needs.
    """

    code: str = "training_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params


class ArticleError(TrainingError):
    """A knowledge-base article value is invalid."""

    code = "invalid_article"


class SamplingError(TrainingError):
    """Listening-sampling parameters are out of range."""

    code = "invalid_sampling"
