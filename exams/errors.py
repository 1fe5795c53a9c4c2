"""Exceptions raised by :mod:`exams`.

One root, so callers can catch everything the package raises in one place::

    ExamError                  exam_error
    ├── GiftFileError          gift_file          a file cannot be imported as GIFT at all
    │   └── GiftEncodingError  gift_encoding      it is not text in an encoding we read
    ├── QuestionError          invalid_question   a question value is inconsistent (built by hand)
    ├── ResponseError          invalid_response   a response has the wrong shape for its type
    │   └── TamperedResponseError  tampered_response  it names answers, pairs or slots the
    │                                                 question does not have
    ├── ExamSpecError          invalid_exam_spec  an exam specification is invalid
    ├── AssemblyError          not_enough_questions  the bank cannot satisfy the specification
    └── AttemptError           attempt_not_gradable  an attempt cannot be graded
        └── TimeLimitError     time_limit_exceeded   submitted after the time limit and the grace

Each error carries a stable ``code`` (the class default above, or a more specific one given
where it is raised, e.g. ``"bad_pick_count"``) and ``params``, the values a sentence about it
needs (``{"category": "Тарифы", "count": 0}``). ``str(error)`` is an English sentence for logs;
people read the Russian wording the app keeps by code (``app/wording/exams.py``).

GIFT syntax problems are *not* raised: :func:`exams.parse_gift` reports each broken question
as a :class:`exams.GiftError` value (with its own ``code`` and ``params``) and imports the rest.
"""

from __future__ import annotations

from typing import Any


class ExamError(Exception):
    """Root of every exception raised by the exams package.

    :param message: English, for logs.
    :param code: stable identifier of what went wrong; the class default when omitted.
    :param params: the values the sentence needs (line numbers, counts, names ...).
    """

    code: str = "exam_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params


class GiftFileError(ExamError):
    """A file cannot be imported as GIFT: markup or binary data, or not one question in it."""

    code = "gift_file"


class GiftEncodingError(GiftFileError):
    """A GIFT file could not be decoded as UTF-8, UTF-16 or cp1251 text."""

    code = "gift_encoding"


class QuestionError(ExamError):
    """A question value is inconsistent."""

    code = "invalid_question"


class ResponseError(ExamError):
    """A response has the wrong shape for its question type."""

    code = "invalid_response"


class TamperedResponseError(ResponseError):
    """A response refers to answers, pairs or slots that do not belong to the question."""

    code = "tampered_response"


class ExamSpecError(ExamError):
    """An exam specification is invalid."""

    code = "invalid_exam_spec"


class AssemblyError(ExamError):
    """The question bank cannot satisfy an exam specification.

    :param shortages: ``(category, questions left, questions wanted, questions taken by the
        picks before)`` for each pick the bank cannot fill; ``""`` is the whole bank. It is
        also in ``params["shortages"]``.
    """

    code = "not_enough_questions"

    def __init__(
        self,
        message: str,
        shortages: tuple[tuple[str, int, int, int], ...] = (),
        *,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message, code=code, shortages=shortages, **params)
        self.shortages = shortages


class AttemptError(ExamError):
    """An attempt cannot be graded."""

    code = "attempt_not_gradable"


class TimeLimitError(AttemptError):
    """An attempt was submitted after its time limit and the grace period."""

    code = "time_limit_exceeded"
