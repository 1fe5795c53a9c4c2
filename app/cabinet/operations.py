"""What a signed-in subscriber does in the cabinet: see their line and requests, ask for a change,
write in a request's thread, attach a file, rate a resolved request.

Everything is scoped to the subscriber of the signed-in account (:func:`subscriber_of`); another
subscriber's request answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import carriers
import tickets
from app.access import whole_number
from app.cabinet.otp import CabinetError
from app.extensions import db
from app.formatting import MONTHS_OF
from app.jobs.operations import enqueue
from app.kb.catalogue import published_offer
from app.models import Rating, Subscriber, Ticket, TicketAttachment, TicketComment, User, utcnow
from app.qa.operations import QaError, add_rating
from app.tickets import operations as ticket_ops

MOSCOW = ZoneInfo("Europe/Moscow")
# what a subscriber may ask for here (porting and termination are done in an office, by contract)
REQUEST_TYPES = ("option_on", "option_off", "tariff_change", "balance", "device_setup", "complaint", "other")
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "text/plain": ".txt"}
SIGNATURES = {"application/pdf": (b"%PDF",), "image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG",)}
SUBJECTS = {"option_on": "Подключить опцию «{name}»", "option_off": "Отключить опцию «{name}»",
            "tariff_change": "Перейти на тариф «{name}»"}


def subscriber_of(user: User) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.user_id == user.id)
                             .options(selectinload(Subscriber.carrier)))


def own_subscriber(user: User) -> Subscriber:
    subscriber = subscriber_of(user)
    if subscriber is None:
        abort(404)
    return subscriber


def find_own_ticket(subscriber: Subscriber, number: Any) -> Ticket | None:
    """The subscriber's request by number; None for anyone else's and for none at all."""
    value = whole_number(number)
    if value is None:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.number == value,
                                                  Ticket.subscriber_id == subscriber.id))


def own_ticket(subscriber: Subscriber, number: Any) -> Ticket:
    """As :func:`find_own_ticket`, or 404 (ids are not confirmed)."""
    ticket = find_own_ticket(subscriber, number)
    if ticket is None:
        abort(404)
    return ticket


def promise(ticket: Ticket) -> str:
    """What the subscriber is promised, in words: «ответим до 14:30», «решим до 5 декабря, 18:00»."""
    if ticket.status in ("resolved", "closed"):
        return f"решено {_moment(ticket.resolved_at)}" if ticket.resolved_at else ""
    if ticket.status == "rejected":
        return ""
    if ticket.status == "pending_subscriber":
        return "ждём вашего ответа"
    sla = ticket_ops.sla_of(ticket)
    due, verb = ((sla.first_response_due, "ответим") if ticket.first_response_at is None
                 else (sla.resolution_due, "решим"))
    if due is None:
        return "в работе"
    if due < utcnow():
        return f"{verb} как можно скорее (обещали до {_moment(due)})"
    return f"{verb} до {_moment(due)}"


def _moment(moment: datetime) -> str:
    local = moment.astimezone(MOSCOW)
    today = datetime.now(MOSCOW).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    return f"{local.day} {MONTHS_OF[local.month - 1]}, {local:%H:%M}"


def offer_for(carrier: str) -> carriers.Offer:
    """The tariffs and options subscribers are shown: the catalogue as the knowledge base last
    published it (reviewed by a manager, see app.kb.catalogue), else the carrier's own list."""
    published = published_offer(carrier)
    return published if published.tariffs or published.options else carriers.offer(carrier)


def line_of(subscriber: Subscriber) -> dict[str, Any]:
    offer = offer_for(subscriber.carrier.code)
    tariff = next((t for t in offer.tariffs if t.code == subscriber.tariff), None)
    mine = set(subscriber.options or [])
    return {"phone": subscriber.phone, "carrier": subscriber.carrier, "tariff": tariff,
            "tariff_name": offer.name_of(subscriber.tariff),
            "options": [o for o in offer.options if o.code in mine],
            "free_options": [o for o in offer.options if o.code not in mine],
            "tariffs": [t for t in offer.tariffs if t.code != subscriber.tariff],
            "balance": subscriber.balance, "status": subscriber.status, "name": subscriber.full_name}


def tickets_of(subscriber: Subscriber, limit: int = 50) -> list[Ticket]:
    return list(db.session.scalars(select(Ticket).where(Ticket.subscriber_id == subscriber.id)
                                   .order_by(Ticket.id.desc()).limit(limit)))


def overview(user: User) -> dict[str, Any]:
    """The cabinet's first page (and a subscriber's home page)."""
    subscriber = subscriber_of(user)
    if subscriber is None:
        return {"subscriber": None}
    rows = tickets_of(subscriber)
    return {"subscriber": subscriber, "line": line_of(subscriber), "tickets": rows,
            "promises": {t.id: promise(t) for t in rows}, "statuses": tickets.STATUSES}


