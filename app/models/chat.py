"""Live chats between a subscriber and an operator, and their messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.calls import Call
from app.models.people import Carrier, User
from app.models.tickets import Subscriber, Ticket

CHAT_STATES = ("queued", "active", "closed")
CHAT_OUTCOMES = ("resolved", "ticket", "left", "no_operator")


class Chat(Base):
    """One conversation: queued for the subscriber's carrier line, taken by an operator admitted
    to it, closed with an outcome. Read marks are the last message id each side has seen."""

    __tablename__ = "chats"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'active', 'closed')", name="status_known"),
        CheckConstraint("outcome IS NULL OR outcome IN ('resolved', 'ticket', 'left', 'no_operator')",
                        name="outcome_known"),
        Index(None, "status", "carrier_id"),
        Index(None, "operator_id", "status"),
        Index(None, "subscriber_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    # the finished chat as a contact to score, grade, dispute and rate (a call row of source "chat")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"), unique=True)
    outcome: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # again after a transfer
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    subscriber_read: Mapped[int] = mapped_column(default=0)  # the last message id the subscriber saw
    operator_read: Mapped[int] = mapped_column(default=0)

    subscriber: Mapped[Subscriber] = relationship()
    carrier: Mapped[Carrier] = relationship()
    operator: Mapped[User | None] = relationship()
    ticket: Mapped[Ticket | None] = relationship()
    call: Mapped[Call | None] = relationship()


class ChatMessage(Base):
    """A message: the subscriber's, an operator's, or the system's (``author_id`` and
    ``from_subscriber`` both empty). ``client_id`` is the sender's own id for it, so a message
    sent again after a dropped connection is stored once."""

    __tablename__ = "chat_messages"
    __table_args__ = (UniqueConstraint("chat_id", "client_id"), Index(None, "chat_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_subscriber: Mapped[bool] = mapped_column(default=False)
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # a file sent in the chat (kept in <data dir>/attachments under its SHA-256, as tickets' files)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None]
    file_path: Mapped[str | None] = mapped_column(String(255))

    author: Mapped[User | None] = relationship()
