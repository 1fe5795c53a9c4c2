"""Subscribers and their tickets: the thread, every change, linked calls."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.calls import Call
from app.models.people import Carrier, Team, User

TICKET_CHANNELS = ("phone", "email", "web_form", "cabinet", "chat", "api")
TICKET_TYPES = ("option_on", "option_off", "tariff_change", "device_setup", "balance", "complaint",
                "porting", "other")
TICKET_STATUSES = ("new", "open", "pending_subscriber", "pending_carrier", "resolved", "closed", "rejected")
PRIORITIES = ("low", "normal", "high", "urgent")
SLA_STATES = ("ok", "warning", "breached", "met", "paused")
SUBSCRIBER_STATES = ("active", "blocked", "terminated")
NUMBER_BASE = 1000  # tickets are numbered #1001, #1002 … (the number is the id plus this)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Subscriber(Base):
    """A subscriber of the reseller: a phone number on one carrier (numbers are portable, so the
    range says nothing), its tariff and options, and how to write to them."""

    __tablename__ = "subscribers"
    __table_args__ = (CheckConstraint(f"status IN {_in(SUBSCRIBER_STATES)}", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164: +79161234567
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="RESTRICT"))
    full_name: Mapped[str] = mapped_column(String(160), default="")
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    tariff: Mapped[str] = mapped_column(String(60))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    carrier: Mapped[Carrier] = relationship()
    user: Mapped[User | None] = relationship()


class Ticket(Base):
    """One request of a subscriber, from any channel, shown as ``#number``."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(f"channel IN {_in(TICKET_CHANNELS)}", name="channel_known"),
        CheckConstraint(f"type IN {_in(TICKET_TYPES)}", name="type_known"),
        CheckConstraint(f"status IN {_in(TICKET_STATUSES)}", name="status_known"),
        CheckConstraint(f"priority IN {_in(PRIORITIES)}", name="priority_known"),
        CheckConstraint(f"sla_state IN {_in(SLA_STATES)}", name="sla_state_known"),
        Index(None, "status", "sla_due"),
        Index(None, "assignee_id", "status"),
        Index(None, "sla_state"),
        Index(None, "created_at"),
        Index(None, "subscriber_id"),
        Index(None, "carrier_id", "status"),
        Index(None, "type", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int | None] = mapped_column(unique=True)
    channel: Mapped[str] = mapped_column(String(12))
    type: Mapped[str] = mapped_column(String(20))
    subscriber_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id", ondelete="SET NULL"))
    # the subscriber's carrier when the ticket came in (numbers are portable; the queue filters by it)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id", ondelete="SET NULL"))
    contact_email: Mapped[str | None] = mapped_column(String(200))  # a writer not in the base
    contact_name: Mapped[str] = mapped_column(String(160), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # what the subscriber asked for: {"option": code} or {"tariff": code}
    requested: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    policy: Mapped[str] = mapped_column(String(40))
    sla_state: Mapped[str] = mapped_column(String(10), default="ok")
    sla_due: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the nearest running deadline
    sla_warned: Mapped[str] = mapped_column(String(40), default="")  # what was already notified
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # stored when it happens
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    subscriber: Mapped[Subscriber | None] = relationship()
    team: Mapped[Team | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    comments: Mapped[list[TicketComment]] = relationship(order_by="TicketComment.id",
                                                         back_populates="ticket")


class TicketComment(Base):
    """A message of the thread: the subscriber's, a public reply of staff, or an internal note."""

    __tablename__ = "ticket_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_subscriber: Mapped[bool] = mapped_column(default=False)
    public: Mapped[bool] = mapped_column(default=True)
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(12), default="web")
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)  # e-mail threading
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class TicketChange(Base):
    """Every change of a ticket: who, when, which field, before and after."""

    __tablename__ = "ticket_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class TicketCall(Base):
    """A call that belongs to a ticket."""

    __tablename__ = "ticket_calls"
    __table_args__ = (UniqueConstraint("ticket_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Call] = relationship()


MAIL_STATES = ("queued", "ticket", "reply", "ignored", "bounced", "failed")


class InboundMail(Base):
    """A message ``ulybka smtpd`` accepted, kept raw until the worker has made it a ticket or a
    reply (so nothing is lost while the worker is down), then kept as the record of what came."""

    __tablename__ = "inbound_mails"
    __table_args__ = (CheckConstraint(f"status IN {_in(MAIL_STATES)}", name="status_known"),
                      Index(None, "message_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(250))
    mail_from: Mapped[str] = mapped_column(String(250), default="")
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    note: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketAttachment(Base):
    """A file that came with a message (kept in ``<data dir>/attachments`` under its SHA-256)."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_comments.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


ACTION_STATES = ("queued", "running", "done", "failed", "manual")


class CarrierAction(Base):
    """A ticket's operation in the carrier's system, run as a job under one idempotency key, so a
    retried job, a double click or a killed worker never applies it twice."""

    __tablename__ = "carrier_actions"
    __table_args__ = (CheckConstraint(f"status IN {_in(ACTION_STATES)}", name="status_known"),
                      UniqueConstraint("ticket_id", "kind", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # change_tariff, enable_option, disable_option, manual
    code: Mapped[str] = mapped_column(String(60), default="")
    key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    reference: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    matches: Mapped[bool | None]  # what the carrier shows afterwards is what the ticket asked for
    error: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ticket: Mapped[Ticket] = relationship()
    actor: Mapped[User | None] = relationship()