def public_thread(ticket: Ticket) -> list[TicketComment]:
    """What the subscriber sees of the thread: their messages and our public replies."""
    return [c for c in ticket.comments if c.public or c.from_subscriber]


def visible_files(ticket: Ticket) -> list[TicketAttachment]:
    """The request's files the subscriber may open: theirs and those of public replies (never an
    internal note's)."""
    shown = {c.id for c in public_thread(ticket)}
    rows = db.session.scalars(select(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id)
                              .order_by(TicketAttachment.id)).all()
    return [f for f in rows if f.comment_id is None or f.comment_id in shown]


def ticket_view(subscriber: Subscriber, ticket: Ticket) -> dict[str, Any]:
    rating = db.session.scalar(select(Rating).where(Rating.ticket_ref == str(ticket.number)))
    files = visible_files(ticket)
    return {"subscriber": subscriber, "ticket": ticket, "thread": public_thread(ticket), "files": files,
            "promise": promise(ticket), "statuses": tickets.STATUSES, "rating": rating,
            "can_rate": ticket.status in ("resolved", "closed") and ticket.resolved_at is not None
            and rating is None,
            "can_write": ticket.status not in tickets.FINAL, "types": tickets.TYPES}


def check_files(files: list[tuple[str, str, bytes]]) -> None:
    """Attachments a subscriber sends: at most :data:`MAX_FILES`, each a PDF, JPEG, PNG or text file
    of at most 5 MB whose contents are what its type says.

    :raises CabinetError: naming the file and what is accepted.
    """
    if len(files) > MAX_FILES:
        raise CabinetError(f"Можно приложить не больше {MAX_FILES} файлов.")
    for name, content_type, data in files:
        if content_type not in FILE_TYPES:
            raise CabinetError(f"Файл «{name}» не подходит: принимаем PDF, JPEG, PNG и текстовые файлы.")
        if len(data) > MAX_FILE_BYTES:
            raise CabinetError(f"Файл «{name}» больше 5 МБ: приложите файл поменьше.")
        if not data:
            raise CabinetError(f"Файл «{name}» пустой.")
        starts = SIGNATURES.get(content_type)
        if starts and not data.startswith(starts):
            raise CabinetError(f"Файл «{name}» повреждён или это не {FILE_TYPES[content_type][1:].upper()}.")
        if content_type == "text/plain":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise CabinetError(f"Файл «{name}» не текст в UTF-8.") from None


def create_request(subscriber: Subscriber, *, type: str, body: str = "", option: str | None = None,
                   tariff: str | None = None, subject: str = "",
                   files: list[tuple[str, str, bytes]] = ()) -> Ticket:
    """A request from the cabinet (channel ``cabinet``); the subject is made for carrier changes.

    :raises CabinetError, TicketFlowError: an unknown type, a plan the carrier lacks or the line
        already has, a bad file.
    """
    if type not in REQUEST_TYPES:
        raise CabinetError("Выберите, что нужно сделать: подключить или отключить опцию, сменить тариф, "
                           "вопрос о балансе, настройка телефона, жалоба или другое.")
    check_files(list(files))
    if type in SUBJECTS:
        code = option if type in ("option_on", "option_off") else tariff
        name = carriers.offer(subscriber.carrier.code).name_of(code) if code else ""
        subject = SUBJECTS[type].format(name=name)
    subject = subject.strip() or tickets.TYPES[type]
    if type in ("complaint", "other") and not ticket_ops.clean_text(body).strip():
        raise CabinetError("Опишите, что случилось: без этого мы не сможем помочь.")
    ticket = ticket_ops.create_ticket(channel="cabinet", type=type, subject=subject, body=body,
                                      subscriber=subscriber, option=option or None, tariff=tariff or None)
    for name, content_type, data in files:
        ticket_ops.attach(ticket, None, name, content_type, data)
    db.session.flush()
    if subscriber.email:
        enqueue("tickets.send_mail", notice="received", ticket_id=ticket.id)
    return ticket


def write(ticket: Ticket, body: str, files: list[tuple[str, str, bytes]] = ()) -> TicketComment:
    """The subscriber's message in their request's thread (reopens a resolved one, as mail does)."""
    check_files(list(files))
    comment = ticket_ops.add_comment(ticket, body, from_subscriber=True, channel="cabinet")
    db.session.flush()
    for name, content_type, data in files:
        ticket_ops.attach(ticket, comment, name, content_type, data)
    db.session.flush()
    return comment


def rate(ticket: Ticket, stars: Any, comment: str = "") -> Rating:
    """Rate a resolved request once (the ratings path: it counts for who resolved it)."""
    try:
        return add_rating(stars=stars, comment=comment, ticket_ref=str(ticket.number), source="cabinet")
    except QaError as exc:
        raise CabinetError(str(exc)) from None
