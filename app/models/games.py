"""Games: the points ledger, the events behind it, badges, notifications, rule sets, challenges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.people import Team, User

GAME_SOURCE_KINDS = ("call", "rating", "listening", "certification", "ticket")
BADGE_TIERS = ("bronze", "silver", "gold")
CHALLENGE_KINDS = ("personal", "team")
CHALLENGE_METRICS = ("points", "calls", "five_star_ratings", "listening", "tickets_within_sla",
                     "standard_met")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class GameEvent(Base):
    """An event as last reported (payload after disputes): what badges and challenges measure."""

    __tablename__ = "game_events"
    __table_args__ = (
        UniqueConstraint("source_kind", "source_id"),
        CheckConstraint(f"source_kind IN {_in(GAME_SOURCE_KINDS)}", name="source_kind_known"),
        Index("ix_game_events_operator_occurred", "operator_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(80))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PointEvent(Base):
    """One ledger row (CTFd style): never updated, never summed into a stored total."""

    __tablename__ = "point_events"
    __table_args__ = (
        UniqueConstraint("source_kind", "source_id", "rule_key"),
        CheckConstraint(f"source_kind IN {_in(GAME_SOURCE_KINDS)}", name="source_kind_known"),
        Index("ix_point_events_occurred_operator", "occurred_at", "operator_id"),
        Index("ix_point_events_operator_occurred", "operator_id", "occurred_at"),
        Index("ix_point_events_carrier_occurred", "carrier_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id", ondelete="SET NULL"))
    source_kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(80))
    rule_key: Mapped[str] = mapped_column(String(160))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    final_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ruleset_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    operator: Mapped[User] = relationship()


class EarnedBadge(Base):
    __tablename__ = "badge_awards"
    __table_args__ = (
        UniqueConstraint("operator_id", "badge_key", "tier"),
        CheckConstraint(f"tier IN {_in(BADGE_TIERS)}", name="tier_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    badge_key: Mapped[str] = mapped_column(String(60))
    tier: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GameRuleset(Base):
    """A version of the points rules; the highest version is in force."""

    __tablename__ = "game_rulesets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()


class StreakFreeze(Base):
    """A day off (leave, sick day, holiday) that keeps an operator's streak alive."""

    __tablename__ = "streak_freezes"
    __table_args__ = (UniqueConstraint("operator_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(120), default="")


class GameChallenge(Base):
    """A time-boxed goal: personal (every operator of the scope) or team against team."""

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(CHALLENGE_KINDS)}", name="kind_known"),
        CheckConstraint(f"metric IN {_in(CHALLENGE_METRICS)}", name="metric_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("target > 0", name="target_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(10))
    metric: Mapped[str] = mapped_column(String(30))
    standard: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[float] = mapped_column(Float)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    rival_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    rival_team: Mapped[Team | None] = relationship(foreign_keys=[rival_team_id])


class GameSetting(Base):
    """Small key/value settings of the games area (e.g. hide names on the TV board)."""

    __tablename__ = "game_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
