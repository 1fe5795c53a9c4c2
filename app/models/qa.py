"""Quality assurance: scorecards, automatic evaluations, listeners' verdicts, disputes, ratings,
calibration sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.calls import Call
from app.models.people import User

VERDICT_VALUES = ("met", "violated", "na")  # True / False / None
DISPUTE_STATES = ("open", "accepted", "rejected")


class Scorecard(Base):
    """A version of a scorecard; editing makes a new row, old scores keep theirs."""

    __tablename__ = "scorecards"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CallEvaluation(Base):
    """The automatic verdicts of one call on one scorecard version."""

    __tablename__ = "call_evaluations"
    __table_args__ = (UniqueConstraint("call_id", "scorecard_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="RESTRICT"))
    verdicts: Mapped[dict[str, Any]] = mapped_column(JSON)
    auto_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Call] = relationship()
    scorecard: Mapped[Scorecard] = relationship()


class QaVerdict(Base):
    """A person's verdict on one criterion of a call (a QA listener, or a resolved dispute).

    ``session_id`` is set for blind calibration grades, which never change the call's score.
    ``revision`` grows with every save so two listeners cannot silently overwrite each other.
    """

    __tablename__ = "qa_verdicts"
    __table_args__ = (
        CheckConstraint("verdict IN ('met', 'violated', 'na')", name="verdict_known"),
        UniqueConstraint("call_id", "key", "grader_id", "session_id"),
        Index(None, "call_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="RESTRICT"))
    key: Mapped[str] = mapped_column(String(60))
    verdict: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    at_seconds: Mapped[float | None] = mapped_column(Float)
    grader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grader: Mapped[User] = relationship()


REVIEW_STATES = ("draft", "finished")


class QaReview(Base):
    """A QA listener's grading of a call (outside calibration) on one scorecard version.

    A ``draft`` while they work: it claims the call, so the queue offers it to nobody else until
    ``touched_at`` is :data:`app.qa.reviews.CLAIM_FOR` old. ``finished`` after «Завершить
    оценку»: only then do the listener's verdicts count in the score, the statistics and games.
    """

    __tablename__ = "qa_reviews"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'finished')", name="status_known"),
        UniqueConstraint("call_id", "scorecard_id"),
        Index(None, "status", "touched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="RESTRICT"))
    grader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    touched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grader: Mapped[User] = relationship()


class Dispute(Base):
    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status_known"),
        Index(None, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call: Mapped[Call] = relationship()
    operator: Mapped[User] = relationship(foreign_keys=[operator_id])
    resolver: Mapped[User | None] = relationship(foreign_keys=[resolver_id])


class Rating(Base):
    """A subscriber's rating (CSAT 1–5) of one contact: a call or a ticket, once."""

    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        CheckConstraint("call_id IS NOT NULL OR ticket_ref IS NOT NULL", name="has_contact"),
        UniqueConstraint("call_id"),
        UniqueConstraint("ticket_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    ticket_ref: Mapped[str | None] = mapped_column(String(60))
    stars: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="survey")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalibrationSession(Base):
    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="RESTRICT"))
    call_ids: Mapped[list[int]] = mapped_column(JSON)
    listener_ids: Mapped[list[int]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    scorecard: Mapped[Scorecard] = relationship()
