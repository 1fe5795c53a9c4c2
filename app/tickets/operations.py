"""Tickets and subscribers: create from any channel, reply, note, move, assign, link calls, and
keep the SLA clocks (the pure rules live in :mod:`tickets`).

Every change of a ticket is written to its history (:class:`TicketChange`: who, when, before,
after) by :func:`_change`, the one place that sets a tracked field.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, update

import carriers
import tickets
from app import audit
from app.extensions import db
from app.features import announce
from app.jobs.operations import enqueue
from app.mail import new_message_id
from app.models import (
    NUMBER_BASE,
    Call,
    Carrier,
    Role,
    Subscriber,
    Ticket,
    TicketAttachment,
    TicketCall,
    TicketChange,
    TicketComment,
    User,
    utcnow,
)
from app.outcome import Refused
from app.wording import say
from carriers.protocol import Line, Operation

log = logging.getLogger("ulybka.tickets")
CHANNELS = {"phone": "Телефон", "email": "Почта", "web_form": "Форма на сайте", "cabinet": "Личный кабинет",
            "chat": "Чат", "api": "API"}
WORKERS = (Role.OPERATOR, Role.MANAGER, Role.ADMIN)  # who may be assigned a ticket
MAX_SUBJECT, MAX_BODY = 300, 20_000
REPEAT_S = 30  # the same reply by the same person within this many seconds is one reply


def clean_text(text: str | None, *, lines: bool = True) -> str:
    """Text as people meant it: without control characters and invisible format marks (zero-width
    spaces, direction overrides), line breaks kept when ``lines``."""
    keep = "\n\t" if lines else ""
    return "".join(c for c in (text or "")
                   if c in keep or unicodedata.category(c) not in ("Cc", "Cf")).strip()


class TicketFlowError(Refused):
    """A ticket operation refused; the message (Russian) says what to fix."""


def _refuse(error: tickets.TicketError) -> TicketFlowError:
    return TicketFlowError(say(error))


# --- subscribers ---------------------------------------------------------------------------

def find_subscriber(phone: str) -> Subscriber | None:
    """The subscriber with this number, however it was typed; None when not in the base.

    :raises TicketFlowError: not a phone number at all.
    """
    try:
        e164 = tickets.normalise_phone(phone)
    except tickets.TicketError as exc:
        raise _refuse(exc) from None
    return db.session.scalar(select(Subscriber).where(Subscriber.phone == e164))


def subscriber_json(subscriber: Subscriber) -> dict[str, Any]:
    """``subscribers show --json``: the contract keys and a little more."""
    code = subscriber.carrier.code
    offer = carriers.offer(code)
    return {"phone": subscriber.phone, "carrier": code, "tariff": subscriber.tariff,
            "options": list(subscriber.options or []),
            "tariffs_available": [t.code for t in offer.tariffs if t.code != subscriber.tariff],
            "balance": float(subscriber.balance), "status": subscriber.status,
            "name": subscriber.full_name, "email": subscriber.email}


# --- tickets -------------------------------------------------------------------------------

def record_change(ticket: Ticket, field: str, before: Any, after: Any, actor: User | None,
            at: datetime | None = None) -> None:
    """One line of the ticket's history (people are kept by login)."""
    def text(value: Any) -> str | None:
        return None if value is None else str(getattr(value, "login", value))

    db.session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.id if actor else None, field=field,
                                before=text(before), after=text(after), at=at or utcnow()))
    ticket.updated_at = at or utcnow()


def _change(ticket: Ticket, field: str, after: Any, actor: User | None, *,
            at: datetime | None = None) -> bool:
    """Set a tracked field and write the change to the history; False when nothing changed."""
    before = getattr(ticket, field)
    if before == after:
        return False
    setattr(ticket, field, after)
    record_change(ticket, field, before, after, actor, at)
    return True


# ticket type → (the carrier operation, what it names, what to ask for, what "already" reads)
REQUESTS = {
    "option_on": ("enable_option", "option", "Укажите опцию, которую нужно подключить или отключить.",
                  "Опция «{name}» у абонента уже подключена."),
    "option_off": ("disable_option", "option", "Укажите опцию, которую нужно подключить или отключить.",
                   "Опции «{name}» у абонента нет — отключать нечего."),
    "tariff_change": ("change_tariff", "tariff", "Укажите тариф, на который нужно перейти.",
                      "Абонент уже на тарифе «{name}»."),
}


