"""Exceptions raised by :mod:`exams`.

One root, so callers can catch everything the package raises in one place::

    ExamError
    ├── GiftFileError          a file cannot be imported as GIFT at all
    │   └── GiftEncodingError  it is not text in an encoding we read
    ├── QuestionError          a question value is inconsistent (built by hand, not parsed)
    ├── ResponseError          a response has the wrong shape for its question type
    │   └── TamperedResponseError   it names answers, pairs or slots the question does not have
    ├── ExamSpecError          an exam specification is invalid
    ├── AssemblyError          the bank cannot satisfy the specification
    └── AttemptError           an attempt cannot be graded
        └── TimeLimitError     it was submitted after the time limit and the grace period

GIFT syntax problems are *not* raised: :func:`exams.parse_gift` reports each broken question
as a :class:`exams.GiftError` value and imports the rest.
"""

from __future__ import annotations


class ExamError(Exception):
    """Root of every exception raised by the exams package."""


class GiftFileError(ExamError):
    """A file cannot be imported as GIFT: markup or binary data, or not one question in it."""


class GiftEncodingError(GiftFileError):
    """A GIFT file could not be decoded as UTF-8, UTF-16 or cp1251 text."""


class QuestionError(ExamError):
    """A question value is inconsistent."""


class ResponseError(ExamError):
    """A response has the wrong shape for its question type."""


class TamperedResponseError(ResponseError):
    """A response refers to answers, pairs or slots that do not belong to the question."""


class ExamSpecError(ExamError):
    """An exam specification is invalid."""


class AssemblyError(ExamError):
    """The question bank cannot satisfy an exam specification.

    :param shortages: ``(category, questions left, questions wanted, questions taken by the
        picks before)`` for each pick the bank cannot fill; ``""`` is the whole bank.
    """

    def __init__(self, message: str, shortages: tuple[tuple[str, int, int, int], ...] = ()) -> None:
        super().__init__(message)
        self.shortages = shortages


class AttemptError(ExamError):
    """An attempt cannot be graded."""


class TimeLimitError(AttemptError):
    """An attempt was submitted after its time limit and the grace period."""
