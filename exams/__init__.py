"""Exams: question model, GIFT import/export, grading, exam assembly and certification.

Pure Python: plain values in, frozen dataclasses out; the app layer stores them.
"""

from .assembly import (
    GRACE_SECONDS,
    AttemptResult,
    ExamPaper,
    ExamSpec,
    PaperItem,
    Permission,
    QuestionResult,
    apply_manual_grades,
    assemble,
    can_start_attempt,
    grade_attempt,
)
from .certification import (
    RENEW_WITHIN_DAYS,
    Admission,
    Certification,
    CertPass,
    admission_state,
    certifications_for,
)
from .errors import (
    AssemblyError,
    AttemptError,
    ExamError,
    ExamSpecError,
    GiftEncodingError,
    QuestionError,
    ResponseError,
    TamperedResponseError,
    TimeLimitError,
)
from .gift import GiftError, GiftResult, parse_gift, parse_gift_bytes, summarise
from .gift_export import export_gift
from .grading import GRADERS, Grade, grade, grader, parse_number
from .question import (
    BLANK,
    QUESTION_TYPES,
    TEXT_FORMATS,
    Choice,
    MatchPair,
    NumericAnswer,
    Question,
    fingerprint,
)

__all__ = [
    "BLANK",
    "GRACE_SECONDS",
    "GRADERS",
    "QUESTION_TYPES",
    "RENEW_WITHIN_DAYS",
    "TEXT_FORMATS",
    "Admission",
    "AssemblyError",
    "AttemptError",
    "AttemptResult",
    "CertPass",
    "Certification",
    "Choice",
    "ExamError",
    "ExamPaper",
    "ExamSpec",
    "ExamSpecError",
    "GiftEncodingError",
    "GiftError",
    "GiftResult",
    "Grade",
    "MatchPair",
    "NumericAnswer",
    "PaperItem",
    "Permission",
    "Question",
    "QuestionError",
    "QuestionResult",
    "ResponseError",
    "TamperedResponseError",
    "TimeLimitError",
    "admission_state",
    "apply_manual_grades",
    "assemble",
    "can_start_attempt",
    "certifications_for",
    "export_gift",
    "fingerprint",
    "grade",
    "grade_attempt",
    "grader",
    "parse_gift",
    "parse_gift_bytes",
    "parse_number",
    "summarise",
]