def _requested(ticket_type: str, subscriber: Subscriber | None, option: str | None,
               tariff: str | None) -> dict[str, str]:
    """Check what a carrier-operation ticket asks for against the subscriber's carrier (the
    plan must exist there, and the line must not already show it: the runner's own test)."""
    if ticket_type not in REQUESTS:
        return {}
    kind, what, ask, already = REQUESTS[ticket_type]
    code = option if what == "option" else tariff
    if not code:
        raise TicketFlowError(ask)
    if subscriber is not None:
        offer = carriers.offer(subscriber.carrier.code)
        plans = offer.options if what == "option" else offer.tariffs
        plan = next((p for p in plans if p.code == code), None)
        if plan is None:
            names = ", ".join(f"{p.name} ({p.code})" for p in plans)
            noun = "опции" if what == "option" else "тарифа"
            raise TicketFlowError(f"У {subscriber.carrier.name} нет {noun} «{code}»; есть: {names}.")
        line = Line(subscriber.phone, subscriber.tariff, tuple(subscriber.options or ()))
        if Operation(kind, subscriber.phone, code).done_in(line):
            raise TicketFlowError(already.format(name=plan.name))
    return {what: code}


def create_ticket(*, channel: str, type: str, subject: str, body: str = "",
                  subscriber: Subscriber | None = None, contact_email: str | None = None,
                  contact_name: str = "", option: str | None = None, tariff: str | None = None,
                  priority: str = "normal", actor: User | None = None, call: Call | None = None,
                  at: datetime | None = None) -> Ticket:
    """The one way a ticket comes in (phone, e-mail, web form, cabinet, chat, API).

    :raises TicketFlowError: an unknown channel, type or priority, an empty subject, an option or
        tariff the subscriber's carrier does not have (or already has).
    """
    if channel not in CHANNELS:
        raise TicketFlowError(f"Канала «{channel}» нет; допустимы: {', '.join(CHANNELS)}.")
    try:
        policy = tickets.policy_for(type, priority)
    except tickets.TicketError as exc:
        raise _refuse(exc) from None
    subject = " ".join(clean_text(subject, lines=False).split())
    body = clean_text(body)
    if not subject:
        raise TicketFlowError("Укажите тему обращения.")
    if len(subject) > MAX_SUBJECT or len(body or "") > MAX_BODY:
        raise TicketFlowError(f"Тема — до {MAX_SUBJECT} знаков, текст — до {MAX_BODY} знаков.")
    if subscriber is None and not contact_email and channel != "phone":
        raise TicketFlowError("Укажите номер абонента или адрес, на который ответить.")
    requested = _requested(type, subscriber, option, tariff)
    now = at or utcnow()
    ticket = Ticket(channel=channel, type=type, subject=subject, body=(body or "").strip(),
                    subscriber=subscriber, carrier_id=subscriber.carrier_id if subscriber else None,
                    contact_email=(contact_email or None),
                    contact_name=contact_name.strip(), requested=requested, priority=priority,
                    policy=policy.key, created_by=actor, created_at=now, updated_at=now)
    db.session.add(ticket)
    db.session.flush()
    ticket.number = NUMBER_BASE + ticket.id
    record_change(ticket, "created", None, channel, actor, now)
    if call is not None:
        link_call(ticket, call, actor)
    refresh_sla(ticket, now)
    audit.record(actor, "ticket.create", "ticket", ticket.number, channel=channel, type=type)
    log.info("ticket #%s (%s, %s) created via %s", ticket.number, type, priority, channel)
    return ticket


