"""Reads of the tickets area: the queue (filters, paging), one ticket by number, its JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

import carriers
import tickets
from app.access import whole_number
from app.extensions import db
from app.models import (
    Carrier,
    CarrierAction,
    Role,
    Subscriber,
    Ticket,
    TicketAttachment,
    TicketCall,
    TicketChange,
    TicketComment,
    User,
)
from app.tickets import operations
from app.tickets.actions import KINDS, MANUAL

PAGE_SIZE = 50
MAX_PAGE = 100_000
SLA_TITLES = {"ok": "В срок", "warning": "Скоро срок", "breached": "Просрочено", "met": "Выполнено в срок",
              "paused": "Часы стоят"}
FILTERS = ("status", "type", "carrier", "sla", "mine", "q")
ACTION_TITLES = {"queued": "в очереди", "running": "выполняется", "done": "выполнено",
                 "failed": "не выполнено", "manual": "ручная задача"}


def visible(user: User | None) -> Select:
    """Staff (and the command line, ``None``) see every ticket; a subscriber only their own."""
    stmt = select(Ticket)
    if user is not None and user.role == Role.SUBSCRIBER:
        own = select(Subscriber.id).where(Subscriber.user_id == user.id)
        stmt = stmt.where(Ticket.subscriber_id.in_(own))
    return stmt


def queue_select(user: User | None, args: Mapping[str, str]) -> Select:
    """The queue: open tickets by default (``status=all`` for every one), the nearest deadline
    first; filters of :data:`FILTERS` (unknown values are ignored)."""
    stmt = visible(user).options(selectinload(Ticket.subscriber).selectinload(Subscriber.carrier),
                                 selectinload(Ticket.assignee))
    status = args.get("status") or "active"
    if status == "active":
        stmt = stmt.where(Ticket.status.not_in(tickets.DONE))
    elif status in tickets.STATUSES:
        stmt = stmt.where(Ticket.status == status)
    if args.get("type") in tickets.TYPES:
        stmt = stmt.where(Ticket.type == args["type"])
    if args.get("carrier") in carriers.CODES:
        stmt = stmt.where(Ticket.carrier_id == select(Carrier.id).where(Carrier.code == args["carrier"])
                          .scalar_subquery())
    if args.get("sla") in SLA_TITLES:
        stmt = stmt.where(Ticket.sla_state == args["sla"])
    if args.get("mine") == "1" and user is not None:
        stmt = stmt.where(Ticket.assignee_id == user.id)
    query = (args.get("q") or "").strip().lstrip("#")
    if query.isdecimal():
        stmt = stmt.where(Ticket.number == (whole_number(query) or -1))
    elif query:
        stmt = stmt.where(Ticket.subject.ilike(f"%{query}%"))
    return stmt.order_by(Ticket.sla_due.asc().nulls_last(), Ticket.id.desc())


def queue_context(user: User, args: Mapping[str, str], page: int = 1) -> dict[str, Any]:
    page = min(max(page or 1, 1), MAX_PAGE)
    pagination = db.paginate(queue_select(user, args), page=page, per_page=PAGE_SIZE, error_out=False)
    ids = [t.id for t in pagination.items]
    counts = dict(db.session.execute(select(TicketComment.ticket_id, func.count()).where(
        TicketComment.ticket_id.in_(ids)).group_by(TicketComment.ticket_id)).all()) if ids else {}
    workers = db.session.execute(select(User.id, User.full_name).where(
        User.role.in_(operations.WORKERS), User.active).order_by(User.full_name)).all()
    return {"pagination": pagination, "filters": {k: v for k, v in args.items() if k in FILTERS and v},
            "counts": counts, "statuses": tickets.STATUSES, "types": tickets.TYPES, "sla_titles": SLA_TITLES,
            "carriers": carriers.CATALOGUE, "workers": workers}


def load_ticket(user: User | None, number: int) -> Ticket:
    """The ticket with this number, if the user may see it; 404 otherwise (no hint it exists)."""
    if whole_number(number) is None:
        abort(404)
    ticket = db.session.scalar(visible(user).where(Ticket.number == number))
    if ticket is None:
        abort(404)
    return ticket


def ticket_json(ticket: Ticket, *, with_comments: bool = False) -> dict[str, Any]:
    """A ticket as the CLI and the API give it (the contract keys first)."""
    sla = operations.sla_of(ticket)
    subscriber = ticket.subscriber
    data: dict[str, Any] = {
        "id": ticket.id, "number": ticket.number, "channel": ticket.channel, "type": ticket.type,
        "status": ticket.status, "subject": ticket.subject,
        "subscriber": subscriber.phone if subscriber else None,
        "created_at": ticket.created_at.isoformat(),
        "comment_count": len(ticket.comments),
        "sla": sla.to_dict(),
        "priority": ticket.priority, "carrier": subscriber.carrier.code if subscriber else None,
        "requested": dict(ticket.requested or {}),
        "assignee": ticket.assignee.login if ticket.assignee else None,
        "contact_email": ticket.contact_email,
        "calls": list(db.session.scalars(select(TicketCall.call_id).where(TicketCall.ticket_id == ticket.id)
                                         .order_by(TicketCall.call_id))),
    }
    if with_comments:
        data["body"] = ticket.body
        data["comments"] = [{"id": c.id, "public": c.public, "from_subscriber": c.from_subscriber,
                             "author": c.author.login if c.author else None, "body": c.body,
                             "channel": c.channel, "created_at": c.created_at.isoformat()}
                            for c in ticket.comments]
    return data


def ticket_page(ticket: Ticket, user: User) -> dict[str, Any]:
    history = db.session.scalars(select(TicketChange).where(TicketChange.ticket_id == ticket.id)
                                 .options(selectinload(TicketChange.actor)).order_by(TicketChange.id)).all()
    calls = db.session.scalars(select(TicketCall).where(TicketCall.ticket_id == ticket.id)
                               .options(selectinload(TicketCall.call))).all()
    workers = db.session.scalars(select(User).where(User.role.in_(operations.WORKERS), User.active)
                                 .options(selectinload(User.team)).order_by(User.full_name)).all()
    subscriber = ticket.subscriber
    offer = carriers.offer(subscriber.carrier.code) if subscriber else None
    line = {"tariff": offer.name_of(subscriber.tariff),
            "options": [offer.name_of(c) for c in subscriber.options or []]} if subscriber else None
    code = ticket.requested.get("option") or ticket.requested.get("tariff")
    asks = (carriers.describe(subscriber.carrier.code, operations.REQUESTS[ticket.type][0], code)
            if subscriber and code and ticket.type in operations.REQUESTS else None)
    carrier_actions = db.session.scalars(select(CarrierAction).where(CarrierAction.ticket_id == ticket.id)
                                         .order_by(CarrierAction.id)).all()
    can_act = ticket.type in KINDS or ticket.type in MANUAL
    attachments = db.session.scalars(select(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id)
                                     .order_by(TicketAttachment.id)).all()
    logins = {v for h in history if h.field == "assignee" for v in (h.before, h.after) if v}
    names = dict(db.session.execute(select(User.login, User.full_name).where(User.login.in_(logins))).all())
    return {"ticket": ticket, "sla": operations.sla_of(ticket), "history": history, "calls": calls,
            "workers": workers, "line": line, "asks": asks, "statuses": tickets.STATUSES,
            "types": tickets.TYPES,
            "moves": sorted(tickets.MOVES[ticket.status], key=list(tickets.STATUSES).index),
            "sla_titles": SLA_TITLES, "channels": operations.CHANNELS,
            "priorities": tickets.PRIORITIES, "names": names, "carrier_actions": carrier_actions,
            "can_act": can_act, "action_titles": ACTION_TITLES, "attachments": attachments}


def ticket_form_context() -> dict[str, Any]:
    """The choices of the new-ticket form: types, channels, priorities, every carrier's offer."""
    return {"types": tickets.TYPES, "channels": operations.CHANNELS, "priorities": tickets.PRIORITIES,
            "offers": {code: carriers.offer(code) for code in carriers.CODES}, "carriers": carriers.CATALOGUE}


def call_page(call) -> dict[str, Any]:
    """The call page's tickets (event ``call.page``, also on the QA grading page): those it is
    linked to, a way to open one, and what was done in the carriers' systems for them, with the
    check that the subscriber's line afterwards shows what the ticket asked for."""
    linked = db.session.scalars(select(Ticket).join(TicketCall, TicketCall.ticket_id == Ticket.id)
                                .where(TicketCall.call_id == call.id).order_by(Ticket.id)).all()
    done = db.session.scalars(select(CarrierAction).where(CarrierAction.ticket_id.in_([t.id for t in linked]))
                              .order_by(CarrierAction.id)).all() if linked else []
    return {"call_tickets": linked, "call_actions": [
        {"ticket": a.ticket, "action": a, "status": ACTION_TITLES[a.status],
         "what": (carriers.describe(a.carrier, a.kind, a.code) if a.kind != "manual"
                  else "ручная операция по чек-листу"),
         "carrier": carriers.carrier_name(a.carrier)} for a in done]}
