"""Knowledge base, training notices and daily listening (exams: ``app/models/exams.py``).

The full-text index over ``KbArticle.search_text`` is not part of this metadata: on SQLite the
contentless FTS5 tables ``kb_fts_title``/``kb_fts_text`` (migration t002) and their
``fts5vocab`` table ``kb_fts_text_vocab`` (t004), on PostgreSQL the lemma posting table
``kb_fts_postings`` (t003), all kept in step by triggers; ``app/kb/search.py`` and
``app/kb/vocabulary.py`` query them with raw SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import carriers
from app.models.base import Base, UTCDateTime, utcnow
from app.models.people import User

KB_CARRIERS = carriers.CODES


class KbArticle(Base):
    """The current version of a knowledge-base article (history in :class:`KbArticleVersion`)."""

    __tablename__ = "kb_articles"
    __table_args__ = (
        CheckConstraint(f"carrier IS NULL OR carrier IN ({', '.join(repr(c) for c in KB_CARRIERS)})",
                        name="carrier_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    carrier: Mapped[str | None] = mapped_column(String(20), index=True)
    topic: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    effective_from: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    # plain text for snippets, and the normalised lemmas the full-text index is built from
    plain: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()
    versions: Mapped[list[KbArticleVersion]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="KbArticleVersion.version.desc()"
    )


class KbArticleVersion(Base):
    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    effective_from: Mapped[date] = mapped_column(Date)
    suggested_material: Mapped[bool] = mapped_column(default=False)
    material: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[KbArticle] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()


class KbSearch(Base):
    """One search and the first article opened from its results."""

    __tablename__ = "kb_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    query: Mapped[str] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(20))
    results: Mapped[int] = mapped_column(default=0)
    searched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_article_id: Mapped[int | None] = mapped_column(ForeignKey("kb_articles.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship()


class TrainingNotice(Base):
    """A message to one person (revoked certification, new assignment ...)."""

    __tablename__ = "training_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ListeningAssignment(Base):
    """A call to listen to on a given day: review (QA listener) or exemplary (operator)."""

    __tablename__ = "listening_assignments"
    __table_args__ = (
        UniqueConstraint("user_id", "day", "call_id"),
        CheckConstraint("kind IN ('review', 'exemplary')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(20))
    seed: Mapped[str] = mapped_column(String(60))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[list[str] | None] = mapped_column(JSON)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


CATALOGUE_STATES = ("pending", "published", "rejected", "superseded", "failed")


class CarrierCatalogue(Base):
    """A carrier's tariffs and options as read from its system by the catalogue sync.

    ``pending``: differs from the last ``published`` one and waits for a manager's review;
    ``published`` (into the carrier's catalogue article, ``version``), ``rejected``, or
    ``superseded`` by a newer reading before anyone decided; ``failed``: the carrier could not be
    read (``note`` says why; one row, bumped, while the failure lasts). ``changes``: the diff
    against the published one, as :class:`carriers.plans.Change` fields.
    """

    __tablename__ = "carrier_catalogues"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in CATALOGUE_STATES)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12))
    offer: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    changes: Mapped[list[dict]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(300), default="")
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("kb_article_versions.id", ondelete="SET NULL"))

    decided_by: Mapped[User | None] = relationship()
    version: Mapped[KbArticleVersion | None] = relationship()


class KbChangeNotice(Base):
    """An operator is told a published article changed (a carrier's catalogue, so far) and
    confirms having read it (``read_at``)."""

    __tablename__ = "kb_change_notices"
    __table_args__ = (UniqueConstraint("user_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kb_article_versions.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    version: Mapped[KbArticleVersion] = relationship()