def add_comment(ticket: Ticket, body: str, *, author: User | None = None, public: bool = True,
                from_subscriber: bool = False, channel: str = "web", message_id: str | None = None,
                at: datetime | None = None, mail: bool = True) -> TicketComment:
    """A message in the thread: the subscriber's, a public reply (stops the first or next
    response clock; with ``mail``, it goes to the subscriber's address with our own Message-ID,
    by a job after commit), or an internal note. A closed ticket takes no more messages."""
    body = clean_text(body)
    if not body:
        raise TicketFlowError("Напишите текст сообщения.")
    if len(body) > MAX_BODY:
        raise TicketFlowError(f"Сообщение — до {MAX_BODY} знаков.")
    if ticket.status in tickets.FINAL:
        raise TicketFlowError(f"Обращение #{ticket.number} {tickets.STATUSES[ticket.status].lower()}: "
                              "в него больше не пишут, создайте новое.")
    now = at or utcnow()
    if not from_subscriber and author is not None:  # a double click sends the same text twice
        for earlier in ticket.comments[-3:]:
            if (earlier.author_id == author.id and earlier.body == body and earlier.public == public
                    and (now - earlier.created_at).total_seconds() < REPEAT_S):
                return earlier
    comment = TicketComment(ticket_id=ticket.id, author=author, from_subscriber=from_subscriber,
                            public=public or from_subscriber, body=body, channel=channel,
                            message_id=message_id, created_at=now)
    db.session.add(comment)
    ticket.comments.append(comment)
    if from_subscriber:
        reopened = tickets.after_subscriber_message(ticket.status)
        if reopened != ticket.status:
            _change(ticket, "status", reopened, None, at=now)
    elif public and ticket.first_response_at is None:
        ticket.first_response_at = now  # stored once, when it happens
    if not from_subscriber and public and ticket.status == "new":
        _change(ticket, "status", "open", author, at=now)
    ticket.updated_at = now
    if mail and public and not from_subscriber and reply_address(ticket):
        comment.message_id = comment.message_id or new_message_id()
        db.session.flush()
        enqueue("tickets.send_reply", comment_id=comment.id)
    db.session.flush()
    refresh_sla(ticket, now)
    return comment


def store_file(data: bytes) -> tuple[str, str]:
    """Keep a file in ``<data dir>/attachments`` under its SHA-256 (written once); returns the
    digest and the path relative to that folder."""
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{digest[:2]}/{digest[2:4]}/{digest}"
    path = current_app.config["ULYBKA"].attachments_dir / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return digest, rel


def attach(ticket: Ticket, comment: TicketComment | None, filename: str, content_type: str,
           data: bytes) -> TicketAttachment:
    """A file of the thread, kept by :func:`store_file`."""
    digest, rel = store_file(data)
    row = TicketAttachment(ticket_id=ticket.id, comment_id=comment.id if comment else None,
                           filename=filename[:255], content_type=content_type[:120], size=len(data),
                           sha256=digest, stored_path=rel)
    db.session.add(row)
    return row


def reply_address(ticket: Ticket) -> str | None:
    """Where the subscriber's answers go: the address they wrote from, else the one in the base."""
    return ticket.contact_email or (ticket.subscriber.email if ticket.subscriber else None)


def change_status(ticket: Ticket, status: str, actor: User | None, *, at: datetime | None = None,
                  mail: bool = True) -> None:
    """Move a ticket (the workflow of :mod:`tickets.workflow`). Resolving it asks the subscriber
    for a rating (with ``mail``: a signed link by e-mail) and tells the listeners (the ledger)."""
    try:
        tickets.check_move(ticket.status, status)
    except tickets.TicketError as exc:
        raise _refuse(exc) from None
    now = at or utcnow()
    before = ticket.status
    if before == status:
        return
    moved = db.session.execute(update(Ticket).where(Ticket.id == ticket.id, Ticket.status == before)
                               .values(status=status, updated_at=now))
    if moved.rowcount != 1:  # somebody (or a second click) moved it first: say so, change nothing
        db.session.expire(ticket, ["status"])
        raise TicketFlowError(f"Состояние обращения #{ticket.number} уже изменилось: обновите страницу.")
    db.session.expire(ticket, ["status", "updated_at"])
    record_change(ticket, "status", before, status, actor, now)
    if before == "resolved" and status == "open":
        ticket.resolved_at = ticket.resolved_by = None  # reopened: no longer rated as resolved
    if status == "resolved":
        ticket.resolved_at, ticket.resolved_by = now, actor
        if reply_address(ticket) and mail:
            enqueue("tickets.send_mail", notice="rating", ticket_id=ticket.id)  # the survey link
    db.session.flush()
    sla = refresh_sla(ticket, now)
    if status == "resolved" and ticket.assignee is not None:
        announce("ticket.resolved", ticket, sla.state == "met")


