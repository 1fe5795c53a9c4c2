"""Recorded calls and what speech processing made of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.people import Carrier, User

CALL_STATES = ("queued", "decoding", "transcribing", "analysing", "done", "failed")
CALL_STATE_TITLES = {
    "queued": "в очереди",
    "decoding": "декодирование",
    "transcribing": "распознавание",
    "analysing": "анализ",
    "done": "готово",
    "failed": "ошибка",
}
SOURCES = ("upload", "cli", "api", "chat")  # chat: a finished live chat, judged as writing (no audio)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Call(Base):
    """One recording. The original audio lives in the content-addressed store under ``sha256``."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(f"status IN {_in(CALL_STATES)}", name="status_known"),
        CheckConstraint(f"source IN {_in(SOURCES)}", name="source_known"),
        CheckConstraint("direction IS NULL OR direction IN ('inbound', 'outbound')",
                        name="direction_known"),
        CheckConstraint("operator_channel IN ('left', 'right')", name="channel_known"),
        Index(None, "operator_id", "started_at"),
        Index(None, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    audio_format: Mapped[str | None] = mapped_column(String(40))
    channels: Mapped[int | None]
    sample_rate: Mapped[int | None]
    duration: Mapped[float | None] = mapped_column(Float)

    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id", ondelete="SET NULL"))
    direction: Mapped[str | None] = mapped_column(String(10))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    subscriber_number: Mapped[str | None] = mapped_column(String(32))
    queue_wait_seconds: Mapped[float | None] = mapped_column(Float)
    operator_channel: Mapped[str] = mapped_column(String(5), default="left")

    status: Mapped[str] = mapped_column(String(20), default="queued")
    failure_code: Mapped[str | None] = mapped_column(String(40))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    diarization: Mapped[str | None] = mapped_column(String(20))
    # segments as shown (personal data redacted) and as recognised (role-restricted)
    segments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    segments_original: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    asr_backend: Mapped[str | None] = mapped_column(String(40))

    source: Mapped[str] = mapped_column(String(10), default="upload")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the recording was removed under the keep period (ULYBKA_AUDIO_KEEP_DAYS); the transcript,
    # verdicts and grades stay
    audio_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    operator: Mapped[User | None] = relationship(foreign_keys=[operator_id])
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    carrier: Mapped[Carrier | None] = relationship()

    @property
    def status_title(self) -> str:
        return CALL_STATE_TITLES[self.status]

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
