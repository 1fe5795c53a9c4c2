"""Question banks, exams and attempts, certification rules and passes, line availability
(``app/exams``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.people import Carrier, User


class QuestionBank(Base):
    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[BankQuestion]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", order_by="BankQuestion.id"
    )


class BankQuestion(Base):
    """An :class:`exams.Question` stored as JSON; the fingerprint keeps re-imports from duplicating."""

    __tablename__ = "bank_questions"
    __table_args__ = (UniqueConstraint("bank_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")


class Exam(Base):
    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="RESTRICT"))
    picks: Mapped[list[list[Any]]] = mapped_column(JSON)  # [[category, n], ...]
    time_limit_min: Mapped[int | None]
    attempt_limit: Mapped[int | None]
    pass_mark: Mapped[float] = mapped_column(Float, default=80.0)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[QuestionBank] = relationship()


ATTEMPT_STATES = ("open", "pending", "graded")


class ExamAttempt(Base):
    """One try at an exam. ``open_key`` is set while the attempt is open: its uniqueness is what
    rejects a second concurrent attempt, on every database."""

    __tablename__ = "exam_attempts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'pending', 'graded')", name="status_known"),
        Index(None, "user_id", "exam_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    open_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    seed: Mapped[str] = mapped_column(String(60))
    paper: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{slot, question_id, choices, rights}]
    responses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score_pct: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CertificationRule(Base):
    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    carrier: Mapped[str] = mapped_column(String(20))
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    valid_days: Mapped[int] = mapped_column(default=180)

    exam: Mapped[Exam] = relationship()


class CertificationPass(Base):
    __tablename__ = "certification_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("exam_attempts.id", ondelete="SET NULL"))
    passed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(300))

    certification: Mapped[CertificationRule] = relationship()
    user: Mapped[User] = relationship()


class LineAvailability(Base):
    """Whether an operator is set available for a carrier's line."""

    __tablename__ = "line_availability"
    __table_args__ = (UniqueConstraint("user_id", "carrier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"))
    available: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    carrier: Mapped[Carrier] = relationship()