def assign(ticket: Ticket, user: User | None, actor: User | None, *, at: datetime | None = None) -> None:
    """Give the ticket to a person (None: nobody). Only operators admitted to the subscriber's
    carrier line may take its carrier tickets (the line gate)."""
    if user is not None:
        if user.role not in WORKERS or not user.active:
            raise TicketFlowError("Обращения ведут операторы и руководители: выберите исполнителя из списка.")
        if user.role == Role.OPERATOR and ticket.subscriber is not None:
            from app.exams.admission import admission_of

            line = ticket.subscriber.carrier
            admission = admission_of(user)[line.code]
            if not admission.admitted:
                raise TicketFlowError(
                    f"{user.full_name} не допущен(а) к линии {line.name}: {admission.reason}")
    _change(ticket, "assignee", user, actor, at=at)
    if user is not None and ticket.team_id is None:
        ticket.team_id = user.team_id
    db.session.flush()


def link_call(ticket: Ticket, call: Call, actor: User | None) -> None:
    if db.session.scalar(select(TicketCall.id).where(TicketCall.ticket_id == ticket.id,
                                                     TicketCall.call_id == call.id)):
        return
    db.session.add(TicketCall(ticket_id=ticket.id, call_id=call.id, linked_by_id=actor.id if actor else None))
    record_change(ticket, "call", None, call.id, actor)
    db.session.flush()


# --- SLA -----------------------------------------------------------------------------------

def marks_of(ticket: Ticket) -> list[tickets.Mark]:
    """The ticket's history as the SLA clock reads it."""
    marks = [tickets.Mark(c.at, "status", c.after) for c in db.session.scalars(
        select(TicketChange).where(TicketChange.ticket_id == ticket.id, TicketChange.field == "status"))]
    for comment in ticket.comments:
        if comment.from_subscriber:
            marks.append(tickets.Mark(comment.created_at, "subscriber_message"))
        elif comment.public:
            marks.append(tickets.Mark(comment.created_at, "staff_reply"))
    return marks


def sla_of(ticket: Ticket, now: datetime | None = None) -> tickets.Sla:
    return tickets.clock(tickets.policy(ticket.policy), ticket.created_at, marks_of(ticket), now or utcnow())


def refresh_sla(ticket: Ticket, now: datetime | None = None) -> tickets.Sla:
    """Recompute the ticket's SLA and keep its state and nearest deadline on the row (the queue
    filters and sorts by them)."""
    sla = sla_of(ticket, now)
    ticket.sla_state = sla.state
    running = [t.due for t in (sla.first_response, sla.next_response, sla.resolution)
               if t is not None and t.done_at is None and t.due is not None]
    ticket.sla_due = min(running) if running and ticket.status not in tickets.DONE else None
    return sla


def carrier_of(ticket: Ticket) -> Carrier | None:
    return ticket.subscriber.carrier if ticket.subscriber else None


def sweep_sla(now: datetime | None = None) -> dict[str, int]:
    """The periodic check: refresh every open ticket's SLA; tell the assignee once when a
    deadline comes near, and the assignee and the managers (of the team, else all) once when
    it is missed. What was told is kept on the ticket (``sla_warned``), so nothing repeats."""
    from app.games.operations import notify

    now = now or utcnow()
    told = {"warning": 0, "breached": 0}
    rows = db.session.scalars(select(Ticket).where(Ticket.status.not_in(tickets.DONE))).all()
    for ticket in rows:
        sla = refresh_sla(ticket, now)
        if sla.state not in told or ticket.sla_due is None:
            continue
        mark = f"{sla.state}:{int(ticket.sla_due.timestamp())}"  # short: fits the column
        if ticket.sla_warned == mark:
            continue
        ticket.sla_warned = mark
        told[sla.state] += 1
        link = f"/tickets/{ticket.number}"
        when = ticket.sla_due.astimezone(tickets.BUSINESS_HOURS.zone).strftime("%d.%m %H:%M")
        if ticket.assignee is not None:
            text = (f"Обращение #{ticket.number}: срок истекает в {when}" if sla.state == "warning"
                    else f"Обращение #{ticket.number} просрочено (срок был {when})")
            notify(ticket.assignee, text, link)
        if sla.state == "breached":
            managers = db.session.scalars(select(User).where(User.role == Role.MANAGER, User.active)).all()
            own = [m for m in managers if ticket.team_id and m.team_id == ticket.team_id]
            who = f" ({ticket.assignee.full_name})" if ticket.assignee else ", без исполнителя"
            for manager in own or managers:
                notify(manager, f"Просрочено обращение #{ticket.number} «{ticket.subject}»{who}", link)
    db.session.commit()
    return told


def periodic_sweep() -> None:
    sweep_sla()
