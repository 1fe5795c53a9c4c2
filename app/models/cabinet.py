"""One-time codes a subscriber signs in to the cabinet with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class CabinetCode(Base):
    """A code asked for a phone number: kept as an HMAC with the server's secret (a plain hash of
    six digits is reversed in a second), used once, dead after too many wrong tries.

    A row is written for every request, for numbers not in the base too (with no code: nothing
    matches an empty HMAC), so the limits answer the same for every number and confirm none.
    """

    __tablename__ = "cabinet_codes"
    __table_args__ = (Index(None, "phone", "created_at"), Index(None, "address", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16))  # E.164, as typed numbers are normalised
    subscriber_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    code_hmac: Mapped[str] = mapped_column(String(64), default="")  # "" when no code was sent
    address: Mapped[str] = mapped_column(String(64), default="")  # the requester's IP
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)  # wrong codes typed against this one
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
